"""Sealed until the deadline, then opened with a record (proces-verbaal van opening).

Before a phase's deadline nobody but the company's own people sees a submitted proposal,
its documents or even its company's name: not the call's officer, not the committee, not a
superuser, not the exports, the API or the open data. The officer sees how many came in. At
the deadline the portal records the opening: every proposal received with its number, time
of receipt, content fingerprint and company; the record is immutable and in the audit trail.
"""

import json
from datetime import timedelta
from types import SimpleNamespace

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portal.models import Role
from proposals.models import (
    Committee,
    CommitteeMember,
    ImmutableRecord,
    Opening,
    OpeningEntry,
)
from proposals.services.submission import _fingerprint
from proposals.tasks import open_due_phases
from reporting.models import ParliamentReport
from reporting.services.opendata import ocds_backfill
from tests.calls.factories import officer_of, published_call
from tests.factories import UserFactory, person_with_role

from .factories import complete_draft, deadline_passed, signed_advice, submitted_proposals

pytestmark = pytest.mark.django_db


@pytest.fixture
def sealed():
    """A published call with two submitted proposals and a draft, before its deadline."""
    call = published_call()
    proposals = submitted_proposals(call, 2)
    phase = call.phases.get(order=1)
    committee = Committee.objects.create(phase=phase, code_of_conduct="Vertrouwelijk.")
    member = person_with_role(Role.ASSESSOR, organisation=call.authority)
    CommitteeMember.objects.create(committee=committee, user=member)
    return SimpleNamespace(
        call=call,
        phase=phase,
        officer=call.officer,
        proposals=proposals,
        draft=complete_draft(call=call),
        member=member,
        superuser=UserFactory(is_staff=True, is_superuser=True),
    )


def names_of(proposals) -> set[str]:
    names = set()
    for proposal in proposals:
        names |= {proposal.submission_number, proposal.company.name, proposal.title}
    return names


def shows_any(text: str, proposals) -> set[str]:
    return {name for name in names_of(proposals) if name in text}


# --- Before the deadline: sealed everywhere ----------------------------------------------------


def test_the_officers_list_shows_only_how_many_came_in(sealed, verified_client):
    client = verified_client(sealed.officer)

    response = client.get(reverse("proposals:officer_proposals", args=[sealed.call.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert shows_any(html, sealed.proposals) == set()
    assert response.context["page_obj"].paginator.count == 0
    row = html.split(f'data-testid="phase-{sealed.phase.pk}"')[1].split("</tr>")[0]
    assert 'data-testid="count-submitted"><a class="utrecht-link"' in row
    assert ">2</a>" in row
    assert f'data-testid="sealed-{sealed.phase.pk}"' in row


@pytest.mark.parametrize("who", ["officer", "superuser", "member"])
def test_nobody_but_the_company_opens_a_proposal_or_its_documents(sealed, verified_client, who):
    client = verified_client(getattr(sealed, who))
    for proposal in sealed.proposals:
        attachment = proposal.attachments.first()
        assert client.get(reverse("proposals:detail", args=[proposal.pk])).status_code == 404
        download = reverse("proposals:attachment", args=[proposal.pk, attachment.pk])
        assert client.get(download).status_code == 404
        api = reverse("api-proposal-detail", args=[proposal.pk])
        assert client.get(api).status_code == 404
        decide = reverse("proposals:officer_decide", args=[proposal.pk])
        assert client.get(decide).status_code == 404
    listed = client.get(reverse("api-proposal-list"))
    assert listed.status_code == 200
    assert listed.json()["count"] == 0


def test_the_company_itself_still_reads_its_own(sealed, verified_client):
    proposal = sealed.proposals[0]
    client = verified_client(proposal.person)
    assert client.get(reverse("proposals:detail", args=[proposal.pk])).status_code == 200
    assert client.get(reverse("api-proposal-detail", args=[proposal.pk])).status_code == 200


def test_the_officers_export_holds_no_sealed_proposal(sealed, verified_client):
    client = verified_client(sealed.officer)

    response = client.post(
        reverse("reporting:exports"), {"kind": "proposals", "file_format": "csv"}
    )

    text = response.content.decode("utf-8")
    assert response.status_code == 200
    assert len(text.strip().splitlines()) == 1  # the header alone
    assert shows_any(text, sealed.proposals) == set()


def test_the_open_data_names_no_tenderer_and_no_count_before_the_deadline(sealed, client):
    ocds_backfill()  # the publication's release, as the outbox task would have stored it
    response = client.get(reverse("opendata:call", args=[sealed.call.pk]))

    text = b"".join(response.streaming_content).decode() if response.streaming else ""
    text = text or response.content.decode()
    assert response.status_code == 200
    assert shows_any(text, sealed.proposals) == set()
    assert "numberOfTenderers" not in text


def test_the_phase_page_says_sealed_and_shows_no_ranking(sealed, verified_client):
    client = verified_client(sealed.officer)
    response = client.get(reverse("proposals:officer_phase", args=[sealed.phase.pk]))
    html = response.content.decode()
    assert 'data-testid="sealed"' in html
    assert shows_any(html, sealed.proposals) == set()
    assert reverse("proposals:opening", args=[sealed.phase.pk]) in html
    assert not Opening.objects.exists()  # a visit before the deadline opens nothing


def test_the_beat_task_opens_nothing_before_the_deadline(sealed):
    assert open_due_phases() == 0
    assert not Opening.objects.exists()


# --- After the deadline: opened, with a record ----------------------------------------------


def test_after_the_deadline_everything_opens_to_the_officer(sealed, verified_client):
    deadline_passed(sealed.call)
    client = verified_client(sealed.officer)

    page = client.get(reverse("proposals:officer_proposals", args=[sealed.call.pk]))
    assert shows_any(page.content.decode(), sealed.proposals) == names_of(sealed.proposals)
    for proposal in sealed.proposals:
        attachment = proposal.attachments.first()
        assert client.get(reverse("proposals:detail", args=[proposal.pk])).status_code == 200
        download = reverse("proposals:attachment", args=[proposal.pk, attachment.pk])
        assert client.get(download).status_code == 200
    assert client.get(reverse("api-proposal-list")).json()["count"] == 2
    export = client.post(reverse("reporting:exports"), {"kind": "proposals", "file_format": "csv"})
    assert len(export.content.decode("utf-8").strip().splitlines()) == 3


def test_the_open_data_gives_the_number_received_after_the_deadline(
    sealed, client, django_capture_on_commit_callbacks
):
    ocds_backfill()  # the publication's release, as the outbox task would have stored it
    deadline_passed(sealed.call)
    with django_capture_on_commit_callbacks(execute=True):
        open_due_phases()  # the opening stores the release with the number received
    response = client.get(reverse("opendata:call", args=[sealed.call.pk]))
    text = b"".join(response.streaming_content).decode() if response.streaming else ""
    package = json.loads(text or response.content.decode())
    tenders = [release["tender"] for release in package["releases"]]
    assert any(tender.get("numberOfTenderers") == 2 for tender in tenders)
    # Names only of awarded companies, and none is awarded yet.
    assert shows_any(json.dumps(package), sealed.proposals) == set()


def test_beat_records_the_opening_with_each_proposals_fingerprint(sealed):
    deadline_passed(sealed.call)
    withdrawn_free_count = len(sealed.proposals)

    assert open_due_phases() == 1
    assert open_due_phases() == 0  # once

    opening = Opening.objects.get(phase=sealed.phase)
    assert opening.method == Opening.Method.SCHEDULED
    assert opening.opened_by is None
    assert opening.received == withdrawn_free_count
    entries = {entry.proposal_id: entry for entry in opening.entries.all()}
    assert set(entries) == {p.pk for p in sealed.proposals}  # the draft is not received
    for proposal in sealed.proposals:
        proposal.refresh_from_db()
        entry = entries[proposal.pk]
        assert entry.submission_number == proposal.submission_number
        assert entry.submitted_at == proposal.submitted_at
        assert entry.company_name == proposal.company.name
        # The fingerprint stored at submission still matches the answers and documents.
        assert entry.content_hash == proposal.content_hash == _fingerprint(proposal)
        assert len(entry.content_hash) == 64


def test_the_first_visit_after_the_deadline_opens_it_and_the_page_shows_the_record(
    sealed, verified_client
):
    client = verified_client(sealed.officer)
    page_url = reverse("proposals:opening", args=[sealed.phase.pk])
    before = client.get(page_url).content.decode()
    assert 'data-testid="sealed"' in before
    assert shows_any(before, sealed.proposals) == set()

    deadline_passed(sealed.call)
    html = client.get(page_url).content.decode()

    opening = Opening.objects.get(phase=sealed.phase)
    assert opening.method == Opening.Method.ON_DEMAND
    assert opening.opened_by == sealed.officer
    for proposal in sealed.proposals:
        proposal.refresh_from_db()
        assert proposal.submission_number in html
        assert proposal.content_hash in html
        assert proposal.company.name in html
    # The committee reads the same record; a later visit changes nothing.
    member_html = verified_client(sealed.member).get(page_url).content.decode()
    assert sealed.proposals[0].content_hash in member_html
    assert Opening.objects.count() == 1


@pytest.mark.parametrize("who", ["superuser", "other_officer", "applicant", "ministry"])
def test_the_opening_record_is_for_the_officers_and_committee_only(sealed, verified_client, who):
    deadline_passed(sealed.call)
    person = {
        "superuser": sealed.superuser,
        "other_officer": officer_of(),
        "applicant": sealed.proposals[0].person,
        "ministry": person_with_role(Role.MINISTRY_STAFF),
    }[who]
    response = verified_client(person).get(reverse("proposals:opening", args=[sealed.phase.pk]))
    assert response.status_code == 404


def test_the_opening_record_cannot_be_changed_or_deleted(sealed):
    deadline_passed(sealed.call)
    open_due_phases()
    opening = Opening.objects.get()
    entry = opening.entries.first()

    entry.content_hash = "0" * 64
    with pytest.raises(ImmutableRecord):
        entry.save()
    with pytest.raises(ImmutableRecord):
        OpeningEntry.objects.filter(pk=entry.pk).update(content_hash="0" * 64)
    with pytest.raises(ImmutableRecord):
        OpeningEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(ImmutableRecord):
        opening.delete()
    with pytest.raises(ImmutableRecord):
        Opening.objects.all().update(received=0)
    entry.refresh_from_db()
    assert entry.content_hash != "0" * 64


def test_the_opening_is_in_the_audit_trail(sealed):
    deadline_passed(sealed.call)
    open_due_phases()
    opening = Opening.objects.get()
    logged = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Opening), object_pk=str(opening.pk)
    )
    assert logged.filter(action=LogEntry.Action.CREATE).count() == 1
    lines = LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(OpeningEntry))
    assert lines.count() == 2


def test_a_withdrawn_proposal_is_counted_not_listed(sealed):
    from proposals.services.submission import proposal_withdraw

    gone = sealed.proposals[0]
    proposal_withdraw(proposal=gone, actor=gone.person)
    deadline_passed(sealed.call)
    open_due_phases()
    opening = Opening.objects.get()
    assert (opening.received, opening.withdrawn) == (1, 1)
    assert list(opening.entries.values_list("proposal_id", flat=True)) == [sealed.proposals[1].pk]


def test_the_phase_page_links_the_record_after_the_deadline_and_opens_it(sealed, verified_client):
    deadline_passed(sealed.call)
    client = verified_client(sealed.officer)
    html = client.get(reverse("proposals:officer_phase", args=[sealed.phase.pk])).content.decode()
    assert reverse("proposals:opening", args=[sealed.phase.pk]) in html
    assert 'data-testid="sealed"' not in html
    assert Opening.objects.filter(phase=sealed.phase).exists()


# --- The superuser: administration, not the procedure's content ---------------------------------


def test_a_superuser_without_a_role_reads_no_draft_no_advice_no_report(sealed, verified_client):
    client = verified_client(sealed.superuser)
    draft = sealed.draft
    attachment = draft.attachments.first()
    assert client.get(reverse("proposals:detail", args=[draft.pk])).status_code == 404
    download = reverse("proposals:attachment", args=[draft.pk, attachment.pk])
    assert client.get(download).status_code == 404

    deadline_passed(sealed.call)
    advice = signed_advice(sealed.phase)
    chair_seat = advice.committee.members.get(role=CommitteeMember.Role.CHAIR)
    assert client.get(reverse("proposals:advice_pdf", args=[chair_seat.pk])).status_code == 404

    report = ParliamentReport.objects.create(
        requested_by=person_with_role(Role.MINISTRY_STAFF),
        period_start=timezone.localdate() - timedelta(days=90),
        period_end=timezone.localdate(),
        status=ParliamentReport.Status.DONE,
    )
    report.file.save("rapport.pdf", ContentFile(b"%PDF-1.4 vertrouwelijk"), save=True)
    for name in ("report", "report_download"):
        response = client.get(reverse(f"reporting:{name}", args=[report.pk]))
        assert response.status_code in (403, 404), name
    # The administration pages stay the superuser's.
    assert client.get(reverse("audit_trail")).status_code == 200
    assert client.get("/admin/").status_code == 200


def test_a_superuser_gets_no_exception_at_any_deadline(sealed, verified_client):
    deadline_passed(sealed.call)
    client = verified_client(sealed.superuser)
    proposal = sealed.proposals[0]
    assert client.get(reverse("proposals:detail", args=[proposal.pk])).status_code == 404
    attachment = proposal.attachments.first()
    download = reverse("proposals:attachment", args=[proposal.pk, attachment.pk])
    assert client.get(download).status_code == 404
    officer_list = reverse("proposals:officer_proposals", args=[sealed.call.pk])
    assert client.get(officer_list).status_code == 404
    assert client.get(reverse("proposals:opening", args=[sealed.phase.pk])).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_beat_and_an_officers_visit_at_the_same_moment_write_one_record():
    from proposals.services.opening import phase_open
    from tests.concurrency import require_postgresql, run_at_once

    require_postgresql()
    call = published_call()
    submitted_proposals(call, 2)
    phase = call.phases.get(order=1)
    deadline_passed(call)
    actors = iter([None, call.officer])

    results = run_at_once(lambda: phase_open(phase=phase, actor=next(actors)), 2)

    assert all(isinstance(result, Opening) for result in results), results
    assert results[0].pk == results[1].pk
    assert Opening.objects.count() == 1
    assert OpeningEntry.objects.count() == 2


def test_the_opening_record_is_shown_a_page_at_a_time_in_constant_queries(
    sealed, verified_client, monkeypatch, django_assert_max_num_queries
):
    from proposals.views import opening as opening_views

    monkeypatch.setattr(opening_views, "OPENING_PAGE_SIZE", 2)
    submitted_proposals(sealed.call, 1)  # three received: two pages
    deadline_passed(sealed.call)
    client = verified_client(sealed.officer)
    page_url = reverse("proposals:opening", args=[sealed.phase.pk])
    first = client.get(page_url).content.decode()  # opens the phase
    entries = list(Opening.objects.get(phase=sealed.phase).entries.order_by("submitted_at", "pk"))
    assert len(entries) > 2
    with CaptureQueriesContext(connection) as queries:
        first = client.get(page_url).content.decode()
    assert first.count('data-testid="entry-') == 2
    assert f'data-testid="entry-{entries[0].submission_number}"' in first
    assert f"{len(entries)} " in first  # the caption counts them all
    assert "page=2" in first
    with django_assert_max_num_queries(len(queries)):
        last = client.get(page_url, {"page": 2}).content.decode()
    assert f'data-testid="entry-{entries[2].submission_number}"' in last
    assert f'data-testid="entry-{entries[0].submission_number}"' not in last
