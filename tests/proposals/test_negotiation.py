"""Innovation partnership: negotiation rounds after the initial tenders, then final tenders.

Rules: a round goes to every tenderer at the same moment with the same text; revised
tenders are new versions (all kept), sealed until the round's deadline; the minimum
requirements and the award criteria cannot change; no negotiation after the final tenders;
the committee assesses only once the final tenders are open.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from calls.models import Criterion
from calls.services.lifecycle import call_amend, call_update_draft, call_update_draft_rows
from portal.exceptions import DomainError, NotAllowed
from proposals.models import ImmutableRecord, NegotiationRound, TenderVersion
from proposals.selectors.negotiation import round_versions_for_officer
from proposals.services.assessment import assessment_open
from proposals.services.negotiation import round_open, round_start, tender_revise
from tests.calls.factories import published_call

from .factories import partnership_tenders, pdf_upload

pytestmark = pytest.mark.django_db


def refused(code: str, error=DomainError):
    return pytest.raises(error, check=lambda exc: exc.code == code)


@pytest.fixture
def world():
    return partnership_tenders(3)


def start(call, *, days: int = 7, final: bool = False, points: str = "Licht de laadtijd toe."):
    phase = call.phases.get(order=1)
    return round_start(
        phase=phase,
        actor=call.officer,
        points=points,
        deadline=timezone.now() + timedelta(days=days),
        final=final,
    )


def revise(round_, proposal, price="240000.00", changes="Snellader toegevoegd.", upload=None):
    return tender_revise(
        round=round_,
        proposal=proposal,
        actor=proposal.person,
        changes=changes,
        price=Decimal(price),
        upload=upload,
    )


def test_a_round_goes_to_every_tenderer_at_once_with_the_same_text(
    world, django_capture_on_commit_callbacks
):
    call, proposals = world
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        round_ = start(call, points="Vraag 1: hoe lang duurt het laden?\nVraag 2: welke accu?")
    assert set(round_.recipients.all()) == set(proposals)
    assert len(mail.outbox) == 3
    bodies = {message.body for message in mail.outbox}
    subjects = {message.subject for message in mail.outbox}
    assert len(bodies) == 1
    assert len(subjects) == 1
    assert "Vraag 2: welke accu?" in bodies.pop()
    recipients = {address for message in mail.outbox for address in message.to}
    assert recipients == {p.person.email for p in proposals}


def test_only_the_partnership_officer_negotiates_and_only_after_the_opening():
    call = published_call()  # SBIR
    with refused("instrument"):
        start(call)
    call, proposals = partnership_tenders(1)
    with refused("not_allowed", NotAllowed):
        round_start(
            phase=call.phases.get(order=1),
            actor=proposals[0].person,
            points="x",
            deadline=timezone.now() + timedelta(days=1),
        )


def test_rounds_follow_one_another_and_none_after_the_final_tenders(world):
    call, _proposals = world
    first = start(call, days=3)
    with refused("closed"):
        start(call)
    with time_machine.travel(first.deadline + timedelta(minutes=1)):
        round_open(round=first)
        final = start(call, final=True)
        assert final.number == 2
        assert final.is_final
    with time_machine.travel(final.deadline + timedelta(minutes=1)):
        round_open(round=final)
        with refused("closed"):
            start(call)


def test_revised_tenders_are_versions_sealed_until_the_round_deadline(world):
    call, proposals = world
    round_ = start(call, days=2)
    first = revise(round_, proposals[0], price="245000.00")
    second = revise(round_, proposals[0], price="235000.00", upload=pdf_upload("herzien.pdf"))
    revise(round_, proposals[1])
    assert (first.number, second.number) == (1, 2)  # every version kept
    assert len(second.content_hash) == 64
    assert second.content_hash != first.content_hash
    # Sealed: the officer sees nothing before the deadline, the service refuses to open.
    assert round_versions_for_officer(round_) == []
    assert not TenderVersion.objects.opened().filter(round=round_).exists()
    with refused("sealed"):
        round_open(round=round_)
    with time_machine.travel(round_.deadline + timedelta(minutes=1)):
        with refused("deadline"):
            revise(round_, proposals[2])  # too late
        opened = round_open(round=round_)
        assert opened.is_opened
        assert opened.received == 2
        versions = round_versions_for_officer(opened)
        assert [v.number for v in versions if v.proposal_id == proposals[0].pk] == [1, 2]
    with pytest.raises(ImmutableRecord):
        second.save()


def test_a_tenderer_revises_only_its_own_tender(world):
    call, proposals = world
    round_ = start(call)
    with refused("not_allowed", NotAllowed):
        tender_revise(
            round=round_,
            proposal=proposals[0],
            actor=proposals[1].person,
            changes="x",
            price=Decimal("1.00"),
        )
    with refused("price"):
        revise(round_, proposals[0], price="0")
    with refused("changes"):
        revise(round_, proposals[0], changes="  ")


def test_minimum_requirements_and_criteria_are_frozen_once_tenders_are_in(world):
    call, _proposals = world
    criterion = Criterion.objects.filter(phase__call=call).first()
    for field in ("minimum_requirements",):
        with refused("frozen"):
            call_amend(
                call=call, actor=call.officer, reason="Aanpassing", changes={field: "Minder"}
            )
    with refused("frozen"):
        call_update_draft(call=call, actor=call.officer, data={"minimum_requirements": "Minder"})
    with refused("frozen"):
        call_update_draft_rows(call=call, actor=call.officer, changes=[])
    # A revised tender has no field that could carry them.
    names = {field.name for field in TenderVersion._meta.get_fields()}
    assert not names & {"minimum_requirements", "criteria", "weight"}
    criterion.refresh_from_db()
    call.refresh_from_db()
    assert call.minimum_requirements.startswith("Volledig elektrisch")


def test_the_committee_assesses_only_the_opened_final_tenders(world):
    call, _proposals = world
    phase = call.phases.get(order=1)
    first = start(call, days=2)
    with time_machine.travel(first.deadline + timedelta(minutes=1)):
        with refused("negotiating"):
            assessment_open(phase=phase, actor=call.officer)  # no final tenders asked
        round_open(round=first)
        final = start(call, final=True, days=2)
    with time_machine.travel(final.deadline - timedelta(minutes=1)), refused("negotiating"):
        assessment_open(phase=phase, actor=call.officer)
    with time_machine.travel(final.deadline + timedelta(minutes=1)):
        assert assessment_open(phase=phase, actor=call.officer) == 3
        assert NegotiationRound.objects.get(pk=final.pk).is_opened
        with refused("closed"):
            start(call)
