"""Innovation partnership: who sees what of the negotiation.

The committee's screen shows the final tender (and the earlier versions only if the call
allows); each tenderer sees every round's points and deadline, the same as the others, and
only its own versions; the award criteria stay frozen.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from calls.models import Call, Criterion
from calls.services.lifecycle import call_amend, call_update_draft_rows
from portal.exceptions import DomainError
from portal.models import Role
from proposals.models import CommitteeMember
from proposals.services.assessment import (
    assessment_open,
    assignment_add,
    committee_create,
    committee_member_add,
)
from proposals.services.negotiation import round_open, round_start, tender_revise
from tests.calls.test_participation import client_of
from tests.factories import person_with_role

from .factories import partnership_tenders, pdf_upload
from .test_assessment_pages import cleared

pytestmark = pytest.mark.django_db


def refused(code: str, error=DomainError):
    return pytest.raises(error, check=lambda exc: exc.code == code)


def revise(round_, proposal, changes: str, price: str = "240000.00", upload=None):
    return tender_revise(
        round=round_,
        proposal=proposal,
        actor=proposal.person,
        changes=changes,
        price=Decimal(price),
        upload=upload,
    )


def negotiated(*, history: bool = False):
    """Two rounds (the second asks for the final tenders), opened; the committee seated."""
    call, proposals = partnership_tenders(3)
    Call.objects.filter(pk=call.pk).update(committee_sees_tender_history=history)
    phase = call.phases.get(order=1)
    now = timezone.now()
    first = round_start(
        phase=phase, actor=call.officer, points="Laadtijd?", deadline=now + timedelta(days=2)
    )
    early = revise(first, proposals[0], "Eerste herziening.", upload=pdf_upload("v1.pdf"))
    revise(first, proposals[1], "Herziening van de ander.", price="250000.00")
    with time_machine.travel(first.deadline + timedelta(minutes=1)):
        round_open(round=first)
        final = round_start(
            phase=phase,
            actor=call.officer,
            points="Uw definitieve inschrijving.",
            deadline=timezone.now() + timedelta(days=2),
            final=True,
        )
        last = revise(final, proposals[0], "Definitieve inschrijving.", upload=pdf_upload("v2.pdf"))
    after = time_machine.travel(final.deadline + timedelta(minutes=1))
    after.start()
    round_open(round=final)
    assessment_open(phase=phase, actor=call.officer)
    committee = committee_create(phase=phase, actor=call.officer, code_of_conduct="Vertrouwelijk.")
    seat = committee_member_add(
        committee=committee,
        actor=call.officer,
        user=person_with_role(Role.ASSESSOR, organisation=call.authority),
        role=CommitteeMember.Role.MEMBER,
    )
    cleared(seat, proposals)
    for proposal in proposals:
        assignment_add(member=seat, proposal=proposal, actor=call.officer)
    return call, proposals, seat, early, last, after


@pytest.fixture
def traveller():
    travels = []
    yield travels
    for travel in travels:
        travel.stop()


def test_the_committee_reads_the_final_tender_and_not_the_earlier_versions(traveller):
    _call, proposals, seat, early, last, after = negotiated()
    traveller.append(after)
    client = client_of(seat.user)
    page = client.get(reverse("proposals:assess", args=[seat.pk, proposals[0].pk]))
    content = page.content.decode()
    assert 'data-testid="final-tender"' in content
    assert "Definitieve inschrijving." in content
    assert "Eerste herziening." not in content
    assert 'data-testid="tender-history"' not in content
    assert client.get(reverse("proposals:version_document", args=[last.pk])).status_code == 200
    assert client.get(reverse("proposals:version_document", args=[early.pk])).status_code == 404
    # A tender without a revised version: no final tender section.
    other = client.get(reverse("proposals:assess", args=[seat.pk, proposals[2].pk]))
    assert 'data-testid="final-tender"' not in other.content.decode()


def test_the_committee_reads_the_version_history_when_the_call_allows(traveller):
    call, proposals, seat, early, last, after = negotiated(history=True)
    traveller.append(after)
    client = client_of(seat.user)
    content = client.get(
        reverse("proposals:assess", args=[seat.pk, proposals[0].pk])
    ).content.decode()
    history = content.split('data-testid="tender-history"')[1]
    assert "Eerste herziening." in history
    assert "Definitieve inschrijving." not in history  # the final one is shown above it
    assert client.get(reverse("proposals:version_document", args=[early.pk])).status_code == 200
    # Someone outside the committee reads neither.
    stranger = client_of(person_with_role(Role.ASSESSOR, organisation=call.authority))
    assert stranger.get(reverse("proposals:version_document", args=[last.pk])).status_code == 404


def test_every_tenderer_sees_the_same_rounds_and_only_its_own_versions(traveller):
    _call, proposals, _seat, _early, last, after = negotiated()
    traveller.append(after)
    pages = {}
    for proposal in proposals:
        client = client_of(proposal.person)
        url = reverse("proposals:tender_negotiation", kwargs={"pk": proposal.pk})
        pages[proposal.pk] = client.get(url).content.decode()

    def rounds(content: str) -> list[str]:
        # Every round's heading, sent moment, deadline and points, without the own versions.
        return [part.split("<ul")[0] for part in content.split('data-testid="round-')[1:]]

    first = rounds(pages[proposals[0].pk])
    assert len(first) == 2
    assert "Laadtijd?" in first[0]
    assert "Uw definitieve inschrijving." in first[1]
    for proposal in proposals[1:]:
        assert rounds(pages[proposal.pk]) == first
    # Its own versions, never another tenderer's.
    assert "€ 240.000" in pages[proposals[0].pk] or "240.000" in pages[proposals[0].pk]
    assert "250.000" not in pages[proposals[0].pk]
    assert "250.000" in pages[proposals[1].pk]
    assert reverse("proposals:version_document", args=[last.pk]) in pages[proposals[0].pk]
    assert reverse("proposals:version_document", args=[last.pk]) not in pages[proposals[1].pk]


def test_the_award_criteria_cannot_be_changed_once_negotiations_started():
    call, _proposals = partnership_tenders(2)
    phase = call.phases.get(order=1)
    round_start(
        phase=phase,
        actor=call.officer,
        points="Laadtijd?",
        deadline=timezone.now() + timedelta(days=2),
    )
    criterion = Criterion.objects.filter(phase=phase).order_by("order").first()
    weight = criterion.weight
    for field in ("criteria", "phases", "minimum_requirements"):
        with refused("frozen"):
            call_amend(call=call, actor=call.officer, reason="Wijziging", changes={field: "x"})
    with refused("frozen"):
        call_update_draft_rows(
            call=call,
            actor=call.officer,
            changes=[{"kind": "criterion", "id": criterion.pk, "weight": weight + 5}],
        )
    criterion.refresh_from_db()
    assert criterion.weight == weight
