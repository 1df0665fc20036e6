"""The proposals REST API: drafts, submission, the committee's scores and the decision."""

from contextlib import contextmanager
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
import yaml
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from calls.models import Call, Question
from calls.services.lifecycle import call_cancel, call_close
from portal.models import Organisation, Role
from proposals.models import Assessment, Assignment, CommitteeMember, Contract, Proposal
from proposals.services.assessment import (
    assessment_open,
    assignments_balance,
    code_of_conduct_accept,
    committee_create,
    committee_member_add,
    conflict_declare,
)
from proposals.services.submission import attachment_add
from tests.calls.factories import draft_call, officer_of, published_call
from tests.factories import api_key_for, person_with_role

from .factories import (
    applicant,
    complete_draft,
    deadline_passed,
    pdf_upload,
    signed_advice,
    submitted_proposals,
)
from .test_assessment import declare_all

pytestmark = pytest.mark.django_db


DECLARED = {"declaration_accepted": True}  # the company accepts the call's declaration


def client_for(user) -> APIClient:
    """An API client with the person's token (None: anonymous)."""
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Token {api_key_for(user)}")
    return client


@contextmanager
def assessment_under_way(*, proposals: int = 4, members: int = 3):
    """A closed call whose proposals are under assessment by a chair and members who
    accepted the code of conduct; the clock stands just after the deadline."""
    call = published_call()
    officer = call.officer
    submitted = submitted_proposals(call, proposals)
    phase = call.phases.get(order=1)
    with time_machine.travel(call.deadline + timedelta(minutes=1)):
        call_close(call=call, actor=officer)
        assessment_open(phase=phase, actor=officer)
        committee = committee_create(
            phase=phase, actor=officer, code_of_conduct="Vertrouwelijk.", assessors_per_proposal=2
        )

        def seat(role, portal_role):
            user = person_with_role(portal_role, organisation=call.authority)
            member = committee_member_add(committee=committee, actor=officer, user=user, role=role)
            return code_of_conduct_accept(member=member, actor=user)

        yield {
            "call": call,
            "officer": officer,
            "phase": phase,
            "committee": committee,
            "chair": seat(CommitteeMember.Role.CHAIR, Role.COMMITTEE_CHAIR),
            "members": [seat(CommitteeMember.Role.MEMBER, Role.ASSESSOR) for _ in range(members)],
            "proposals": [Proposal.objects.get(pk=p.pk) for p in submitted],
        }


@pytest.fixture
def setting():
    with assessment_under_way() as world:
        yield world


def detail_url(proposal: Proposal, name: str = "api-proposal-detail") -> str:
    return reverse(name, args=[proposal.pk])


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {item["id"] for item in response.json()["results"]}


# --- Who sees which proposal -------------------------------------------------------------------


@pytest.fixture
def world():
    """Two submitted proposals and a draft in one call, and one proposal elsewhere."""
    call = published_call()
    first, second = submitted_proposals(call, 2)
    draft = complete_draft(call=call)
    elsewhere = submitted_proposals(published_call(), 1)[0]
    deadline_passed(call)
    deadline_passed(elsewhere.call)
    return {"call": call, "first": first, "second": second, "draft": draft, "other": elsewhere}


def test_the_list_holds_a_companys_own_proposals_drafts_included(world):
    response = client_for(world["draft"].person).get(reverse("api-proposal-list"))

    assert ids(response) == {world["draft"].pk}
    (item,) = response.json()["results"]
    assert item["status"] == "draft"
    assert item["call"]["reference"] == world["call"].reference
    assert item["phase"]["order"] == 1
    assert item["phase"]["deadline"] is not None
    assert item["url"].endswith(reverse("proposals:detail", args=[world["draft"].pk]))


def test_the_list_holds_an_officers_submitted_proposals_never_drafts(world):
    response = client_for(world["call"].officer).get(reverse("api-proposal-list"))

    assert ids(response) == {world["first"].pk, world["second"].pk}


def test_someone_both_officer_and_applicant_sees_the_union(world):
    officer = world["call"].officer
    company = Organisation.objects.get(pk=world["other"].company_id)
    officer.memberships.create(organisation=company, role=Role.APPLICANT)

    response = client_for(officer).get(reverse("api-proposal-list"))

    assert ids(response) == {world["first"].pk, world["second"].pk, world["other"].pk}


@pytest.mark.parametrize("role", [Role.MINISTRY_STAFF, Role.ASSESSOR, Role.COMMITTEE_CHAIR])
def test_others_get_an_empty_list(world, role):
    response = client_for(person_with_role(role)).get(reverse("api-proposal-list"))

    assert ids(response) == set()


def test_the_list_needs_a_login(world):
    response = client_for(None).get(reverse("api-proposal-list"))

    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Token")


def test_the_list_filters_by_call_phase_and_status(world):
    officer = world["call"].officer
    Proposal.objects.filter(pk=world["second"].pk).update(status=Proposal.Status.WITHDRAWN)
    url = reverse("api-proposal-list")
    phase = world["call"].phases.get(order=1)

    assert ids(client_for(officer).get(url, {"status": "withdrawn"})) == {world["second"].pk}
    assert ids(client_for(officer).get(url, {"phase": phase.pk})) == {
        world["first"].pk,
        world["second"].pk,
    }
    assert ids(client_for(officer).get(url, {"call": world["other"].call_id})) == set()


@pytest.mark.parametrize(
    ("params", "field"),
    [({"status": "lost"}, "status"), ({"call": "abc"}, "call"), ({"phase": "x"}, "phase")],
)
def test_bad_filter_values_are_a_400_naming_the_field(world, params, field):
    response = client_for(world["call"].officer).get(reverse("api-proposal-list"), params)

    assert response.status_code == 400
    assert field in response.json()


def _bulk_proposals(call: Call, count: int, start: int) -> None:
    """Many submitted proposals of as many companies, cheaply."""
    phase = call.phases.get(order=1)
    companies = Organisation.objects.bulk_create(
        Organisation(
            name=f"Bulkbedrijf {start + i} B.V.",
            kind=Organisation.Kind.COMPANY,
            kvk_number=f"{80000000 + start + i:08d}",
        )
        for i in range(count)
    )
    Proposal.objects.bulk_create(
        Proposal(
            call=call,
            phase=phase,
            company=company,
            created_by=call.officer,
            title=f"Voorstel {start + i}",
            status=Proposal.Status.SUBMITTED,
            submission_number=f"{call.reference}-1-B{start + i:04d}",
            requested_amount=Decimal("20000.00"),
        )
        for i, company in enumerate(companies)
    )


def _queries(client: APIClient, url: str) -> tuple[int, dict]:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries), response.json()


def test_the_list_costs_the_same_queries_for_5_or_100_proposals():
    call = deadline_passed(published_call())
    _bulk_proposals(call, 5, 0)
    client = client_for(call.officer)
    url = reverse("api-proposal-list")
    few, body = _queries(client, url)
    assert body["count"] == 5

    _bulk_proposals(call, 95, 5)
    many, body = _queries(client, url)

    assert body["count"] == 100
    assert len(body["results"]) == 25
    assert many == few


def test_the_union_list_costs_the_same_queries_for_5_or_100_proposals():
    call = deadline_passed(published_call())
    officer = call.officer
    officer.memberships.create(
        organisation=Organisation.objects.create(
            name="Eigen bedrijf B.V.", kind=Organisation.Kind.COMPANY, kvk_number="79999999"
        ),
        role=Role.APPLICANT,
    )
    _bulk_proposals(call, 5, 0)
    client = client_for(officer)
    url = reverse("api-proposal-list")
    few, _body = _queries(client, url)

    _bulk_proposals(call, 95, 5)
    many, body = _queries(client, url)

    assert body["count"] == 100
    assert many == few


def _generic(proposals, request) -> list[dict]:
    """DRF's own field-by-field representation of the proposals, as the lean list's reference."""
    from rest_framework import serializers

    from proposals.api.serializers import ProposalSummarySerializer

    serializer = ProposalSummarySerializer(context={"request": request})
    return [serializers.ModelSerializer.to_representation(serializer, p) for p in proposals]


def test_the_list_reads_plain_values_and_writes_what_drfs_own_fields_write(world):
    """The lean list (values, no instances, no counts) gives the JSON DRF's fields give, for an
    officer and for someone who is both officer and applicant (the company's draft included),
    with a decided proposal's date and a phase whose deadline is the call's."""
    officer = world["call"].officer
    company = Organisation.objects.get(pk=world["draft"].company_id)
    officer.memberships.create(organisation=company, role=Role.APPLICANT)
    Proposal.objects.filter(pk=world["first"].pk).update(
        status=Proposal.Status.REJECTED, decided_at=timezone.now()
    )
    client = client_for(officer)

    with CaptureQueriesContext(connection) as context:
        response = client.get(reverse("api-proposal-list"))
    body = response.json()

    page_query = next(q["sql"] for q in context.captured_queries if "LIMIT" in q["sql"])
    assert '"approach"' not in page_query
    assert "COUNT(" not in page_query
    count_query = next(q["sql"] for q in context.captured_queries if "COUNT(*)" in q["sql"]
                       and "proposals_proposal" in q["sql"])  # fmt: skip
    assert '"portal_organisation"' not in count_query  # names are read for the page only
    expected = Proposal.objects.filter(
        pk__in=[world["first"].pk, world["second"].pk, world["draft"].pk]
    ).order_by("-created_at", "-pk")
    assert [item["id"] for item in body["results"]] == [p.pk for p in expected]
    assert body["results"] == _generic(expected, response.wsgi_request)
    first = next(item for item in body["results"] if item["id"] == world["first"].pk)
    assert first["decided_at"] is not None
    assert first["phase"]["deadline"] is not None  # the first phase: the call's deadline


# --- One proposal ------------------------------------------------------------------------------


def test_the_company_reads_its_whole_proposal():
    call = published_call()
    question = Question.objects.create(call=call, text="Hoeveel viaducten?", kind="number")
    draft = complete_draft(call=call)
    client = client_for(draft.person)
    client.patch(
        detail_url(draft), {"answers": [{"question": question.pk, "answer": 12}]}, format="json"
    )
    Question.objects.filter(pk=question.pk).update(text="Later veranderd")

    body = client.get(detail_url(draft)).json()

    assert body["title"] == "Demontabel viaduct"
    assert body["summary"] == "Een viaduct van herbruikbare elementen."
    assert body["team"]
    assert body["company"]["name"] == draft.company.name
    assert body["requested_amount"] == "20000.00"
    assert body["answers"] == [
        {
            "question": {
                "id": question.pk,
                "text": "Hoeveel viaducten?",
                "kind": "number",
                "choices": [],
                "required": True,
            },
            "answer": "12",
        }
    ]
    names = {a["required_document"] for a in body["attachments"]}
    assert names == set(draft.phase.required_documents.values_list("name", flat=True))
    assert all(len(a["sha256"]) == 64 and a["size"] > 0 for a in body["attachments"])
    assert body["decision"] is None


PERSONS = ("anonymous", "other_applicant", "other_officer", "ministry_staff", "owner", "officer")


def person(role: str, proposal: Proposal):
    return {
        "anonymous": lambda: None,
        "other_applicant": lambda: applicant(),
        "other_officer": lambda: officer_of(),
        "ministry_staff": lambda: person_with_role(Role.MINISTRY_STAFF),
        "owner": lambda: proposal.person,
        "officer": lambda: proposal.call.officer,
    }[role]()


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", 401),
        ("other_applicant", 404),
        ("other_officer", 404),
        ("ministry_staff", 404),
        ("owner", 200),
        ("officer", 404),  # a draft is the company's alone
    ],
)
def test_who_reads_a_draft(role, expected):
    draft = complete_draft()
    draft.call.officer = draft.call.created_by

    response = client_for(person(role, draft)).get(detail_url(draft))

    assert response.status_code == expected


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", 401),
        ("other_applicant", 404),
        ("other_officer", 404),
        ("ministry_staff", 404),
        ("owner", 200),
        ("officer", 200),
    ],
)
def test_who_reads_a_submitted_proposal(role, expected):
    call = published_call()
    (proposal,) = submitted_proposals(call, 1)
    proposal.call = deadline_passed(call)

    response = client_for(person(role, proposal)).get(detail_url(proposal))

    assert response.status_code == expected


def test_a_missing_proposal_is_404():
    response = client_for(applicant()).get(reverse("api-proposal-detail", args=[999999]))
    assert response.status_code == 404


def _assignment(seat, proposal) -> Assignment:
    return Assignment.objects.get_or_create(member=seat, proposal=proposal)[0]


def test_committee_members_read_only_what_they_are_cleared_for(setting):
    conflicted, other = setting["members"][:2]
    proposal, unassigned = setting["proposals"][:2]
    declare_all(setting, conflicts={(conflicted, proposal)})
    _assignment(other, proposal)
    _assignment(conflicted, proposal)  # even an assignment does not clear a conflict

    assert client_for(other.user).get(detail_url(proposal)).status_code == 200
    assert client_for(conflicted.user).get(detail_url(proposal)).status_code == 404
    assert client_for(other.user).get(detail_url(unassigned)).status_code == 404
    # The chair reads every proposal of the phase.
    assert client_for(setting["chair"].user).get(detail_url(unassigned)).status_code == 200


@pytest.mark.parametrize(
    ("method", "name"),
    [
        ("get", "api-proposal-detail"),
        ("patch", "api-proposal-detail"),
        ("post", "api-proposal-submit"),
        ("post", "api-proposal-withdraw"),
        ("post", "api-proposal-decision"),
    ],
)
def test_a_conflicted_member_finds_nothing_at_any_endpoint(setting, method, name):
    member = setting["members"][0]
    proposal = setting["proposals"][0]
    declare_all(setting, conflicts={(member, proposal)})

    response = getattr(client_for(member.user), method)(
        detail_url(proposal, name), {"decision": "reject", "motivation": "x"}, format="json"
    )

    assert response.status_code == 404
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.UNDER_ASSESSMENT


def test_a_member_who_has_not_declared_reads_nothing(setting):
    member = setting["members"][0]
    proposal = setting["proposals"][0]
    _assignment(member, proposal)

    assert client_for(member.user).get(detail_url(proposal)).status_code == 404


def test_a_blind_call_hides_company_and_team_from_the_committee(setting):
    Call.objects.filter(pk=setting["call"].pk).update(blind_assessment=True)
    member = setting["members"][0]
    proposal = setting["proposals"][0]
    declare_all(setting)
    _assignment(member, proposal)

    as_member = client_for(member.user).get(detail_url(proposal)).json()
    as_officer = client_for(setting["officer"]).get(detail_url(proposal)).json()

    assert "company" not in as_member
    assert "team" not in as_member
    assert "consortium_partners" not in as_member
    assert as_member["summary"] == proposal.summary
    assert proposal.company.name not in str(as_member)
    assert as_officer["company"]["name"] == proposal.company.name
    assert as_officer["team"] == proposal.team


# --- The company's writes ----------------------------------------------------------------------


def test_creating_with_a_draft_field_says_to_patch_it_and_creates_nothing():
    phase = published_call().phases.get(order=1)
    client = client_for(applicant())

    refused = client.post(
        reverse("api-proposal-list"),
        {"phase": phase.pk, "title": "Viaduct 2.0", "requested_amount": "25000.00", "x": 1},
        format="json",
    )
    assert refused.status_code == 400
    body = refused.json()
    assert "PATCH /api/v1/proposals/<id>/" in str(body["requested_amount"])
    # A field no proposal has is simply refused.
    assert "PATCH" not in str(body["x"])
    assert not Proposal.objects.exists()


def test_a_company_member_starts_edits_and_submits_a_proposal(django_capture_on_commit_callbacks):
    call = published_call()
    phase = call.phases.get(order=1)
    person_ = applicant()
    client = client_for(person_)

    created = client.post(
        reverse("api-proposal-list"), {"phase": phase.pk, "title": "Viaduct 2.0"}, format="json"
    )
    assert created.status_code == 201, created.content
    proposal = Proposal.objects.get(pk=created.json()["id"])
    assert proposal.status == Proposal.Status.DRAFT
    assert proposal.company.memberships.filter(user=person_).exists()

    # Submitting an incomplete draft names what is missing and changes nothing.
    refused = client.post(detail_url(proposal, "api-proposal-submit"), DECLARED, format="json")
    assert refused.status_code == 400
    assert refused.json()["code"] == "incomplete"

    patched = client.patch(
        detail_url(proposal),
        {
            "summary": "Samenvatting",
            "approach": "Aanpak",
            "team": "Team",
            "planning": "Planning",
            "requested_amount": "25000.00",
        },
        format="json",
    )
    assert patched.status_code == 200, patched.content
    assert patched.json()["requested_amount"] == "25000.00"
    for document in phase.required_documents.all():
        attachment_add(
            proposal=proposal, actor=person_, upload=pdf_upload(), required_document=document
        )

    with django_capture_on_commit_callbacks(execute=True):
        submitted = client.post(
            detail_url(proposal, "api-proposal-submit"), DECLARED, format="json"
        )
        again = client.post(
            detail_url(proposal, "api-proposal-submit"), DECLARED, format="json"
        )  # the double click

    assert submitted.status_code == 200
    body = submitted.json()
    assert body["status"] == "submitted"
    assert body["submission_number"].startswith(call.reference)
    assert again.json()["submission_number"] == body["submission_number"]
    assert len(mail.outbox) == 1  # one receipt


def test_an_officer_cannot_start_a_proposal():
    call = published_call()
    response = client_for(call.officer).post(
        reverse("api-proposal-list"),
        {"phase": call.phases.get(order=1).pk, "title": "x"},
        format="json",
    )
    assert response.status_code == 403
    assert not Proposal.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"phase": 999999, "title": "x"}, "phase"),
        ({"phase": "eerste", "title": "x"}, "phase"),
        ({"title": "x"}, "phase"),
        ({"phase": None, "title": "x" * 201}, "title"),
        ({"phase": None, "title": "x", "status": "submitted"}, "status"),
    ],
)
def test_bad_input_for_a_new_proposal_is_a_400_naming_the_field(body, field):
    call = published_call()
    if body.get("phase", 0) is None:
        body["phase"] = call.phases.get(order=1).pk

    response = client_for(applicant()).post(reverse("api-proposal-list"), body, format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert not Proposal.objects.exists()


def test_a_phase_of_someone_elses_draft_call_is_unknown():
    from tests.calls.factories import draft_call

    call = draft_call()
    response = client_for(applicant()).post(
        reverse("api-proposal-list"), {"phase": call.phases.first().pk}, format="json"
    )
    assert response.status_code == 400
    assert "phase" in response.json()


def test_a_duplicate_proposal_for_the_same_phase_is_refused():
    draft = complete_draft()
    response = client_for(draft.person).post(
        reverse("api-proposal-list"), {"phase": draft.phase_id, "title": "Nog een"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "duplicate"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"requested_amount": "twintigduizend"}, "requested_amount"),
        ({"requested_amount": "-5.00"}, "requested_amount"),
        ({"requested_amount": "1.234"}, "requested_amount"),
        ({"title": ""}, "title"),
        ({"status": "awarded"}, "status"),
        ({"answers": [{"question": 999999, "answer": "x"}]}, "answers"),
        ({"answers": "ja"}, "answers"),
        ({"subcontracting": "misschien"}, "subcontracting"),
        ({"subcontracting": "yes", "subcontracting_share": "150"}, "subcontracting_share"),
    ],
)
def test_bad_edits_are_a_400_naming_the_field_and_lose_nothing(body, field):
    draft = complete_draft()

    response = client_for(draft.person).patch(
        detail_url(draft), {"planning": "Nieuwe planning", **body}, format="json"
    )

    assert response.status_code == 400
    assert field in response.json()
    draft.refresh_from_db()
    assert draft.planning == "Vier maanden."
    assert draft.requested_amount == Decimal("20000.00")


def test_the_company_says_whether_it_subcontracts_and_what_share():
    draft = complete_draft()
    client = client_for(draft.person)
    response = client.patch(
        detail_url(draft), {"subcontracting": "yes", "subcontracting_share": "20.0"}, format="json"
    )
    assert response.status_code == 200, response.content
    draft.refresh_from_db()
    assert (draft.subcontracting, draft.subcontracting_share) == ("yes", Decimal("20.0"))
    shown = client.get(detail_url(draft)).json()
    assert (shown["subcontracting"], shown["subcontracting_share"]) == ("yes", "20.0")

    # A share goes only with "yes": refused, and nothing is lost.
    refused = client.patch(
        detail_url(draft), {"subcontracting": "no", "subcontracting_share": "10"}, format="json"
    )
    assert refused.status_code == 400
    draft.refresh_from_db()
    assert (draft.subcontracting, draft.subcontracting_share) == ("yes", Decimal("20.0"))


def test_answers_are_checked_against_their_question_and_merged():
    call = published_call()
    number = Question.objects.create(call=call, order=1, text="Aantal?", kind="number")
    choice = Question.objects.create(
        call=call, order=2, text="Materiaal?", kind="choice", choices="beton\nstaal"
    )
    yes_no = Question.objects.create(call=call, order=3, text="MKB?", kind="yes_no")
    draft = complete_draft(call=call)
    client = client_for(draft.person)
    url = detail_url(draft)

    bad = client.patch(
        url,
        {
            "answers": [
                {"question": number.pk, "answer": "veel"},
                {"question": choice.pk, "answer": "hout"},
                {"question": yes_no.pk, "answer": "misschien"},
            ]
        },
        format="json",
    )
    assert bad.status_code == 400
    errors = bad.json()["answers"]
    assert {index: set(e) for index, e in errors.items()} == {
        "0": {"answer"},
        "1": {"answer"},
        "2": {"answer"},
    }

    client.patch(url, {"answers": [{"question": number.pk, "answer": "3"}]}, format="json")
    client.patch(url, {"answers": [{"question": choice.pk, "answer": "staal"}]}, format="json")
    body = client.patch(
        url, {"answers": [{"question": yes_no.pk, "answer": True}]}, format="json"
    ).json()

    assert [a["answer"] for a in body["answers"]] == ["3", "staal", True]


def test_a_malformed_json_body_is_a_400_and_changes_nothing():
    draft = complete_draft()

    response = client_for(draft.person).patch(
        detail_url(draft), data='{"summary": "half', content_type="application/json"
    )

    assert response.status_code == 400
    assert "detail" in response.json()
    draft.refresh_from_db()
    assert draft.summary == "Een viaduct van herbruikbare elementen."


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", 401),
        ("other_applicant", 404),
        ("other_officer", 404),
        ("ministry_staff", 404),
        ("officer", 404),
        ("owner", 200),
    ],
)
def test_who_may_edit_a_draft(role, expected):
    draft = complete_draft()
    draft.call.officer = draft.call.created_by

    response = client_for(person(role, draft)).patch(
        detail_url(draft), {"summary": "Overschreven"}, format="json"
    )

    assert response.status_code == expected
    draft.refresh_from_db()
    assert (draft.summary == "Overschreven") is (expected == 200)


@pytest.mark.parametrize(
    ("endpoint", "role", "expected"),
    [
        ("api-proposal-submit", "other_applicant", 404),
        ("api-proposal-submit", "other_officer", 404),
        ("api-proposal-submit", "officer", 404),
        ("api-proposal-withdraw", "other_applicant", 404),
        ("api-proposal-withdraw", "ministry_staff", 404),
        ("api-proposal-withdraw", "anonymous", 401),
    ],
)
def test_outsiders_cannot_submit_or_withdraw_a_draft(endpoint, role, expected):
    draft = complete_draft()
    draft.call.officer = draft.call.created_by

    response = client_for(person(role, draft)).post(detail_url(draft, endpoint))

    assert response.status_code == expected
    assert Proposal.objects.get(pk=draft.pk).status == Proposal.Status.DRAFT


def test_a_submitted_proposal_is_frozen_409_and_the_officer_may_not_touch_it():
    call = published_call()
    (proposal,) = submitted_proposals(call, 1)

    frozen = client_for(proposal.person).patch(
        detail_url(proposal), {"summary": "Te laat"}, format="json"
    )
    officer = client_for(call.officer).post(detail_url(proposal, "api-proposal-withdraw"))

    assert frozen.status_code == 409
    assert frozen.json()["code"] == "frozen"
    assert officer.status_code == 404  # sealed until the deadline: not there for the officer
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.SUBMITTED


def test_withdrawing_deletes_a_draft_and_withdraws_a_submission_before_the_deadline():
    call = published_call()
    draft = complete_draft(call=call)
    (submitted,) = submitted_proposals(call, 1)

    deleted = client_for(draft.person).post(detail_url(draft, "api-proposal-withdraw"))
    withdrawn = client_for(submitted.person).post(detail_url(submitted, "api-proposal-withdraw"))

    assert deleted.status_code == 204
    assert not Proposal.objects.filter(pk=draft.pk).exists()
    assert withdrawn.status_code == 200
    assert withdrawn.json()["status"] == "withdrawn"


def test_submitting_after_the_deadline_is_refused_and_keeps_the_draft():
    draft = complete_draft()

    with time_machine.travel(draft.call.deadline + timedelta(seconds=1)):
        response = client_for(draft.person).post(
            detail_url(draft, "api-proposal-submit"), DECLARED, format="json"
        )

    assert response.status_code == 400
    assert response.json()["code"] == "deadline"
    assert Proposal.objects.get(pk=draft.pk).status == Proposal.Status.DRAFT


# --- The decision ------------------------------------------------------------------------------


def decide(user, proposal, body):
    return client_for(user).post(detail_url(proposal, "api-proposal-decision"), body, format="json")


def test_the_officer_awards_with_a_contract_and_the_company_reads_the_decision(
    setting,
    django_capture_on_commit_callbacks,
):
    proposal = setting["proposals"][0]
    signed_advice(proposal.phase)

    with django_capture_on_commit_callbacks(execute=True):
        response = decide(
            setting["officer"],
            proposal,
            {"decision": "award", "motivation": "Sterk plan", "amount": "18000.00"},
        )

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "awarded"
    assert Contract.objects.get(proposal=proposal).amount == Decimal("18000.00")
    # The company hears of it once, by the letter, when the whole phase is decided.
    assert not mail.outbox
    others = [p for p in setting["proposals"] if p.phase_id == proposal.phase_id and p != proposal]
    with django_capture_on_commit_callbacks(execute=True):
        for other in others:
            assert (
                decide(
                    setting["officer"], other, {"decision": "reject", "motivation": "Minder"}
                ).status_code
                == 200
            )
    letter_mails = [m for m in mail.outbox if proposal.created_by.email in m.to]
    assert len(letter_mails) == 1
    assert "18.000,00" in letter_mails[0].body
    assert len(mail.outbox) == len(others) + 1
    company_view = client_for(proposal.created_by).get(detail_url(proposal)).json()
    assert company_view["decision"]["status"] == "awarded"
    assert company_view["decision"]["motivation"] == "Sterk plan"
    assert company_view["decision"]["decided_at"]


def test_a_rejection_needs_a_motivation_and_a_double_award_is_409(setting):
    first, second = setting["proposals"][:2]
    officer = setting["officer"]
    signed_advice(first.phase)

    no_reason = decide(officer, second, {"decision": "reject", "motivation": " "})
    assert no_reason.status_code == 400
    assert "motivation" in no_reason.json()
    assert decide(officer, second, {"decision": "reject", "motivation": "Zwak"}).status_code == 200

    assert decide(officer, first, {"decision": "award", "motivation": "Goed"}).status_code == 200
    again = decide(officer, first, {"decision": "award", "motivation": "Goed"})
    assert again.status_code == 409
    assert Contract.objects.filter(proposal=first).count() == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"decision": "award", "motivation": "ok", "amount": "veel"}, "amount"),
        ({"decision": "award", "motivation": "ok", "amount": "0"}, "amount"),
        ({"decision": "maybe", "motivation": "ok"}, "decision"),
        ({"decision": "reject", "motivation": "ok", "amount": "100.00"}, "amount"),
        ({"decision": "award"}, "motivation"),
    ],
)
def test_bad_decisions_are_a_400_naming_the_field(setting, body, field):
    proposal = setting["proposals"][0]

    response = decide(setting["officer"], proposal, body)

    assert response.status_code == 400
    assert field in response.json()
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.UNDER_ASSESSMENT


def test_an_award_over_the_maximum_is_refused_with_the_reason(setting):
    proposal = setting["proposals"][0]

    response = decide(
        setting["officer"], proposal, {"decision": "award", "motivation": "ok", "amount": "1e9"}
    )

    assert response.status_code == 400
    assert not Contract.objects.exists()


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", 401),
        ("owner", 403),
        ("other_applicant", 404),
        ("other_officer", 404),
        ("ministry_staff", 404),
        ("conflicted_member", 404),
        ("chair", 403),
    ],
)
def test_only_the_calls_officer_decides(setting, role, expected):
    proposal = setting["proposals"][0]
    conflicted = setting["members"][0]
    declare_all(setting, conflicts={(conflicted, proposal)})
    user = {
        "anonymous": None,
        "owner": proposal.created_by,
        "other_applicant": applicant(),
        "other_officer": officer_of(),
        "ministry_staff": person_with_role(Role.MINISTRY_STAFF),
        "conflicted_member": conflicted.user,
        "chair": setting["chair"].user,
    }[role]

    response = decide(user, proposal, {"decision": "award", "motivation": "ok"})

    assert response.status_code == expected
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.UNDER_ASSESSMENT


# --- Assessments -------------------------------------------------------------------------------


def _scores(assignment: Assignment, value: int, motivation: str = "Motivering") -> list[dict]:
    return [
        {"criterion": c.pk, "score": value, "motivation": motivation}
        for c in assignment.proposal.phase.criteria.all()
    ]


def test_a_member_lists_their_assignments_with_criteria_and_own_scores(setting):
    member = setting["members"][0]
    conflicted = setting["proposals"][0]
    declare_all(setting, conflicts={(member, conflicted)})
    assignments_balance(committee=setting["committee"], actor=setting["officer"])
    mine = list(Assignment.objects.filter(member=member))
    client = client_for(member.user)
    client.put(
        reverse("api-assessment-detail", args=[mine[0].pk]),
        {"scores": _scores(mine[0], 7)},
        format="json",
    )

    response = client.get(reverse("api-assessment-list"))

    assert ids(response) == {a.pk for a in mine}
    assert conflicted.pk not in {i["proposal"]["id"] for i in response.json()["results"]}
    first = next(i for i in response.json()["results"] if i["id"] == mine[0].pk)
    assert first["cleared"] is True
    assert first["assessment_status"] == "draft"
    assert [c["name"] for c in first["criteria"]] == list(
        mine[0].proposal.phase.criteria.values_list("name", flat=True)
    )
    assert {s["score"] for s in first["scores"]} == {7}
    others = [i for i in response.json()["results"] if i["id"] != mine[0].pk]
    assert all(i["assessment_status"] == "not_started" and not i["scores"] for i in others)


def test_people_without_a_seat_have_no_assignments(setting):
    declare_all(setting)
    assignments_balance(committee=setting["committee"], actor=setting["officer"])

    assert ids(client_for(setting["officer"]).get(reverse("api-assessment-list"))) == set()
    assert client_for(None).get(reverse("api-assessment-list")).status_code == 401


def test_the_assignment_list_costs_the_same_queries_for_few_or_many(setting):
    declare_all(setting)
    member = setting["members"][0]
    proposals = setting["proposals"]
    client = client_for(member.user)
    url = reverse("api-assessment-list")

    def assign_and_score(proposal):
        assignment = Assignment.objects.create(member=member, proposal=proposal)
        client.put(
            reverse("api-assessment-detail", args=[assignment.pk]),
            {"scores": _scores(assignment, 6)},
            format="json",
        )

    assign_and_score(proposals[0])
    few, _body = _queries(client, url)
    for proposal in proposals[1:]:
        assign_and_score(proposal)

    many, body = _queries(client, url)

    assert len(body["results"]) == 4
    assert many == few


def test_a_member_saves_then_submits_and_the_scores_lock(setting):
    declare_all(setting)
    member = setting["members"][0]
    assignment = Assignment.objects.create(member=member, proposal=setting["proposals"][0])
    client = client_for(member.user)
    url = reverse("api-assessment-detail", args=[assignment.pk])

    incomplete = client.put(
        url, {"scores": _scores(assignment, 7, motivation=""), "submit": True}, format="json"
    )
    assert incomplete.status_code == 400
    assert incomplete.json()["code"] == "incomplete"

    submitted = client.put(url, {"scores": _scores(assignment, 8), "submit": True}, format="json")
    assert submitted.status_code == 200, submitted.content
    assert submitted.json()["assessment_status"] == "submitted"
    assert submitted.json()["submitted_at"]

    locked = client.put(url, {"scores": _scores(assignment, 3)}, format="json")
    assert locked.status_code == 409
    assert locked.json()["code"] == "locked"
    assessment = Assessment.objects.get(assignment=assignment)
    assert {s.score for s in assessment.scores.all()} == {8}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"score": 11}, "score"),
        ({"score": 0}, "score"),
        ({"score": "acht"}, "score"),
        ({"criterion": 999999}, "criterion"),
    ],
)
def test_bad_scores_are_a_400_naming_the_field(setting, change, field):
    declare_all(setting)
    member = setting["members"][0]
    assignment = Assignment.objects.create(member=member, proposal=setting["proposals"][0])
    scores = _scores(assignment, 7)
    scores[1] = {**scores[1], **change}

    response = client_for(member.user).put(
        reverse("api-assessment-detail", args=[assignment.pk]), {"scores": scores}, format="json"
    )

    assert response.status_code == 400
    errors = response.json()["scores"]
    assert set(errors) == {"1"}
    assert field in errors["1"]
    assert not Assessment.objects.exists()


def test_a_malformed_scores_body_is_a_400(setting):
    declare_all(setting)
    member = setting["members"][0]
    assignment = Assignment.objects.create(member=member, proposal=setting["proposals"][0])
    url = reverse("api-assessment-detail", args=[assignment.pk])
    client = client_for(member.user)

    malformed = client.put(url, data='{"scores": [', content_type="application/json")
    not_a_list = client.put(url, {"scores": "7"}, format="json")

    assert malformed.status_code == 400
    assert not_a_list.status_code == 400
    assert "scores" in not_a_list.json()


@pytest.mark.parametrize(
    "who", ["anonymous", "other_member", "conflicted", "undeclared", "officer", "owner"]
)
def test_only_the_cleared_member_scores_an_assignment(setting, who):
    member, other = setting["members"][:2]
    proposal = setting["proposals"][0]
    if who == "conflicted":
        conflict_declare(
            member=member, proposal=proposal, actor=member.user, has_conflict=True, explanation="x"
        )
    elif who != "undeclared":
        conflict_declare(member=member, proposal=proposal, actor=member.user, has_conflict=False)
    assignment = Assignment.objects.create(member=member, proposal=proposal)
    user = {
        "anonymous": None,
        "other_member": other.user,
        "conflicted": member.user,
        "undeclared": member.user,
        "officer": setting["officer"],
        "owner": proposal.created_by,
    }[who]

    response = client_for(user).put(
        reverse("api-assessment-detail", args=[assignment.pk]),
        {"scores": _scores(assignment, 7)},
        format="json",
    )

    assert response.status_code == (401 if who == "anonymous" else 404)
    assert not Assessment.objects.exists()


# --- Starting a phase's assessment -------------------------------------------------------------


def start(user, phase):
    return client_for(user).post(reverse("api-phase-start-assessment", args=[phase.pk]))


@pytest.fixture
def waiting():
    """A published call with 3 submitted proposals and a draft in its first phase."""
    call = published_call()
    submitted = submitted_proposals(call, 3)
    draft = complete_draft(call=call)
    return {"call": call, "phase": call.phases.get(order=1), "submitted": submitted, "draft": draft}


def statuses(phase) -> dict[int, str]:
    return dict(Proposal.objects.filter(phase=phase).values_list("pk", "status"))


def test_the_officer_starts_the_first_phase_and_the_call_goes_under_assessment(waiting):
    call, phase = waiting["call"], waiting["phase"]
    with time_machine.travel(call.deadline + timedelta(minutes=1)):
        call_close(call=call, actor=call.officer)
        response = start(call.officer, phase)
        again = start(call.officer, phase)

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["sent_to_committee"] == 3
    assert body["under_assessment"] == 3
    assert "3" in body["detail"]
    assert body["phase"]["id"] == phase.pk
    assert body["phase"]["order"] == 1
    assert body["call"]["id"] == call.pk
    assert body["call"]["status"] == "under_assessment"
    assert Call.objects.get(pk=call.pk).status == Call.Status.UNDER_ASSESSMENT
    assert {p.pk for p in waiting["submitted"]} == {
        pk for pk, status in statuses(phase).items() if status == "under_assessment"
    }
    assert Proposal.objects.get(pk=waiting["draft"].pk).status == Proposal.Status.DRAFT
    # A repeat (a double click, a retried request) sends nothing and says so.
    assert again.status_code == 200, again.content
    assert again.json()["sent_to_committee"] == 0
    assert again.json()["under_assessment"] == 3
    assert again.json()["call"]["status"] == "under_assessment"


def test_a_call_past_its_deadline_not_yet_closed_by_the_clock_is_closed_on_the_way(waiting):
    call, phase = waiting["call"], waiting["phase"]
    with time_machine.travel(call.deadline + timedelta(seconds=5)):
        response = start(call.officer, phase)

    assert response.status_code == 200, response.content
    assert response.json()["sent_to_committee"] == 3
    call = Call.objects.get(pk=call.pk)
    assert call.status == Call.Status.UNDER_ASSESSMENT
    assert call.closed_at is not None


def test_a_phase_without_submitted_proposals_starts_with_none_and_says_so():
    call = published_call()
    complete_draft(call=call)  # a draft never goes to the committee
    phase = call.phases.get(order=1)
    with time_machine.travel(call.deadline + timedelta(minutes=1)):
        call_close(call=call, actor=call.officer)
        response = start(call.officer, phase)

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["sent_to_committee"] == 0
    assert body["under_assessment"] == 0
    assert body["detail"]
    # The service moves the call on regardless: its first phase is with the committee, empty.
    assert body["call"]["status"] == "under_assessment"
    assert Call.objects.get(pk=call.pk).status == Call.Status.UNDER_ASSESSMENT


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", 401),
        ("company", 403),
        ("other_applicant", 403),
        ("other_officer", 403),
        ("ministry_staff", 403),
    ],
)
def test_only_the_calls_own_officers_start_the_assessment(waiting, role, expected):
    call, phase = waiting["call"], waiting["phase"]
    user = {
        "anonymous": None,
        "company": waiting["submitted"][0].person,
        "other_applicant": applicant(),
        "other_officer": officer_of(),
        "ministry_staff": person_with_role(Role.MINISTRY_STAFF),
    }[role]
    with time_machine.travel(call.deadline + timedelta(minutes=1)):
        call_close(call=call, actor=call.officer)
        before = statuses(phase)
        response = start(user, phase)

    assert response.status_code == expected
    if expected == 403:
        assert response.json()["detail"]
    assert statuses(phase) == before
    assert Call.objects.get(pk=call.pk).status == Call.Status.CLOSED


def test_a_colleague_at_the_same_authority_may_start_it(waiting):
    call, phase = waiting["call"], waiting["phase"]
    colleague = officer_of(call.authority)
    with time_machine.travel(call.deadline + timedelta(minutes=1)):
        response = start(colleague, phase)

    assert response.status_code == 200, response.content
    assert response.json()["sent_to_committee"] == 3


def test_an_unknown_phase_or_one_of_someone_elses_draft_call_is_404():
    draft = draft_call()
    outsider = officer_of()

    assert client_for(outsider).post("/api/v1/phases/999999/start-assessment/").status_code == 404
    assert start(outsider, draft.phases.get(order=1)).status_code == 404
    assert start(applicant(), draft.phases.get(order=1)).status_code == 404


def test_before_the_deadline_it_is_409_and_nothing_moves(waiting):
    call, phase = waiting["call"], waiting["phase"]
    before = statuses(phase)

    response = start(call.officer, phase)

    assert response.status_code == 409
    assert response.json()["code"] == "deadline_not_passed"
    assert response.json()["detail"]
    assert statuses(phase) == before
    assert Call.objects.get(pk=call.pk).status == Call.Status.PUBLISHED


def test_a_later_phase_without_a_deadline_is_409(waiting):
    call = waiting["call"]
    later = call.phases.get(order=2)
    assert later.deadline is None
    with time_machine.travel(call.deadline + timedelta(minutes=1)):
        response = start(call.officer, later)

    assert response.status_code == 409
    assert response.json()["code"] == "deadline_not_passed"


def test_a_cancelled_call_has_no_assessment_to_start_409(waiting):
    call, phase = waiting["call"], waiting["phase"]
    call_cancel(call=call, actor=call.officer, reason="Budget ingetrokken")
    before = statuses(phase)
    with time_machine.travel(call.deadline + timedelta(minutes=1)):
        response = start(call.officer, phase)

    assert response.status_code == 409
    assert response.json()["code"] == "call_status"
    assert statuses(phase) == before
    assert Call.objects.get(pk=call.pk).status == Call.Status.CANCELLED


def test_a_draft_call_has_no_assessment_to_start_409():
    call = draft_call()
    with time_machine.travel(call.deadline + timedelta(minutes=1)):
        response = start(call.officer, call.phases.get(order=1))

    assert response.status_code == 409
    assert response.json()["code"] == "call_status"
    assert Call.objects.get(pk=call.pk).status == Call.Status.DRAFT


@pytest.mark.django_db(transaction=True)
def test_two_officers_starting_at_once_send_each_proposal_once_and_move_the_call_once():
    from tests.concurrency import require_postgresql, run_at_once

    require_postgresql()
    call = published_call()
    submitted_proposals(call, 3)
    phase = call.phases.get(order=1)
    clients = iter([client_for(call.officer), client_for(officer_of(call.authority))])
    url = reverse("api-phase-start-assessment", args=[phase.pk])
    with time_machine.travel(call.deadline + timedelta(minutes=1)):
        call_close(call=call, actor=call.officer)
        results = run_at_once(lambda: next(clients).post(url), 2)

    assert [result.status_code for result in results] == [200, 200], results
    assert sorted(result.json()["sent_to_committee"] for result in results) == [0, 3]
    assert Call.objects.get(pk=call.pk).status == Call.Status.UNDER_ASSESSMENT


# --- Sessions and the schema -------------------------------------------------------------------


def test_a_session_of_an_officer_needs_the_second_factor(client, verified_client):
    call = published_call()
    (proposal,) = submitted_proposals(call, 1)
    deadline_passed(call)
    client.force_login(call.officer)

    assert client.get(detail_url(proposal)).status_code == 403
    assert verified_client(call.officer).get(detail_url(proposal)).status_code == 200


def test_the_schema_is_valid_without_warnings_and_documents_proposals(tmp_path):
    target = tmp_path / "schema.yml"

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))

    paths = yaml.safe_load(target.read_text())["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/proposals/"])
    assert {"get", "patch"} == set(paths["/api/v1/proposals/{id}/"]) - {"parameters"}
    for name in ("submit", "withdraw", "decision"):
        operation = paths[f"/api/v1/proposals/{{id}}/{name}/"]["post"]
        assert operation["tags"] == ["proposals"]
    assert paths["/api/v1/assessments/"]["get"]["tags"] == ["assessment"]
    assert {"put"} == set(paths["/api/v1/assessments/{id}/"]) - {"parameters"}
    assert "409" in paths["/api/v1/assessments/{id}/"]["put"]["responses"]
    start = paths["/api/v1/phases/{id}/start-assessment/"]
    assert set(start) - {"parameters"} == {"post"}
    assert start["post"]["tags"] == ["assessment"]
    assert {"200", "401", "403", "404", "409"} <= set(start["post"]["responses"])
    assert not [
        path
        for path in paths
        if path.startswith("/api/v1/phases/") and path != ("/api/v1/phases/{id}/start-assessment/")
    ]


def test_the_officers_list_counts_nothing_it_does_not_show():
    """No COUNT of documents or assessments over joins: the list never shows them."""
    call = published_call()
    _bulk_proposals(call, 5, 0)
    deadline_passed(call)  # sealed until then
    client = client_for(call.officer)
    with CaptureQueriesContext(connection) as context:
        body = client.get(reverse("api-proposal-list")).json()
    page_query = next(q["sql"] for q in context.captured_queries if "LIMIT" in q["sql"])
    assert "COUNT(" not in page_query.upper()
    assert '"challenge"' not in page_query
    item = body["results"][0]
    assert item["url"] == f"http://testserver{reverse('proposals:detail', args=[item['id']])}"
    assert item["phase"]["deadline"] is not None  # the first phase follows the call's deadline
