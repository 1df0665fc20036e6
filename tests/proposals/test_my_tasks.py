""" "My tasks" on the dashboard: what waits for each person, with its deadline and a link."""

from datetime import timedelta
from decimal import Decimal
from html.parser import HTMLParser

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from calls.models import Call
from calls.services.clarifications import clarification_ask
from calls.services.participation import (
    participation_invitations_send,
    participation_request_decide,
    participation_request_submit,
)
from portal.models import Role
from proposals.models import Assignment, CommitteeMember, Contract, Deliverable, Proposal
from proposals.services.assessment import (
    advice_sign,
    assessment_save,
    assignment_add,
    committee_create,
    committee_member_add,
    conflict_declare,
    consensus_record,
)
from proposals.services.decisions import deliverable_deliver, proposal_award
from proposals.services.submission import proposal_start, proposal_submit, proposal_withdraw
from tests.calls.factories import assessment_for, declaration_for, officer_of, published_call
from tests.factories import person_with_role

from .factories import applicant, complete_draft, pdf_upload, submitted_proposals
from .test_api import assessment_under_way

pytestmark = pytest.mark.django_db


class _TaskRows(HTMLParser):
    """The rows of the dashboard's task table: (kind, link, title, deadline text)."""

    def __init__(self):
        super().__init__()
        self.rows: list[dict] = []
        self.empty = False
        self._cell = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        testid = attrs.get("data-testid", "")
        if testid.startswith("task-"):
            self.rows.append({"kind": testid[5:], "url": None, "title": "", "deadline": ""})
            self._cell = None
        elif testid == "no-tasks":
            self.empty = True
        elif tag == "td" and self.rows:
            self._cell = "title" if self._cell is None else "deadline"
        elif tag == "a" and self.rows and self._cell == "title":
            self.rows[-1]["url"] = attrs["href"]

    def handle_endtag(self, tag):
        if tag == "tr":
            self._cell = "done"

    def handle_data(self, data):
        if self.rows and self._cell in ("title", "deadline"):
            self.rows[-1][self._cell] += data


def dashboard(client) -> _TaskRows:
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    parser = _TaskRows()
    parser.feed(response.content.decode())
    return parser


def kinds(client) -> list[str]:
    return [row["kind"] for row in dashboard(client).rows]


def assert_links_open(client, rows) -> None:
    for row in rows:
        assert client.get(row["url"]).status_code == 200, row


def queries(client) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(reverse("dashboard")).status_code == 200
    return len(context.captured_queries)


# --- Nothing to do -----------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.MINISTRY_STAFF, Role.APPLICANT, Role.ASSESSOR])
def test_nothing_waits_for_a_newcomer(verified_client, role):
    published_call()  # someone else's world exists, but is none of their business

    page = dashboard(verified_client(person_with_role(role)))

    assert page.empty
    assert page.rows == []


def test_the_dashboard_needs_a_login(client):
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302


# --- Companies ---------------------------------------------------------------------------------


def test_a_company_member_sees_open_drafts_deliverables_and_fresh_decisions(client):
    open_draft = complete_draft()
    person = open_draft.person
    company = open_draft.company
    late_call = published_call()
    late = proposal_start(phase=late_call.phases.get(order=1), actor=person, title="Te laat")
    past = timezone.now() - timedelta(days=1)
    Call.objects.filter(pk=late_call.pk).update(deadline=past, questions_deadline=past)
    late_call.phases.filter(order=1).update(deadline=past)
    awarded = proposal_start(
        phase=published_call().phases.get(order=1), actor=person, title="Gehonoreerd voorstel"
    )
    Proposal.objects.filter(pk=awarded.pk).update(
        status=Proposal.Status.AWARDED, decided_at=timezone.now(), decision_motivation="Goed"
    )
    today = timezone.localdate()
    contract = Contract.objects.create(
        proposal=awarded,
        amount=Decimal("20000.00"),
        start_date=today,
        end_date=today + timedelta(days=120),
    )
    Deliverable.objects.create(
        contract=contract,
        kind=Deliverable.Kind.FEASIBILITY_REPORT,
        name="Haalbaarheidsrapport",
        due_date=today + timedelta(days=120),
    )
    old = proposal_start(
        phase=published_call().phases.get(order=1), actor=person, title="Lang geleden"
    )
    Proposal.objects.filter(pk=old.pk).update(
        status=Proposal.Status.REJECTED, decided_at=timezone.now() - timedelta(days=45)
    )
    complete_draft()  # another company's draft
    colleague = applicant(company=company)

    client.force_login(colleague)  # any member of the company sees the company's tasks
    rows = dashboard(client).rows

    assert [row["kind"] for row in rows] == ["proposal_draft", "deliverable_due", "decision"]
    draft_row, deliverable_row, decision_row = rows
    assert draft_row["url"] == reverse("proposals:edit", args=[open_draft.pk])
    assert open_draft.title in draft_row["title"]
    assert "CET" in draft_row["deadline"] or "CEST" in draft_row["deadline"]
    assert "Haalbaarheidsrapport" in deliverable_row["title"]
    assert "Gehonoreerd voorstel" in decision_row["title"]
    assert decision_row["deadline"].strip() != ""
    assert late.title not in str(rows)
    assert_links_open(client, rows)


def test_tasks_come_soonest_deadline_first_and_without_deadline_last(client):
    person = applicant()
    now = timezone.now()
    later = published_call(
        deadline=now + timedelta(days=90), questions_deadline=now + timedelta(days=5)
    )
    sooner = published_call(
        deadline=now + timedelta(days=10), questions_deadline=now + timedelta(days=5)
    )
    for call, title in ((later, "Later"), (sooner, "Eerder")):
        proposal_start(phase=call.phases.get(order=1), actor=person, title=title)
    decided = proposal_start(
        phase=published_call().phases.get(order=1), actor=person, title="Besloten"
    )
    Proposal.objects.filter(pk=decided.pk).update(
        status=Proposal.Status.REJECTED, decided_at=timezone.now()
    )

    client.force_login(person)
    titles = [row["title"] for row in dashboard(client).rows]

    assert ["Eerder" in titles[0], "Later" in titles[1], "Besloten" in titles[2]] == [True] * 3


def test_a_company_members_tasks_cost_the_same_queries_for_2_or_20_drafts(client):
    person = applicant()
    client.force_login(person)

    def add_drafts(count):
        for _ in range(count):
            call = published_call()
            proposal_start(phase=call.phases.get(order=1), actor=person, title="Concept")

    add_drafts(2)
    few = queries(client)
    add_drafts(18)

    assert queries(client) == few
    assert kinds(client).count("proposal_draft") == 20


def invited_to_tender(person) -> Call:
    """An innovation partnership whose officer selected this person's company and sent the
    invitations to tender; the tender deadline lies ahead."""
    call = published_call(instrument=Call.Instrument.INNOVATION_PARTNERSHIP)
    request = participation_request_submit(
        call=call,
        actor=person,
        motivation="Ervaring met veerponten.",
        document=pdf_upload(),
        **declaration_for(call),
    )
    with time_machine.travel(call.participation_deadline + timedelta(minutes=1)):
        participation_request_decide(
            request=request,
            actor=call.officer,
            selected=True,
            motivation="Geschikt.",
            **assessment_for(request),
        )
        participation_invitations_send(
            call=call, actor=call.officer, fewer_reason="Eén kandidaat vroeg deelname aan."
        )
    return call


def test_an_invited_company_is_asked_to_tender_then_to_finish_it_then_nothing(client):
    person = applicant()
    call = invited_to_tender(person)
    client.force_login(applicant(company=person.memberships.get().organisation))

    (invitation,) = dashboard(client).rows
    assert invitation["kind"] == "submit_tender"
    assert invitation["url"] == reverse("calls:participation_mine")

    tender = complete_draft(call=call, person=person)
    (finish,) = dashboard(client).rows  # neither the invitation nor a second draft task
    assert finish["kind"] == "finish_tender"
    assert finish["url"] == reverse("proposals:edit", args=[tender.pk])
    assert tender.title in finish["title"]
    assert finish["deadline"] == invitation["deadline"]
    assert_links_open(client, [finish])

    proposal_submit(proposal=tender, actor=person, declaration_accepted=True)
    assert kinds(client) == []

    # A withdrawn tender may be replaced before the deadline: the invitation is back.
    proposal_withdraw(proposal=tender, actor=person)
    assert kinds(client) == ["submit_tender"]


def test_an_invited_companys_tasks_cost_the_same_queries_for_3_or_30_invitations(client):
    person = applicant()
    client.force_login(person)

    def invite(count):
        for _ in range(count):
            _untouched, drafted, submitted = (invited_to_tender(person) for _ in range(3))
            proposal_start(phase=drafted.phases.get(order=1), actor=person, title="Inschrijving")
            proposal_submit(
                proposal=complete_draft(call=submitted, person=person),
                actor=person,
                declaration_accepted=True,
            )

    invite(1)
    few = queries(client)
    invite(9)

    assert queries(client) == few
    found = kinds(client)
    assert (found.count("submit_tender"), found.count("finish_tender"), len(found)) == (10, 10, 20)


# --- Committee members -------------------------------------------------------------------------


def test_a_committee_member_is_led_from_the_code_to_declarations_to_scoring(verified_client):
    with assessment_under_way() as world:
        member = world["members"][0]
        first, second, _third, fourth = world["proposals"]
        client = verified_client(member.user)
        rows = dashboard(client).rows
        assert [row["kind"] for row in rows] == ["declarations"]
        assert rows[0]["url"] == reverse("proposals:declarations", args=[member.pk])
        assert_links_open(client, rows)

        for proposal in world["proposals"]:
            conflict_declare(
                member=member,
                proposal=proposal,
                actor=member.user,
                has_conflict=proposal == fourth,
                explanation="Oud-werkgever" if proposal == fourth else "",
            )
        for proposal in (first, second):
            assignment_add(member=member, proposal=proposal, actor=world["officer"])
        Assignment.objects.create(member=member, proposal=fourth)  # conflicted: never shown
        rows = dashboard(client).rows

        assert [row["kind"] for row in rows] == ["assessment", "assessment"]
        assert {row["url"] for row in rows} == {
            reverse("proposals:assess", args=[member.pk, p.pk]) for p in (first, second)
        }
        assert first.submission_number in rows[0]["title"] + rows[1]["title"]
        assert_links_open(client, rows)

        # Another member of the same committee sees only their own work.
        other = world["members"][1]
        assert kinds(verified_client(other.user)) == ["declarations"]


def test_a_new_member_first_accepts_the_code_of_conduct(verified_client):
    with assessment_under_way() as world:
        user = person_with_role(Role.ASSESSOR, organisation=world["call"].authority)
        seat = committee_member_add(
            committee=world["committee"], actor=world["officer"], user=user, role="member"
        )
        client = verified_client(user)

        rows = dashboard(client).rows

        assert [row["kind"] for row in rows] == ["code_of_conduct"]
        assert rows[0]["url"] == reverse("proposals:code_of_conduct", args=[seat.pk])
        assert_links_open(client, rows)


def test_a_member_seated_before_the_deadline_can_accept_the_code_early(verified_client):
    call = published_call()
    submitted_proposals(call, 1)
    committee = committee_create(
        phase=call.phases.get(order=1), actor=call.officer, code_of_conduct="Vertrouwelijk."
    )
    user = person_with_role(Role.ASSESSOR, organisation=call.authority)
    seat = committee_member_add(committee=committee, actor=call.officer, user=user, role="member")

    rows = dashboard(verified_client(user)).rows

    assert [(row["kind"], row["url"]) for row in rows] == [
        ("code_of_conduct", reverse("proposals:code_of_conduct", args=[seat.pk]))
    ]


def _score(assignment: Assignment, submit: bool = True) -> None:
    assessment_save(
        assignment=assignment,
        actor=assignment.member.user,
        scores={c.pk: (7, "Degelijk") for c in assignment.proposal.phase.criteria.all()},
        submit=submit,
    )


def test_the_chair_signs_the_advice_once_every_assessment_is_in(verified_client):
    with assessment_under_way(proposals=2) as world:
        chair, member = world["chair"], world["members"][0]
        for seat in (chair, member):
            for proposal in world["proposals"]:
                conflict_declare(
                    member=seat, proposal=proposal, actor=seat.user, has_conflict=False
                )
        assignments = [
            assignment_add(member=member, proposal=p, actor=world["officer"])
            for p in world["proposals"]
        ]
        client = verified_client(chair.user)
        assert "advice" not in kinds(client)

        _score(assignments[0])
        _score(assignments[1], submit=False)  # saved, not yet submitted
        assert "advice" not in kinds(client)
        _score(assignments[1])
        rows = dashboard(client).rows

        assert [row["kind"] for row in rows] == ["advice"]
        assert rows[0]["url"] == reverse("proposals:advice", args=[chair.pk])
        assert_links_open(client, rows)
        assert kinds(verified_client(member.user)) == []  # the member's work is done

        advice_sign(committee=world["committee"], actor=chair.user, selected=[])
        assert kinds(verified_client(chair.user)) == []


def test_a_committee_members_tasks_cost_the_same_queries_for_2_or_20_proposals(
    verified_client,
):
    with assessment_under_way(proposals=20) as world:
        member = world["members"][0]
        for proposal in world["proposals"]:
            conflict_declare(
                member=member, proposal=proposal, actor=member.user, has_conflict=False
            )
        client = verified_client(member.user)

        for proposal in world["proposals"][:2]:
            assignment_add(member=member, proposal=proposal, actor=world["officer"])
        few = queries(client)
        for proposal in world["proposals"][2:]:
            assignment_add(member=member, proposal=proposal, actor=world["officer"])

        assert queries(client) == few
        assert kinds(client).count("assessment") == 20


# --- Officers ----------------------------------------------------------------------------------


def test_an_officer_sees_questions_then_closing_then_the_assessment_to_start(verified_client):
    call = published_call()
    officer = call.officer
    asker = applicant()
    clarification_ask(call=call, actor=asker, text="Mag het ook staal zijn?")
    clarification_ask(call=call, actor=asker, text="Hoe groot is het viaduct?")
    submitted_proposals(call, 2)
    client = verified_client(officer)

    rows = dashboard(client).rows
    assert [row["kind"] for row in rows] == ["clarification_questions"]
    assert rows[0]["url"] == reverse("calls:officer_clarifications", args=[call.pk])
    assert "2" in rows[0]["title"]
    assert_links_open(client, rows)

    with time_machine.travel(call.deadline + timedelta(minutes=5)):
        client = verified_client(officer)  # a fresh login: the session would have expired
        rows = dashboard(client).rows
        by_kind = {row["kind"]: row for row in rows}
        assert set(by_kind) == {"clarification_questions", "close_call", "start_assessment"}
        assert by_kind["close_call"]["url"] == reverse("calls:officer_manage", args=[call.pk])
        phase = call.phases.get(order=1)
        assert by_kind["start_assessment"]["url"].startswith(
            reverse("proposals:officer_phase", args=[phase.pk])
        )
        assert_links_open(client, rows)

        # Someone else's calls are none of another authority's officers' business.
        assert kinds(verified_client(officer_of())) == []


def test_an_officer_decides_after_the_advice_and_reviews_deliverables(verified_client):
    with assessment_under_way(proposals=2) as world:
        officer, chair = world["officer"], world["chair"]
        first = world["proposals"][0]
        client = verified_client(officer)
        assert "decide" not in kinds(client)

        for proposal in world["proposals"]:  # the chair declares before presiding
            conflict_declare(member=chair, proposal=proposal, actor=chair.user, has_conflict=False)
        for criterion in world["phase"].criteria.all():
            consensus_record(
                proposal=first,
                actor=chair.user,
                criterion_id=criterion.pk,
                score=criterion.scale_max,
                motivation="Sterk",
            )
        advice_sign(committee=world["committee"], actor=chair.user, selected=[first])
        rows = [row for row in dashboard(client).rows if row["kind"] == "decide"]
        assert len(rows) == 1
        assert rows[0]["url"].startswith(
            reverse("proposals:officer_phase", args=[world["phase"].pk])
        )
        assert_links_open(client, rows)

        contract = proposal_award(proposal=first, actor=officer, motivation="Sterk plan").contract
        milestones = list(contract.deliverables.order_by("due_date", "pk"))
        for deliverable in milestones:
            deliverable_deliver(
                deliverable=deliverable, actor=first.created_by, upload=pdf_upload()
            )
        rows = dashboard(client).rows
        review = [row for row in rows if row["kind"] == "review_deliverable"]
        assert sorted(row["url"] for row in review) == sorted(
            reverse("proposals:officer_review", args=[deliverable.pk]) for deliverable in milestones
        )
        assert first.company.name in review[0]["title"]
        assert_links_open(client, review)
        # The company's own view: its decision to read, nothing to deliver any more.
        client.force_login(first.created_by)
        assert kinds(client) == ["decision"]


def test_an_officers_tasks_cost_the_same_queries_for_2_or_20_calls(verified_client):
    officer = officer_of()
    asker = applicant()
    start = timezone.now()

    def add_calls(count):
        for _ in range(count):
            call = published_call(
                officer=officer,
                deadline=start + timedelta(days=30),
                questions_deadline=start + timedelta(days=20),
            )
            clarification_ask(call=call, actor=asker, text="Een vraag")
            submitted_proposals(call, 1)

    add_calls(2)
    with time_machine.travel(start + timedelta(days=31)):
        few = queries(verified_client(officer))
    add_calls(18)

    with time_machine.travel(start + timedelta(days=31)):
        client = verified_client(officer)
        assert queries(client) == few
        found = kinds(client)
    assert found.count("clarification_questions") == 20
    assert found.count("close_call") == 20
    assert found.count("start_assessment") == 20


def test_only_the_own_seat_counts_for_committee_tasks(verified_client):
    with assessment_under_way() as world:
        outsider = person_with_role(Role.ASSESSOR, organisation=world["call"].authority)
        assert kinds(verified_client(outsider)) == []
        assert CommitteeMember.objects.filter(user=outsider).count() == 0


def test_committee_tasks_carry_the_assessment_deadline(verified_client):
    with assessment_under_way(proposals=1) as world:
        due = timezone.now() + timedelta(days=14)
        type(world["committee"]).objects.filter(pk=world["committee"].pk).update(
            assessment_deadline=due
        )
        member = world["members"][0]
        (proposal,) = world["proposals"]

        (declare,) = dashboard(verified_client(member.user)).rows
        assert declare["kind"] == "declarations"
        assert timezone.localtime(due).strftime("%Y") in declare["deadline"]
        assert "CET" in declare["deadline"] or "CEST" in declare["deadline"]

        conflict_declare(member=member, proposal=proposal, actor=member.user, has_conflict=False)
        assignment_add(member=member, proposal=proposal, actor=world["officer"])
        (score,) = dashboard(verified_client(member.user)).rows
        assert score["kind"] == "assessment"
        assert score["deadline"] == declare["deadline"]
