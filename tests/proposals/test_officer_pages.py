"""The procurement officer's proposal, committee and decision pages, through the pages.

Who may reach which page (every role against every URL, another authority's objects too),
the list of a call's proposals (never drafts, constant queries), starting the assessment,
setting up the committee, assigning proposals, deciding within the budget, and reviewing
deliverables so the company may go on to the next phase.
"""

import re
from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace
from urllib.parse import urlparse

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.core import mail
from django.core.exceptions import NON_FIELD_ERRORS
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from calls.models import Call, Phase
from calls.services.lifecycle import call_close
from portal.exceptions import DomainError
from portal.models import Organisation, Role, User
from proposals.models import (
    Assessment,
    Assignment,
    Committee,
    CommitteeMember,
    Contract,
    CriterionScore,
    Deliverable,
    Proposal,
)
from proposals.selectors.capacity import PhaseCapacity, phase_capacity
from proposals.services.assessment import (
    assessment_open,
    code_of_conduct_accept,
    committee_create,
    committee_invite_expert,
    committee_member_add,
    conflict_declare,
)
from proposals.services.decisions import deliverable_deliver, proposal_award, proposal_reject
from proposals.services.submission import funnel_problem
from tests.calls.factories import officer_of, published_call
from tests.conftest import login_verified
from tests.factories import AuthorityFactory, UserFactory, person_with_role

from .factories import (
    PDF,
    applicant,
    complete_draft,
    deadline_passed,
    pdf_upload,
    signed_advice,
    submitted_proposals,
)

pytestmark = pytest.mark.django_db


# --- Helpers ------------------------------------------------------------------------------


def officer_client(user, *, english: bool = False) -> Client:
    client = login_verified(Client(), user)
    if english:
        client.cookies["django_language"] = "en"
    return client


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def url(name: str, **kwargs) -> str:
    return reverse(f"proposals:{name}", kwargs=kwargs)


def after(call: Call):
    return time_machine.travel(call.deadline + timedelta(minutes=1))


@pytest.fixture
def submitted():
    """A published call with 3 submitted proposals and one draft, before the deadline."""
    call = published_call()
    proposals = submitted_proposals(call, 3)
    draft = complete_draft(call=call)
    return SimpleNamespace(
        call=call,
        officer=call.officer,
        phase=call.phases.get(order=1),
        proposals=proposals,
        draft=draft,
    )


@pytest.fixture
def assessing(submitted):
    """After the deadline: proposals under assessment, a committee of a chair and 3 members."""
    call, officer, phase = submitted.call, submitted.officer, submitted.phase
    with after(call):
        call_close(call=call, actor=officer)
        assessment_open(phase=phase, actor=officer)
        committee = committee_create(
            phase=phase, actor=officer, code_of_conduct="Vertrouwelijk.", assessors_per_proposal=2
        )
        chair = committee_member_add(
            committee=committee,
            actor=officer,
            user=person_with_role(Role.COMMITTEE_CHAIR, organisation=call.authority),
            role=CommitteeMember.Role.CHAIR,
        )
        members = [
            committee_member_add(
                committee=committee,
                actor=officer,
                user=person_with_role(Role.ASSESSOR, organisation=call.authority),
                role=CommitteeMember.Role.MEMBER,
            )
            for _ in range(3)
        ]
        for seat in [chair, *members]:
            code_of_conduct_accept(member=seat, actor=seat.user)
        persons = {p.pk: p.person for p in submitted.proposals}
        proposals = []
        for p in submitted.proposals:
            proposal = Proposal.objects.get(pk=p.pk)
            proposal.person = persons[p.pk]
            proposals.append(proposal)
        yield SimpleNamespace(
            **{**vars(submitted), "proposals": proposals},
            committee=committee,
            chair=chair,
            members=members,
        )


@pytest.fixture
def advised(assessing):
    """The committee's chair has signed the advice: every proposal eligible."""
    assessing.advice = signed_advice(assessing.phase)
    return assessing


@pytest.fixture
def delivered(advised):
    """The first proposal awarded and its feasibility report delivered by the company."""
    assessing = advised
    proposal = assessing.proposals[0]
    contract = proposal_award(
        proposal=proposal, actor=assessing.officer, motivation="Sterk plan"
    ).contract
    deliverable = contract.deliverables.get(kind=Deliverable.Kind.FEASIBILITY_REPORT)
    deliverable_deliver(
        deliverable=deliverable, actor=proposal.person, upload=pdf_upload("haalbaarheid.pdf")
    )
    deliverable.refresh_from_db()
    assessing.contract = contract
    assessing.deliverable = deliverable
    return assessing


# --- Who may see what ---------------------------------------------------------------------


def page_urls(world) -> list[str]:
    return [
        url("officer_proposals", call_pk=world.call.pk),
        url("officer_phase", phase_pk=world.phase.pk),
        url("officer_decide", pk=world.proposals[1].pk),
        url("officer_review", deliverable_pk=world.deliverable.pk),
        url("officer_deliverable_file", deliverable_pk=world.deliverable.pk),
    ]


def post_urls(world) -> list[tuple[str, dict]]:
    phase_pk = world.phase.pk
    return [
        (url("officer_open_assessment", phase_pk=phase_pk), {}),
        (
            url("officer_committee_create", phase_pk=phase_pk),
            {"code_of_conduct": "Code", "assessors_per_proposal": "2"},
        ),
        (
            url("officer_member_add", phase_pk=phase_pk),
            {"user": str(world.chair.user.pk), "role": "member"},
        ),
        (
            url("officer_expert_invite", phase_pk=phase_pk),
            {"full_name": "Eva Expert", "email": "eva@example.org", "expertise": "Beton"},
        ),
        (
            url("officer_assign", phase_pk=phase_pk),
            {"member": str(world.members[0].pk), "proposal": str(world.proposals[1].pk)},
        ),
        (url("officer_assign_auto", phase_pk=phase_pk), {}),
        (
            url("officer_decide", pk=world.proposals[1].pk),
            {"decision": "award", "motivation": "Goed", "amount": "10000.00", "confirmed": "1"},
        ),
        (
            url("officer_review", deliverable_pk=world.deliverable.pk),
            {"outcome": "accept", "remarks": ""},
        ),
    ]


def _state(world) -> tuple:
    """Everything the officer's actions could change."""
    return (
        Committee.objects.count(),
        CommitteeMember.objects.count(),
        Assignment.objects.count(),
        Contract.objects.count(),
        sorted(Proposal.objects.values_list("pk", "status")),
        Deliverable.objects.get(pk=world.deliverable.pk).status,
        len(mail.outbox),
    )


OUTSIDERS = ["applicant", "owning company", "ministry staff", "assessor", "other officer"]


def outsider(world, kind: str) -> Client:
    if kind == "applicant":
        client = Client()
        client.force_login(applicant())
        return client
    if kind == "owning company":
        client = Client()
        client.force_login(world.proposals[0].person)
        return client
    if kind == "ministry staff":
        return officer_client(person_with_role(Role.MINISTRY_STAFF))
    if kind == "assessor":
        # On this very committee, and cleared for the proposals it assesses.
        return officer_client(world.members[0].user)
    return officer_client(officer_of(AuthorityFactory()))


def test_anonymous_visitors_are_sent_to_the_login_page(delivered):
    client = Client()
    login = reverse("login")
    for page in [*page_urls(delivered), url("officer_contracts")]:
        response = client.get(page)
        assert response.status_code == 302, page
        assert urlparse(response.url).path == login
    before = _state(delivered)
    for action, data in post_urls(delivered):
        response = client.post(action, data)
        assert response.status_code == 302
        assert urlparse(response.url).path == login
    assert _state(delivered) == before


@pytest.mark.parametrize("kind", OUTSIDERS)
def test_everyone_but_the_owning_officer_gets_404(delivered, kind):
    client = outsider(delivered, kind)
    for page in page_urls(delivered):
        assert client.get(page).status_code == 404, page
    before = _state(delivered)
    for action, data in post_urls(delivered):
        assert client.post(action, data).status_code == 404, action
    assert _state(delivered) == before


@pytest.mark.parametrize("kind", ["applicant", "ministry staff", "assessor"])
def test_the_contracts_list_is_only_for_officers(delivered, kind):
    assert outsider(delivered, kind).get(url("officer_contracts")).status_code == 404


def test_an_officer_of_another_authority_sees_none_of_these_contracts(delivered):
    response = outsider(delivered, "other officer").get(url("officer_contracts"))
    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count == 0
    assert f'data-testid="contract-{delivered.contract.pk}"' not in response.content.decode()


def test_the_owning_officer_reaches_every_page(delivered):
    client = officer_client(delivered.officer)
    for page in [*page_urls(delivered), url("officer_contracts")]:
        response = client.get(page)
        assert response.status_code == 200, page
    response = client.get(url("officer_deliverable_file", deliverable_pk=delivered.deliverable.pk))
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")


def test_a_draft_proposal_does_not_exist_for_the_officer(submitted):
    client = officer_client(submitted.officer)
    assert client.get(url("officer_decide", pk=submitted.draft.pk)).status_code == 404


def test_post_only_actions_refuse_get(assessing):
    client = officer_client(assessing.officer)
    assert client.get(url("officer_assign_auto", phase_pk=assessing.phase.pk)).status_code == 405


# --- The proposals of a call --------------------------------------------------------------


def test_the_list_shows_submitted_proposals_never_drafts(submitted):
    deadline_passed(submitted.call)
    client = officer_client(submitted.officer)
    response = client.get(url("officer_proposals", call_pk=submitted.call.pk))
    assert response.status_code == 200
    html = response.content.decode()
    for proposal in submitted.proposals:
        assert proposal.submission_number in html
        assert reverse("proposals:detail", kwargs={"pk": proposal.pk}) in html
    assert f'data-testid="proposal-{submitted.draft.pk}"' not in html
    assert response.context["page_obj"].paginator.count == 3
    row = re.search(
        rf'data-testid="proposal-{submitted.proposals[0].pk}".*?</tr>', html, flags=re.S
    ).group(0)
    documents = submitted.proposals[0].attachments.count()
    assert f'data-testid="documents">{documents}<' in row
    assert "20.000,00" in row  # the requested amount, in Dutch notation


def test_the_list_filters_by_phase_and_status(advised):
    assessing = advised
    proposal_award(
        proposal=assessing.proposals[0], actor=assessing.officer, motivation="Beste plan"
    )
    client = officer_client(assessing.officer)
    base = url("officer_proposals", call_pk=assessing.call.pk)

    response = client.get(base, {"status": "awarded", "phase": assessing.phase.pk})
    assert [p.pk for p in response.context["page_obj"]] == [assessing.proposals[0].pk]
    response = client.get(base, {"status": "under_assessment"})
    assert response.context["page_obj"].paginator.count == 2
    response = client.get(base, {"status": "draft"})  # not a choice: nothing filtered
    assert response.context["page_obj"].paginator.count == 3
    other_phase = assessing.call.phases.get(order=2)
    response = client.get(base, {"phase": other_phase.pk})
    assert response.context["page_obj"].paginator.count == 0


def _bulk_submitted(call: Call, count: int, start: int) -> None:
    """Many submitted proposals, each of its own company, without going through services."""
    phase = call.phases.get(order=1)
    person = applicant()
    companies = Organisation.objects.bulk_create(
        Organisation(
            name=f"Bulk {start + i} B.V.",
            kind=Organisation.Kind.COMPANY,
            kvk_number=f"{80000000 + start + i:08d}",
        )
        for i in range(count)
    )
    now = timezone.now()
    Proposal.objects.bulk_create(
        Proposal(
            call=call,
            phase=phase,
            company=company,
            created_by=person,
            title=f"Voorstel {start + i}",
            status=Proposal.Status.SUBMITTED,
            submission_number=f"{call.reference}-B{start + i:05d}",
            submitted_at=now,
            requested_amount=Decimal("25000.00"),
        )
        for i, company in enumerate(companies)
    )


def test_the_list_costs_the_same_queries_for_10_or_300_proposals(django_assert_num_queries):
    call = deadline_passed(published_call())
    client = officer_client(call.officer)
    page = url("officer_proposals", call_pk=call.pk)
    _bulk_submitted(call, 10, start=0)
    client.get(page)  # warm up the session and caches
    with CaptureQueriesContext(connection) as few:
        response = client.get(page)
    assert response.context["page_obj"].paginator.count == 10

    _bulk_submitted(call, 290, start=10)
    with django_assert_num_queries(len(few)):
        response = client.get(page)
    assert response.context["page_obj"].paginator.count == 300
    assert len(response.context["page_obj"].object_list) == 25


# --- Starting the assessment --------------------------------------------------------------


def test_starting_the_assessment_before_the_deadline_is_refused(submitted):
    client = officer_client(submitted.officer, english=True)
    response = client.post(url("officer_open_assessment", phase_pk=submitted.phase.pk))
    assert response.status_code == 302
    assert messages_of(response) == ["The assessment can start once the deadline has passed."]
    statuses = set(Proposal.objects.filter(phase=submitted.phase).values_list("status", flat=True))
    assert statuses == {Proposal.Status.SUBMITTED, Proposal.Status.DRAFT}


def test_starting_the_assessment_after_the_deadline(submitted):
    with after(submitted.call):
        client = officer_client(submitted.officer)
        call_close(call=submitted.call, actor=submitted.officer)
        page = client.get(url("officer_phase", phase_pk=submitted.phase.pk))
        assert 'data-testid="open-assessment"' in page.content.decode()
        response = client.post(url("officer_open_assessment", phase_pk=submitted.phase.pk))
    assert response.status_code == 302
    under = Proposal.objects.filter(
        phase=submitted.phase, status=Proposal.Status.UNDER_ASSESSMENT
    ).count()
    assert under == 3
    assert Proposal.objects.get(pk=submitted.draft.pk).status == Proposal.Status.DRAFT
    submitted.call.refresh_from_db()
    assert submitted.call.status == Call.Status.UNDER_ASSESSMENT


# --- The committee ------------------------------------------------------------------------


def test_the_committee_gets_an_assessment_deadline_in_the_future_only(submitted):
    client = officer_client(submitted.officer)
    create = url("officer_committee_create", phase_pk=submitted.phase.pk)
    past = (timezone.localtime() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")

    client.post(create, {"code_of_conduct": "Code", "assessors_per_proposal": "2",
                         "assessment_deadline": past})  # fmt: skip
    assert not Committee.objects.filter(phase=submitted.phase).exists()

    client.post(create, {"code_of_conduct": "Code", "assessors_per_proposal": "2",
                         "assessment_deadline": "2099-03-01T17:00"})  # fmt: skip
    committee = Committee.objects.get(phase=submitted.phase)
    assert timezone.localtime(committee.assessment_deadline).strftime("%Y-%m-%d %H:%M") == (
        "2099-03-01 17:00"
    )


def test_setting_up_the_committee(submitted):
    client = officer_client(submitted.officer)
    page = client.get(url("officer_phase", phase_pk=submitted.phase.pk))
    default_code = page.context["committee_form"]["code_of_conduct"].value()
    assert len(str(default_code)) > 100  # a sensible default is prefilled

    response = client.post(
        url("officer_committee_create", phase_pk=submitted.phase.pk),
        {"code_of_conduct": str(default_code), "assessors_per_proposal": "2"},
    )
    assert response.status_code == 302
    committee = Committee.objects.get(phase=submitted.phase)
    assert committee.assessors_per_proposal == 2
    assert committee.code_of_conduct == str(default_code).strip()

    again = client.post(
        url("officer_committee_create", phase_pk=submitted.phase.pk),
        {"code_of_conduct": "Nog een", "assessors_per_proposal": "3"},
    )
    assert again.status_code == 302  # a double click: refused with a message, no second one
    assert Committee.objects.filter(phase=submitted.phase).count() == 1


def test_a_committee_without_code_of_conduct_is_refused_and_the_input_kept(submitted):
    client = officer_client(submitted.officer)
    response = client.post(
        url("officer_committee_create", phase_pk=submitted.phase.pk),
        {"code_of_conduct": "  ", "assessors_per_proposal": "4"},
    )
    assert response.status_code == 200
    form = response.context["committee_form"]
    assert form.has_error("code_of_conduct")
    assert 'value="4"' in response.content.decode()
    assert not Committee.objects.exists()


def _committee(world) -> Committee:
    return committee_create(phase=world.phase, actor=world.officer, code_of_conduct="Code")


def test_adding_an_assessor_of_the_authority(submitted):
    committee = _committee(submitted)
    assessor = person_with_role(Role.ASSESSOR, organisation=submitted.call.authority)
    client = officer_client(submitted.officer)
    page = client.get(url("officer_phase", phase_pk=submitted.phase.pk))
    assert assessor in page.context["member_form"].fields["user"].queryset

    response = client.post(
        url("officer_member_add", phase_pk=submitted.phase.pk),
        {"user": str(assessor.pk), "role": "chair", "expertise": "Bruggen"},
    )
    assert response.status_code == 302
    seat = committee.members.get()
    assert (seat.user, seat.role, seat.is_independent) == (assessor, "chair", False)
    page = client.get(url("officer_phase", phase_pk=submitted.phase.pk))
    assert f'data-testid="member-{seat.pk}"' in page.content.decode()


def test_an_applicant_cannot_be_added_to_the_committee(submitted):
    committee = _committee(submitted)
    client = officer_client(submitted.officer)
    company_person = submitted.proposals[0].person
    response = client.post(
        url("officer_member_add", phase_pk=submitted.phase.pk),
        {"user": str(company_person.pk), "role": "member"},
    )
    assert response.status_code == 200
    assert response.context["member_form"].has_error("user", "invalid_choice")
    assert not committee.members.exists()

    # An assessor of the authority who also acts for a company that submitted a proposal:
    # the service refuses, the form says why.
    double_role = person_with_role(Role.ASSESSOR, organisation=submitted.call.authority)
    double_role.memberships.create(organisation=submitted.proposals[1].company, role=Role.APPLICANT)
    response = client.post(
        url("officer_member_add", phase_pk=submitted.phase.pk),
        {"user": str(double_role.pk), "role": "member", "expertise": "Asfalt"},
    )
    assert response.status_code == 200
    assert response.context["member_form"].non_field_errors()
    assert 'value="Asfalt"' in response.content.decode()
    assert not committee.members.exists()


def test_inviting_an_independent_expert_sends_a_password_link(
    submitted, django_capture_on_commit_callbacks
):
    committee = _committee(submitted)
    client = officer_client(submitted.officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("officer_expert_invite", phase_pk=submitted.phase.pk),
            {"full_name": "Eva de Expert", "email": "Eva@Example.org", "expertise": "Beton"},
        )
    assert response.status_code == 302
    seat = committee.members.get()
    assert (seat.user.email, seat.is_independent, seat.expertise) == (
        "eva@example.org",
        True,
        "Beton",
    )
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["eva@example.org"]
    link = re.search(r"https?://\S+/password/reset/\S+/", message.body).group(0)
    set_password = Client().get(urlparse(link).path)
    assert set_password.status_code == 302
    assert set_password.url.endswith("/set-password/")  # the token is valid


def test_an_invitation_with_a_bad_address_keeps_what_was_typed(submitted):
    committee = _committee(submitted)
    client = officer_client(submitted.officer)
    response = client.post(
        url("officer_expert_invite", phase_pk=submitted.phase.pk),
        {"full_name": "Eva de Expert", "email": "eva-at-example", "expertise": "Beton"},
    )
    assert response.status_code == 200
    assert response.context["expert_form"].has_error("email")
    assert "Eva de Expert" in response.content.decode()
    assert not committee.members.exists()
    assert mail.outbox == []


def test_inviting_someone_who_is_not_an_assessor_is_refused(submitted):
    _committee(submitted)
    company_person = submitted.proposals[0].person
    client = officer_client(submitted.officer)
    response = client.post(
        url("officer_expert_invite", phase_pk=submitted.phase.pk),
        {"full_name": "Iemand", "email": company_person.email, "expertise": "Beton"},
    )
    assert response.status_code == 200
    assert response.context["expert_form"].non_field_errors()
    assert not CommitteeMember.objects.exists()


# --- Assignments --------------------------------------------------------------------------


def test_automatic_assignment_respects_a_declared_conflict(assessing):
    member, conflicted = assessing.members[0], assessing.proposals[0]
    with after(assessing.call):
        conflict_declare(
            member=member,
            proposal=conflicted,
            actor=member.user,
            has_conflict=True,
            explanation="Oud-collega",
        )
    client = officer_client(assessing.officer)
    page = client.get(url("officer_phase", phase_pk=assessing.phase.pk))
    assert 'data-testid="assign-auto"' in page.content.decode()

    response = client.post(url("officer_assign_auto", phase_pk=assessing.phase.pk))
    assert response.status_code == 302
    assert not Assignment.objects.filter(member=member, proposal=conflicted).exists()
    for proposal in assessing.proposals:
        assert Assignment.objects.filter(proposal=proposal).count() == 2

    page = client.get(url("officer_phase", phase_pk=assessing.phase.pk)).content.decode()
    assert f'data-testid="cell-{member.pk}-{conflicted.pk}" data-state="conflict"' in page
    assigned = Assignment.objects.filter(proposal=conflicted).first()
    assert f'data-testid="cell-{assigned.member_id}-{conflicted.pk}" data-state="assigned"' in page


def test_no_assignment_is_added_once_the_advice_is_signed(assessing):
    signed_advice(assessing.phase)
    client = officer_client(assessing.officer)
    page = client.get(url("officer_phase", phase_pk=assessing.phase.pk)).content.decode()
    assert 'data-testid="assignments-closed"' in page
    assert 'data-testid="assign-auto"' not in page
    assert 'data-testid="assign-form"' not in page
    before = Assignment.objects.count()
    member, proposal = assessing.members[0], assessing.proposals[0]

    response = client.post(url("officer_assign_auto", phase_pk=assessing.phase.pk))
    assert response.status_code == 302
    response = client.post(
        url("officer_assign", phase_pk=assessing.phase.pk),
        {"member": str(member.pk), "proposal": str(proposal.pk)},
    )
    # The page has no form to show the refusal on any more: it says so in a message.
    assert response.status_code == 302
    assert messages_of(response)[-1] == (
        "Het advies is ondertekend; de commissie kan niet meer veranderen."
    )
    assert Assignment.objects.count() == before


def test_no_member_or_expert_is_added_once_the_advice_is_signed(
    assessing, django_capture_on_commit_callbacks
):
    signed_advice(assessing.phase)
    phase, committee = assessing.phase, assessing.committee
    client = officer_client(assessing.officer)
    page = client.get(url("officer_phase", phase_pk=phase.pk)).text
    assert 'data-testid="members-closed"' in page
    for form in ("member-form", "expert-form", "deputy-form"):
        assert f'data-testid="{form}"' not in page
    seats = set(committee.members.values_list("pk", flat=True))
    assessor = person_with_role(Role.ASSESSOR, organisation=assessing.call.authority)
    closed = "Het advies is ondertekend; de commissie kan niet meer veranderen."

    with django_capture_on_commit_callbacks(execute=True):
        for name, data in (
            ("officer_member_add", {"user": str(assessor.pk), "role": "member"}),
            (
                "officer_expert_invite",
                {"full_name": "Eva de Expert", "email": "eva@example.org", "expertise": "Beton"},
            ),
            ("officer_deputy", {"member": str(assessing.members[0].pk)}),
        ):
            response = client.post(url(name, phase_pk=phase.pk), data, follow=True)
            assert response.redirect_chain, name
            assert [str(m) for m in response.context["messages"]] == [closed], name

    assert set(committee.members.values_list("pk", flat=True)) == seats
    assert not User.objects.filter(email="eva@example.org").exists()
    assert mail.outbox == []
    committee.refresh_from_db()
    assert committee.deputy_chair is None
    # The service refuses whoever calls it, with one rule for every change.
    for change in (
        lambda: committee_member_add(
            committee=committee, actor=assessing.officer, user=assessor, role="member"
        ),
        lambda: committee_invite_expert(
            committee=committee,
            actor=assessing.officer,
            email="eva@example.org",
            full_name="Eva",
            expertise="Beton",
        ),
    ):
        with pytest.raises(DomainError) as refused:
            change()
        assert refused.value.code == "signed"
    assert set(committee.members.values_list("pk", flat=True)) == seats


def test_assigning_by_hand_and_refusing_a_conflicted_member(assessing):
    member, conflicted, other = assessing.members[0], *assessing.proposals[:2]
    with after(assessing.call):
        conflict_declare(
            member=member,
            proposal=conflicted,
            actor=member.user,
            has_conflict=True,
            explanation="Aandeelhouder",
        )
    client = officer_client(assessing.officer)
    assign = url("officer_assign", phase_pk=assessing.phase.pk)

    response = client.post(assign, {"member": str(member.pk), "proposal": str(conflicted.pk)})
    assert response.status_code == 200
    assert response.context["assign_form"].non_field_errors()
    assert not Assignment.objects.exists()

    response = client.post(assign, {"member": str(member.pk), "proposal": str(other.pk)})
    assert response.status_code == 302
    assert Assignment.objects.filter(member=member, proposal=other).exists()


# --- Decisions ----------------------------------------------------------------------------


def decide(client, proposal, **data):
    """The decision, confirmed (the second step, after the confirmation page)."""
    return client.post(url("officer_decide", pk=proposal.pk), {**data, "confirmed": "1"})


def test_awarding_within_the_budget_makes_a_contract_and_mails_the_company(
    advised, django_capture_on_commit_callbacks
):
    assessing = advised
    proposal = assessing.proposals[0]
    client = officer_client(assessing.officer)
    page = client.get(url("officer_decide", pk=proposal.pk))
    assert page.context["form"]["amount"].value() == Decimal("20000.00")
    assert page.context["budget_left"] == assessing.phase.budget
    assert page.context["awards_left"] == assessing.phase.planned_awards

    with django_capture_on_commit_callbacks(execute=True):
        response = decide(
            client, proposal, decision="award", motivation="Sterk en haalbaar", amount="15000.00"
        )
    assert response.status_code == 302
    assert response.url == url("officer_phase", phase_pk=assessing.phase.pk) + "#decisions"
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.AWARDED
    assert proposal.decision_motivation == "Sterk en haalbaar"
    assert proposal.contract.amount == Decimal("15000.00")
    # One e-mail per decision, the letter's: it leaves once the whole phase is decided.
    assert not mail.outbox
    with django_capture_on_commit_callbacks(execute=True):
        for other in assessing.proposals[1:]:
            assert decide(client, other, decision="reject", motivation="Minder").status_code == 302
    (message,) = [m for m in mail.outbox if proposal.person.email in m.to]
    assert "Sterk en haalbaar" in message.body
    assert message.attachments[0][2] == "application/pdf"

    page = client.get(url("officer_decide", pk=proposal.pk))
    assert page.context["budget_left"] == assessing.phase.budget - Decimal("15000.00")
    assert 'data-testid="contract-amount"' in page.content.decode()


@pytest.mark.parametrize("decision", ["award", "reject"])
def test_deciding_asks_first_and_only_a_confirmed_post_decides(advised, decision):
    proposal = advised.proposals[0]
    client = officer_client(advised.officer, english=True)
    data = {"decision": decision, "motivation": "Sterk en haalbaar"}
    if decision == "award":
        data["amount"] = "15000.00"
    address = url("officer_decide", pk=proposal.pk)

    assert 'name="motivation"' in client.get(address).content.decode()
    asked = client.post(address, data)

    assert asked.status_code == 200
    page = asked.content.decode()
    assert 'data-testid="confirm-summary"' in page
    assert proposal.submission_number in page
    assert "Sterk en haalbaar" in page
    assert "cannot be changed" in page
    if decision == "award":
        assert "15,000.00" in page
    assert Proposal.objects.get(pk=proposal.pk).status == Proposal.Status.UNDER_ASSESSMENT
    assert not mail.outbox
    revised = client.post(address, {**data, "revise": "1"})
    assert revised.status_code == 200
    assert 'data-testid="confirm-summary"' not in revised.content.decode()
    assert "Sterk en haalbaar" in revised.content.decode()
    assert Proposal.objects.get(pk=proposal.pk).status == Proposal.Status.UNDER_ASSESSMENT

    done = client.post(address, {**data, "confirmed": "1"})

    assert done.status_code == 302
    expected = Proposal.Status.AWARDED if decision == "award" else Proposal.Status.REJECTED
    assert Proposal.objects.get(pk=proposal.pk).status == expected


def test_deciding_before_the_advice_is_signed_is_refused_on_the_form(assessing):
    proposal = assessing.proposals[0]
    client = officer_client(assessing.officer)

    response = decide(client, proposal, decision="award", motivation="Sterk", amount="15000.00")

    assert response.status_code == 200
    assert response.context["form"].has_error(NON_FIELD_ERRORS, "advice")
    assert "Sterk" in response.content.decode()
    assert Proposal.objects.get(pk=proposal.pk).status == Proposal.Status.UNDER_ASSESSMENT
    assert not Contract.objects.exists()


def test_an_award_over_the_phase_budget_is_refused_on_the_form(advised):
    assessing = advised
    Phase.objects.filter(pk=assessing.phase.pk).update(
        budget=Decimal("30000.00"), max_per_award=Decimal("25000.00")
    )
    first, second = assessing.proposals[:2]
    proposal_award(proposal=first, actor=assessing.officer, motivation="Beste")  # 20.000
    client = officer_client(assessing.officer)

    response = decide(client, second, decision="award", motivation="Ook goed", amount="20000.00")

    assert response.status_code == 200
    assert response.context["form"].has_error("amount", "budget")
    assert "Ook goed" in response.content.decode()  # nothing typed is lost
    second.refresh_from_db()
    assert second.status == Proposal.Status.UNDER_ASSESSMENT
    assert Contract.objects.count() == 1


@pytest.mark.parametrize(
    ("english", "maximum"), [(False, "€\u00a0100.000,00"), (True, "€\u00a0100,000.00")]
)
def test_an_award_over_the_maximum_is_refused_before_the_confirmation(advised, english, maximum):
    Phase.objects.filter(pk=advised.phase.pk).update(
        budget=Decimal("300000.00"), max_per_award=Decimal("100000.00")
    )
    proposal = advised.proposals[0]
    client = officer_client(advised.officer, english=english)

    # The first step, not yet confirmed: the service's refusal, not the confirmation.
    response = client.post(
        url("officer_decide", pk=proposal.pk),
        {"decision": "award", "motivation": "Boven het maximum", "amount": "150000"},
    )

    assert response.status_code == 200
    assert 'data-testid="confirm-summary"' not in response.text
    assert response.context["form"].has_error("amount", "amount")
    summary = re.search(r'data-testid="form-error-summary".*?</div>', response.text, re.S)
    assert summary is not None
    assert maximum in summary[0]
    assert "100000.00" not in response.text
    assert "Boven het maximum" in response.text  # nothing typed is lost
    assert Proposal.objects.get(pk=proposal.pk).status == Proposal.Status.UNDER_ASSESSMENT

    # Within the maximum the confirmation is asked as before.
    asked = client.post(
        url("officer_decide", pk=proposal.pk),
        {"decision": "award", "motivation": "Goed", "amount": "100000"},
    )
    assert 'data-testid="confirm-summary"' in asked.text


@pytest.mark.parametrize("decision", ["award", "reject"])
def test_a_decision_before_the_advice_is_refused_before_the_confirmation(assessing, decision):
    proposal = assessing.proposals[0]
    client = officer_client(assessing.officer)

    response = client.post(
        url("officer_decide", pk=proposal.pk), {"decision": decision, "motivation": "Sterk"}
    )

    assert response.status_code == 200
    assert 'data-testid="confirm-summary"' not in response.text
    assert response.context["form"].has_error(NON_FIELD_ERRORS, "advice")
    assert 'data-testid="form-error-summary"' in response.text


def test_an_award_over_the_budget_names_both_amounts_in_the_readers_notation(advised):
    Phase.objects.filter(pk=advised.phase.pk).update(
        budget=Decimal("30000.00"), max_per_award=Decimal("25000.00")
    )
    first, second = advised.proposals[:2]
    proposal_award(proposal=first, actor=advised.officer, motivation="Beste")  # 20.000
    client = officer_client(advised.officer)

    response = client.post(
        url("officer_decide", pk=second.pk),
        {"decision": "award", "motivation": "Ook goed", "amount": "20000.00"},
    )

    assert response.context["form"].has_error("amount", "budget")
    assert "€\u00a010.000,00" in response.text
    assert "€\u00a020.000,00" in response.text
    assert "10000.00" not in response.text


def test_an_award_beyond_the_planned_number_is_refused_on_the_form(advised):
    assessing = advised
    Phase.objects.filter(pk=assessing.phase.pk).update(planned_awards=1)
    first, second = assessing.proposals[:2]
    proposal_award(proposal=first, actor=assessing.officer, motivation="Beste")
    client = officer_client(assessing.officer)

    response = decide(client, second, decision="award", motivation="Ook goed", amount="")

    assert response.status_code == 200
    assert response.context["form"].has_error(NON_FIELD_ERRORS, "awards_full")
    assert Proposal.objects.get(pk=second.pk).status == Proposal.Status.UNDER_ASSESSMENT


def test_rejecting_requires_a_motivation(advised, django_capture_on_commit_callbacks):
    assessing = advised
    proposal = assessing.proposals[2]
    client = officer_client(assessing.officer)

    response = decide(client, proposal, decision="reject", motivation="   ")
    assert response.status_code == 200
    assert response.context["form"].has_error("motivation")
    assert Proposal.objects.get(pk=proposal.pk).status == Proposal.Status.UNDER_ASSESSMENT

    for other in assessing.proposals[:2]:
        proposal_reject(proposal=other, actor=assessing.officer, motivation="Minder")
    with django_capture_on_commit_callbacks(execute=True):
        response = decide(client, proposal, decision="reject", motivation="Te duur")
    assert response.status_code == 302
    assert Proposal.objects.get(pk=proposal.pk).status == Proposal.Status.REJECTED
    # The phase is decided: each company gets one e-mail, its letter.
    (message,) = [m for m in mail.outbox if proposal.person.email in m.to]
    assert "Te duur" in message.body


def test_a_double_post_of_an_award_shows_the_illegal_transition(
    advised, django_capture_on_commit_callbacks
):
    assessing = advised
    proposal = assessing.proposals[0]
    client = officer_client(assessing.officer)
    data = {"decision": "award", "motivation": "Beste plan", "amount": "20000.00"}

    with django_capture_on_commit_callbacks(execute=True):
        first = decide(client, proposal, **data)
        second = decide(client, proposal, **data)

    assert first.status_code == 302
    assert second.status_code == 200
    assert second.context["form"].has_error(NON_FIELD_ERRORS, "illegal_transition")
    assert "Beste plan" in second.content.decode()
    assert Contract.objects.filter(proposal=proposal).count() == 1
    # No e-mail yet (the letter waits for the whole phase), and none for the second post.
    assert not mail.outbox


def test_the_pages_and_the_award_service_share_one_phase_capacity(advised):
    assessing = advised
    phase = assessing.phase
    Phase.objects.filter(pk=phase.pk).update(
        budget=Decimal("40000.00"), max_per_award=Decimal("30000.00"), planned_awards=3
    )
    phase.refresh_from_db()
    first, second, third = assessing.proposals[:3]
    proposal_award(
        proposal=first, actor=assessing.officer, motivation="Beste", amount=Decimal("15000.00")
    )

    capacity = phase_capacity(phase)
    assert capacity == PhaseCapacity(budget_left=Decimal("25000.00"), awarded=1, awards_left=2)
    client = officer_client(assessing.officer)
    for page in (
        client.get(url("officer_phase", phase_pk=phase.pk)),
        client.get(url("officer_decide", pk=second.pk)),
    ):
        assert page.context["budget_left"] == capacity.budget_left
        assert page.context["awards_left"] == capacity.awards_left

    # What the pages offer is exactly what the service takes: a cent more does not fit.
    with pytest.raises(DomainError) as refused:
        proposal_award(
            proposal=second, actor=assessing.officer, motivation="Ook", amount=Decimal("25000.01")
        )
    assert refused.value.code == "budget"
    proposal_award(
        proposal=second, actor=assessing.officer, motivation="Ook", amount=Decimal("25000.00")
    )
    assert phase_capacity(phase) == PhaseCapacity(
        budget_left=Decimal("0.00"), awarded=2, awards_left=1
    )
    with pytest.raises(DomainError) as refused:
        proposal_award(
            proposal=third, actor=assessing.officer, motivation="Nog", amount=Decimal("0.01")
        )
    assert refused.value.code == "budget"


def test_the_phase_page_shows_the_ranking_budget_and_awards_left(advised):
    assessing = advised
    proposal_award(
        proposal=assessing.proposals[0],
        actor=assessing.officer,
        motivation="Beste",
        amount=Decimal("12500.00"),
    )
    client = officer_client(assessing.officer)
    response = client.get(url("officer_phase", phase_pk=assessing.phase.pk))
    assert response.context["budget_left"] == assessing.phase.budget - Decimal("12500.00")
    assert response.context["awards_left"] == assessing.phase.planned_awards - 1
    html = response.content.decode()
    for proposal in assessing.proposals:
        assert f'data-testid="ranking-{proposal.pk}"' in html
        assert url("officer_decide", pk=proposal.pk) in html


# --- Contracts and deliverables -----------------------------------------------------------


def test_accepting_the_feasibility_report_opens_the_prototype_phase(delivered):
    company = delivered.proposals[0].company
    prototype = delivered.call.phases.get(order=2)
    assert funnel_problem(phase=prototype, company=company) is not None
    client = officer_client(delivered.officer)

    contracts = client.get(url("officer_contracts")).content.decode()
    review = url("officer_review", deliverable_pk=delivered.deliverable.pk)
    assert review in contracts

    page = client.get(review).content.decode()
    assert url("officer_deliverable_file", deliverable_pk=delivered.deliverable.pk) in page

    response = client.post(review, {"outcome": "accept", "remarks": ""})
    assert response.status_code == 302
    delivered.deliverable.refresh_from_db()
    assert delivered.deliverable.status == Deliverable.Status.ACCEPTED
    assert delivered.deliverable.reviewed_by == delivered.officer
    assert funnel_problem(phase=prototype, company=company) is None


def test_sending_a_deliverable_back_needs_remarks(delivered):
    client = officer_client(delivered.officer)
    review = url("officer_review", deliverable_pk=delivered.deliverable.pk)

    response = client.post(review, {"outcome": "send_back", "remarks": ""})
    assert response.status_code == 200
    assert response.context["form"].has_error("remarks", "remarks")
    assert Deliverable.objects.get(pk=delivered.deliverable.pk).status == "delivered"

    response = client.post(review, {"outcome": "send_back", "remarks": "Hoofdstuk 3 ontbreekt"})
    assert response.status_code == 302
    deliverable = Deliverable.objects.get(pk=delivered.deliverable.pk)
    assert (deliverable.status, deliverable.review_remarks) == (
        Deliverable.Status.REJECTED,
        "Hoofdstuk 3 ontbreekt",
    )

    again = client.post(review, {"outcome": "accept", "remarks": ""})
    assert again.status_code == 200  # no longer delivered: refused on the form, no 500
    assert again.context["form"].non_field_errors()


def test_no_file_no_download(advised):
    assessing = advised
    contract = proposal_award(
        proposal=assessing.proposals[0], actor=assessing.officer, motivation="Beste"
    ).contract
    deliverable = contract.deliverables.get(kind=Deliverable.Kind.FEASIBILITY_REPORT)
    client = officer_client(assessing.officer)
    assert client.get(url("officer_review", deliverable_pk=deliverable.pk)).status_code == 200
    file_url = url("officer_deliverable_file", deliverable_pk=deliverable.pk)
    assert client.get(file_url).status_code == 404


def _bulk_contracts(call: Call, count: int, start: int) -> None:
    _bulk_submitted(call, count, start)
    proposals = list(
        Proposal.objects.filter(call=call, contract__isnull=True).order_by("pk")[:count]
    )
    Proposal.objects.filter(pk__in=[p.pk for p in proposals]).update(status=Proposal.Status.AWARDED)
    today = timezone.localdate()
    contracts = Contract.objects.bulk_create(
        Contract(
            proposal=p,
            amount=Decimal("25000.00"),
            start_date=today,
            end_date=today + timedelta(days=120),
        )
        for p in proposals
    )
    Deliverable.objects.bulk_create(
        Deliverable(
            contract=contract,
            kind=kind,
            name=str(kind),
            due_date=today + timedelta(days=days),
            status=status,
        )
        for contract in contracts
        for kind, days, status in (
            (Deliverable.Kind.PROGRESS_REPORT, 60, Deliverable.Status.DELIVERED),
            (Deliverable.Kind.FEASIBILITY_REPORT, 120, Deliverable.Status.PENDING),
        )
    )


def test_the_contracts_list_costs_the_same_queries_for_few_or_many(django_assert_num_queries):
    call = published_call()
    client = officer_client(call.officer)
    _bulk_contracts(call, 3, start=0)
    client.get(url("officer_contracts"))
    with CaptureQueriesContext(connection) as few:
        response = client.get(url("officer_contracts"))
    assert response.context["page_obj"].paginator.count == 3

    _bulk_contracts(call, 40, start=3)
    with django_assert_num_queries(len(few)):
        response = client.get(url("officer_contracts"))
    assert response.context["page_obj"].paginator.count == 43
    assert len(response.context["page_obj"].object_list) == 25


def test_the_contracts_list_filters_those_waiting_for_review(delivered):
    proposal_award(proposal=delivered.proposals[1], actor=delivered.officer, motivation="Ook goed")
    client = officer_client(delivered.officer)
    assert client.get(url("officer_contracts")).context["page_obj"].paginator.count == 2
    response = client.get(url("officer_contracts"), {"to_review": "1"})
    assert [c.pk for c in response.context["page_obj"]] == [delivered.contract.pk]


def test_an_unused_user_is_not_offered_as_member(submitted):
    """Only the authority's assessors and chairs are offered; strangers are not."""
    _committee(submitted)
    stranger = UserFactory()
    other_assessor = person_with_role(Role.ASSESSOR)  # of another authority
    client = officer_client(submitted.officer)
    queryset = (
        client.get(url("officer_phase", phase_pk=submitted.phase.pk))
        .context["member_form"]
        .fields["user"]
        .queryset
    )
    assert stranger not in queryset
    assert other_assessor not in queryset


@pytest.mark.django_db
def test_officer_gives_the_prototype_phase_its_deadline_then_only_extends_it(verified_client):
    from calls.models import Call
    from tests.calls.factories import published_call

    call = published_call()
    prototype = call.phases.get(order=2)
    client = verified_client(call.officer)
    url = reverse("proposals:officer_phase_deadline", args=[prototype.pk])
    later = timezone.localtime(call.deadline + timedelta(days=120)).replace(second=0, microsecond=0)

    assert (
        "deadline_form"
        in client.get(reverse("proposals:officer_phase", args=[prototype.pk])).context
    )
    client.post(url, {"deadline": later.strftime("%Y-%m-%dT%H:%M")})
    prototype.refresh_from_db()
    assert prototype.deadline == later

    earlier = later - timedelta(days=1)
    response = client.post(url, {"deadline": earlier.strftime("%Y-%m-%dT%H:%M")}, follow=True)
    prototype.refresh_from_db()
    assert prototype.deadline == later
    assert any(m.level_tag == "error" for m in response.context["messages"])
    assert Call.objects.get(pk=call.pk).status == Call.Status.PUBLISHED


@pytest.mark.django_db
def test_phase_deadline_is_the_owning_officers_alone(verified_client, client):
    from tests.calls.factories import officer_of, published_call

    call = published_call()
    prototype = call.phases.get(order=2)
    url = reverse("proposals:officer_phase_deadline", args=[prototype.pk])
    moment = timezone.localtime(call.deadline + timedelta(days=90)).strftime("%Y-%m-%dT%H:%M")

    assert client.post(url, {"deadline": moment}).status_code == 302  # to login
    response = verified_client(officer_of()).post(url, {"deadline": moment})
    assert response.status_code == 404
    prototype.refresh_from_db()
    assert prototype.deadline is None


def test_the_phase_page_ranks_and_assigns_a_page_of_proposals_at_a_time(
    assessing, monkeypatch, django_assert_num_queries
):
    from proposals.views import officer as officer_views

    monkeypatch.setattr(officer_views, "PHASE_ROWS_PER_PAGE", 5)
    client = officer_client(assessing.officer)
    page = url("officer_phase", phase_pk=assessing.phase.pk)
    client.get(page)  # the opening and the session, once
    with CaptureQueriesContext(connection) as few:
        response = client.get(page)
    ranked = len(response.context["ranking"])

    _bulk_submitted(assessing.call, 12, start=0)
    Proposal.objects.filter(phase=assessing.phase, status=Proposal.Status.SUBMITTED).update(
        status=Proposal.Status.UNDER_ASSESSMENT
    )
    with django_assert_num_queries(len(few)):
        response = client.get(page)
    assert response.context["ranked"] == ranked + 12
    assert len(response.context["ranking"]) == 5
    assert len(response.context["matrix"]) == 5
    html = response.content.decode()
    assert "ranking_page=2" in html
    assert "matrix_page=2" in html
    # No select of every proposal to assign by hand: a text field with suggestions.
    assert 'name="proposal"' in html
    assert 'list="assign-proposal-suggestions"' in html
    assert html.count("<option", html.index('id="assign-proposal-suggestions"')) >= 5
    last = client.get(page, {"ranking_page": 99, "matrix_page": 99})
    assert last.context["ranking_page"].number == last.context["ranking_page"].paginator.num_pages


# --- The ranking at volume: a page at a time, the same queries for more rows ---------------------


def _scored(assessing, proposal, values: tuple[int, ...]) -> None:
    """Two members submitted these scores (one per criterion) for the proposal."""
    for seat in assessing.members[:2]:
        assignment = Assignment.objects.create(member=seat, proposal=proposal)
        assessment = Assessment.objects.create(
            assignment=assignment, status=Assessment.Status.SUBMITTED, submitted_at=timezone.now()
        )
        CriterionScore.objects.bulk_create(
            CriterionScore(
                assessment=assessment, criterion=criterion, score=value, motivation="Zo."
            )
            for criterion, value in zip(assessing.phase.criteria.all(), values, strict=False)
        )


def test_the_phase_decision_and_list_pages_cost_the_same_queries_for_2_or_3_scored_proposals(
    assessing, django_assert_num_queries
):
    from proposals.selectors.ranking import ranking_for

    client = officer_client(assessing.officer)
    first, second, third = assessing.proposals
    _scored(assessing, first, (8, 8, 8, 8))
    _scored(assessing, second, (6, 6, 6, 6))
    pages = [
        url("officer_phase", phase_pk=assessing.phase.pk),
        url("officer_decide", pk=second.pk),
        url("officer_proposals", call_pk=assessing.call.pk),
    ]
    for page in pages:
        client.get(page)  # the opening and the session, once
    counts = {}
    for page in pages:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(page).status_code == 200
        counts[page] = len(queries)

    _scored(assessing, third, (9, 9, 9, 9))
    responses = {}
    for page in pages:
        with django_assert_num_queries(counts[page]):
            responses[page] = client.get(page)
    # The phase page shows the ranking as ranked in the database: best first.
    expected = [(row.proposal.pk, row.rank, row.weighted) for row in ranking_for(assessing.phase)]
    shown = responses[pages[0]].context["ranking"]
    assert [(row.proposal.pk, row.rank, row.weighted) for row in shown] == expected
    assert [pk for pk, _rank, _weighted in expected] == [third.pk, first.pk, second.pk]
    # The decision page gives the proposal its place in the whole phase.
    decide = responses[pages[1]].context
    assert decide["row"].rank == next(rank for pk, rank, _w in expected if pk == second.pk)
    assert decide["ranked"] == sum(1 for _pk, rank, _w in expected if rank is not None)
    # The list counts each proposal's submitted assessments.
    html = responses[pages[2]].content.decode()
    row = re.search(rf'data-testid="proposal-{third.pk}".*?</tr>', html, flags=re.S).group(0)
    assert 'data-testid="assessments">2<' in row


@pytest.mark.parametrize("bad", ["abc", "0", "-1", "99", "1.5"])
def test_a_bad_ranking_page_shows_the_first_or_the_last_page(assessing, monkeypatch, bad):
    """As every paginated page of the portal (Paginator.get_page): not a number is page 1, a
    number out of range (0, negative, past the end) the last page."""
    from proposals.views import officer as officer_views

    monkeypatch.setattr(officer_views, "PHASE_ROWS_PER_PAGE", 2)
    client = officer_client(assessing.officer)
    page = url("officer_phase", phase_pk=assessing.phase.pk)
    response = client.get(page, {"ranking_page": bad, "matrix_page": bad})
    assert response.status_code == 200
    expected = 2 if bad in ("0", "-1", "99") else 1
    assert response.context["ranking_page"].number == expected
    assert response.context["matrix_page"].number == expected


def test_the_list_sorts_on_the_server_and_its_pages_keep_the_choices(submitted):
    call = deadline_passed(submitted.call)
    _bulk_submitted(call, 30, start=0)
    Proposal.objects.filter(pk=submitted.proposals[1].pk).update(
        requested_amount=Decimal("90000.00")
    )
    client = officer_client(submitted.officer)
    base = url("officer_proposals", call_pk=call.pk)
    phase = submitted.phase.pk

    response = client.get(base, {"sort": "amount", "phase": phase})
    assert response.context["page_obj"][0].pk == submitted.proposals[1].pk
    html = response.content.decode()
    assert f"phase={phase}&amp;sort=amount&amp;page=2" in html

    response = client.get(base, {"sort": "company", "page": 2})
    names = [p.company.name for p in response.context["page_obj"]]
    assert names == sorted(names)
    assert 'rel="prev" href="?sort=company&amp;page=1"' in response.content.decode()
    everything = Proposal.objects.filter(call=call).exclude(status=Proposal.Status.DRAFT)
    assert (
        names
        == list(everything.order_by("company__name", "pk").values_list("company__name", flat=True))[
            25:
        ]
    )

    # Not one of the orders: the default one, and nothing carried over.
    response = client.get(base, {"sort": "title"})
    default = client.get(base)
    assert [p.pk for p in response.context["page_obj"]] == [
        p.pk for p in default.context["page_obj"]
    ]
    assert "sort=" not in response.context["querystring_base"]


def test_the_members_table_counts_each_members_declarations_and_assignments(assessing):
    """Counted apart: a member's declarations are not multiplied by their assignments."""
    from proposals.models import ConflictDeclaration

    seat = assessing.members[0]
    first, second, third = assessing.proposals
    for proposal in (first, second, third):
        ConflictDeclaration.objects.create(member=seat, proposal=proposal, has_conflict=False)
    Assignment.objects.create(member=seat, proposal=first)
    Assignment.objects.create(member=seat, proposal=second, withdrawn_at=timezone.now())
    client = officer_client(assessing.officer)
    html = client.get(url("officer_phase", phase_pk=assessing.phase.pk)).content.decode()
    row = re.search(rf'data-testid="member-{seat.pk}".*?</tr>', html, flags=re.S).group(0)
    assert re.search(r'data-testid="declared">\s*3 ', row)
    assert 'data-testid="assigned">1<' in row  # the withdrawn one does not count


@pytest.mark.parametrize(
    ("english", "name", "other"),
    [
        (True, "Phase 1: feasibility study", "Fase 1: haalbaarheidsstudie"),
        (False, "Fase 1: haalbaarheidsstudie", "Phase 1: feasibility study"),
    ],
)
def test_a_phase_is_named_in_the_readers_language_and_numbered_once(
    assessing, english, name, other
):
    client = officer_client(assessing.officer, english=english)
    phase = assessing.phase
    for address in (
        reverse("proposals:officer_phase", kwargs={"phase_pk": phase.pk}),
        reverse("proposals:officer_proposals", kwargs={"call_pk": assessing.call.pk}),
        reverse("proposals:opening", kwargs={"phase_pk": phase.pk}),
    ):
        page = client.get(address)
        assert page.status_code == 200, address
        assert name in page.text, address
        assert other not in page.text, address
        assert f"1. {name}" not in page.text, address


@pytest.mark.parametrize(("english", "shown"), [(False, "€\u00a00,01"), (True, "€\u00a00.01")])
def test_an_amount_below_the_minimum_is_refused_in_the_readers_notation(advised, english, shown):
    client = officer_client(advised.officer, english=english)
    response = client.post(
        url("officer_decide", pk=advised.proposals[0].pk),
        {"decision": "award", "motivation": "Goed", "amount": "0", "confirmed": "1"},
    )
    assert response.status_code == 200
    assert "amount" in response.context["form"].errors
    assert shown in response.text
    assert "0.01 " not in response.text.replace(shown, "") or english


def test_the_phase_counts_say_how_many_came_in_and_where_they_are_now(assessing):
    client = officer_client(assessing.officer)
    page = client.get(reverse("proposals:officer_phase", kwargs={"phase_pk": assessing.phase.pk}))
    received = re.search(r'data-testid="count-received">(\d+)<', page.text)
    waiting = re.search(r'data-testid="count-submitted">(\d+)<', page.text)
    under = re.search(r'data-testid="count-under_assessment">(\d+)<', page.text)
    assert (received[1], waiting[1], under[1]) == ("3", "0", "3")
    assert "Ontvangen" in page.text
    listed = client.get(url("officer_proposals", call_pk=assessing.call.pk))
    assert 'data-testid="count-received">' in listed.text


def _cell(html: str, testid: str) -> str:
    cell = re.search(rf'data-testid="{testid}">(.*?)</(span|dd)>', html, flags=re.S)[1]
    return re.sub(r"<[^>]+>", "", cell).strip()


def test_the_list_shows_the_intended_decision_and_counts_intended_apart_from_final(
    advised, django_assert_num_queries
):
    Call.objects.filter(pk=advised.call.pk).update(standstill_days=20, standstill_reason="")
    first, second, third = advised.proposals
    client = officer_client(advised.officer)
    pages = [
        url("officer_proposals", call_pk=advised.call.pk),
        url("officer_phase", phase_pk=advised.phase.pk),
    ]
    proposal_award(proposal=first, actor=advised.officer, motivation="Sterk")
    for page in pages:
        client.get(page)  # the opening and the session, once
    counts = {}
    for page in pages:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(page).status_code == 200
        counts[page] = len(queries)

    proposal_reject(proposal=second, actor=advised.officer, motivation="Minder")
    proposal_reject(proposal=third, actor=advised.officer, motivation="Zwak")
    responses = {}
    for page in pages:
        with django_assert_num_queries(counts[page]):
            responses[page] = client.get(page)

    assert first.decisions.get().is_intended
    listed = responses[pages[0]].text
    row = re.search(rf'data-testid="proposal-{first.pk}".*?</tr>', listed, flags=re.S)[0]
    assert ">In beoordeling<" in row  # the proposal's status stays until the decision is final
    assert "Gunnen (voorgenomen)" in row
    row = re.search(rf'data-testid="proposal-{second.pk}".*?</tr>', listed, flags=re.S)[0]
    assert "Niet gegund (voorgenomen)" in row
    assert "Bekijk het besluit" in row
    assert "Besluiten<" not in row
    for html in (listed, responses[pages[1]].text):
        assert _cell(html, "count-under_assessment") == "3"
        assert _cell(html, "count-intended_award") == "1"
        assert _cell(html, "count-intended_rejection") == "2"
        assert _cell(html, "count-awarded") == "0"
        assert "Gegund (definitief)" in html


def test_the_dashboard_tells_an_administrator_no_one_needs_to_add_them(client):
    administrator = UserFactory(is_staff=True)
    page = login_verified(client, administrator).get(reverse("dashboard"))
    assert 'data-testid="administrator"' in page.text
    assert "portaalbeheerder kan u" not in page.text
    client.logout()
    loner = login_verified(Client(), UserFactory()).get(reverse("dashboard"))
    assert 'data-testid="no-organisation"' in loner.text
