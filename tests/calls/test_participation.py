"""Innovation partnership, stage 1: requests to participate, selection, invitations to tender.

Through the pages, the API, the Celery mail task and the dashboard: who may ask, see and
decide (companies, other companies, officers of the owner and of other authorities,
anonymous), the deadlines, double requests, and that only invited companies may tender.
"""

import json
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.formats import date_format
from rest_framework.test import APIClient

from calls.models import Call, ParticipationRequest
from calls.services.lifecycle import call_publish
from calls.services.participation import (
    participation_invitations_send,
    participation_request_decide,
    participation_request_submit,
)
from portal.exceptions import DomainError, NotAllowed
from portal.models import Membership, Role
from proposals.models import Proposal
from proposals.services.submission import proposal_start
from tests.conftest import login_verified
from tests.factories import CompanyFactory, person_with_role

from .factories import assessment_for, declaration_for, draft_call, published_call

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
IP = Call.Instrument.INNOVATION_PARTNERSHIP
FEWER = "Slechts één kandidaat voldoet aan de minimumeisen."
Status = ParticipationRequest.Status


def pdf(name: str = "geschiktheid.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, "application/pdf")


def client_of(user) -> Client:
    return login_verified(Client(), user)


def api_of(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def call():
    return published_call(instrument=IP)


def company_member():
    return person_with_role(Role.APPLICANT)


def ask(call, member=None, **kwargs) -> ParticipationRequest:
    member = member or company_member()
    values = {
        "motivation": "Tien jaar ervaring met elektrische schepen.",
        "document": pdf(),
        **declaration_for(call),
    }
    participation = participation_request_submit(call=call, actor=member, **{**values, **kwargs})
    participation.member = member
    return participation


def form_data(call, *, yes: tuple[str, ...] = ()) -> dict:
    """The self-declaration as the request page posts it: "no" on every ground except the
    codes in ``yes`` (explained), figures on every criterion."""
    data = {}
    for ground in call.exclusion_grounds.all():
        applies = ground.code in yes
        data[f"ground_{ground.pk}"] = "yes" if applies else "no"
        data[f"ground_{ground.pk}_explanation"] = "Boete in 2023." if applies else ""
        data[f"ground_{ground.pk}_self_cleaning"] = ""
    for criterion in call.selection_criteria.all():
        data[f"criterion_{criterion.pk}"] = "Omzet € 400.000; projecten A en B."
    return data


def assess_data(participation, *, meets: bool = True, exclude: bool = False) -> dict:
    """The officer's assessment as the decide page posts it."""
    data = {}
    for answer in participation.criterion_answers.all():
        data[f"criterion_{answer.criterion_id}"] = "meets" if meets else "fails"
        data[f"criterion_{answer.criterion_id}_reason"] = "Voldoet." if meets else "Te weinig."
    for answer in participation.exclusion_answers.filter(applies=True):
        data[f"ground_{answer.ground_id}"] = "exclude" if exclude else "accept"
        data[f"ground_{answer.ground_id}_reason"] = "Ernstig." if exclude else "Hersteld."
    return data


def api_declaration(call, *, yes: tuple[str, ...] = ()) -> dict:
    return {
        "exclusions": [
            {
                "ground": ground.pk,
                "applies": ground.code in yes,
                "explanation": "Boete in 2023." if ground.code in yes else "",
            }
            for ground in call.exclusion_grounds.all()
        ],
        "criteria": [
            {"criterion": criterion.pk, "response": "Omzet € 400.000."}
            for criterion in call.selection_criteria.all()
        ],
    }


def api_assessment(participation, *, meets: bool = True, exclude: bool | None = None) -> dict:
    return {
        "criteria": [
            {"criterion": answer.criterion_id, "meets": meets, "reason": "Voldoet."}
            for answer in participation.criterion_answers.all()
        ],
        "exclusions": [
            {"ground": answer.ground_id, "exclude": bool(exclude), "reason": "Afgewogen."}
            for answer in participation.exclusion_answers.filter(applies=True)
        ],
    }


def refused(code: str, error=DomainError):
    """The service refuses with this code (messages are translated; codes are stable)."""
    return pytest.raises(error, check=lambda exc: exc.code == code)


def after_requests(call):
    return time_machine.travel(call.participation_deadline + timedelta(minutes=1))


# --- Publication ------------------------------------------------------------------------------


@pytest.mark.parametrize(("days", "publishes"), [(29, False), (31, True)])
def test_publishing_needs_thirty_days_for_requests_to_participate(days, publishes):
    from django.utils import timezone

    call = draft_call(instrument=IP, participation_deadline=timezone.now() + timedelta(days=days))
    if publishes:
        assert call_publish(call=call, actor=call.officer).status == Call.Status.PUBLISHED
    else:
        with refused("incomplete"):
            call_publish(call=call, actor=call.officer)


# --- The call's page -------------------------------------------------------------------------


def test_the_page_shows_both_stages_the_award_basis_and_the_stop_clause(call):
    response = Client().get(call.get_absolute_url())
    html = response.content.decode()
    assert 'data-testid="stage-1"' in html
    assert 'data-testid="stage-2"' in html
    assert 'data-testid="award-basis"' in html
    assert 'data-testid="stop-clause"' in html
    # Anyone may start with stage 1; nobody is invited yet, so no tender button.
    assert 'data-testid="request-participation"' in html
    assert 'data-testid="start-proposal"' not in html


def test_an_invited_company_sees_the_tender_button_and_others_do_not(call):
    invited, rejected = ask(call), ask(call)
    with after_requests(call):
        decide(call, invited, True)
        decide(call, rejected, False)
        participation_invitations_send(call=call, actor=call.officer, fewer_reason=FEWER)
        for participation, shown in [(invited, True), (rejected, False)]:
            html = client_of(participation.member).get(call.get_absolute_url()).content.decode()
            assert ('data-testid="start-proposal"' in html) is shown
            assert 'data-testid="own-participation"' in html


def test_an_sbir_call_has_no_stages_and_no_requests(call):
    sbir = published_call()
    html = Client().get(sbir.get_absolute_url()).content.decode()
    assert 'data-testid="procedure"' not in html
    response = client_of(company_member()).get(
        reverse("calls:request_participation", args=[sbir.pk])
    )
    assert response.status_code == 404


# --- Companies ask to participate ------------------------------------------------------------


def test_a_company_asks_to_participate_through_the_page(call):
    member = company_member()
    client = client_of(member)
    url = reverse("calls:request_participation", args=[call.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"motivation": "Drie werkschepen gebouwd.", "document": pdf(), **form_data(call)}
    )
    assert response.status_code == 302
    participation = ParticipationRequest.objects.get(call=call)
    assert participation.status == Status.SUBMITTED
    assert participation.submitted_by == member
    assert participation.document.storage.exists(participation.document.name)
    mine = client.get(reverse("calls:participation_mine"))
    assert f'data-testid="request-{participation.pk}"' in mine.content.decode()
    document = client.get(reverse("calls:participation_document", args=[participation.pk]))
    assert b"".join(document.streaming_content) == PDF


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"motivation": "", "document": "pdf", "criterion": ""}, "criterion"),
        ({"motivation": "Ervaring", "document": None}, "document"),
        (
            {
                "motivation": "Ervaring",
                "document": SimpleUploadedFile("plan.pdf", b"MZ\x90\x00program", "application/pdf"),
            },
            None,  # libmagic: the content is a program, not a PDF
        ),
        (
            {
                "motivation": "Ervaring",
                "document": SimpleUploadedFile("plan.exe", PDF, "application/pdf"),
            },
            None,  # the extension
        ),
    ],
)
def test_bad_requests_are_refused_with_the_reason_and_nothing_is_stored(call, data, field):
    data = {**form_data(call), **data}
    if "criterion" in data:  # a selection criterion left without figures
        criterion = call.selection_criteria.first()
        field = f"criterion_{criterion.pk}"
        data[field] = data.pop("criterion")
    if data["document"] == "pdf":
        data["document"] = pdf()
    elif data["document"] is None:
        del data["document"]
    response = client_of(company_member()).post(
        reverse("calls:request_participation", args=[call.pk]), data
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == [field or "__all__"]
    shown = response.content.decode()
    assert all(str(message) in shown for messages in errors.values() for message in messages)
    assert not ParticipationRequest.objects.exists()


def test_one_request_per_company_per_call_but_a_withdrawn_one_may_be_renewed(call):
    participation = ask(call)
    colleague = person_with_role(Role.APPLICANT, organisation=participation.company)
    with refused("duplicate"):
        ask(call, colleague)
    response = client_of(colleague).post(
        reverse("calls:participation_withdraw", args=[participation.pk])
    )
    assert response.status_code == 302
    participation.refresh_from_db()
    assert participation.status == Status.WITHDRAWN
    assert ask(call, colleague).status == Status.SUBMITTED


def test_no_request_and_no_withdrawal_after_the_deadline(call):
    participation = ask(call)
    with after_requests(call):
        with refused("closed"):
            ask(call)
        client = client_of(participation.member)
        page = client.get(reverse("calls:request_participation", args=[call.pk]))
        assert 'data-testid="problem"' in page.content.decode()
        client.post(reverse("calls:participation_withdraw", args=[participation.pk]))
    participation.refresh_from_db()
    assert participation.status == Status.SUBMITTED


@pytest.mark.parametrize("role", [Role.PROCUREMENT_OFFICER, Role.MINISTRY_STAFF, Role.ASSESSOR])
def test_only_company_members_may_ask_to_participate(call, role):
    person = person_with_role(role)
    response = client_of(person).post(
        reverse("calls:request_participation", args=[call.pk]),
        {"motivation": "Ervaring", "document": pdf()},
    )
    assert response.status_code == 403
    with pytest.raises(NotAllowed):
        ask(call, person)
    assert not ParticipationRequest.objects.exists()


def test_anonymous_people_are_sent_to_log_in(call):
    for url in [
        reverse("calls:request_participation", args=[call.pk]),
        reverse("calls:participation_mine"),
        reverse("calls:officer_participation", args=[call.pk]),
    ]:
        response = Client().get(url)
        assert response.status_code == 302
        assert "login" in response["Location"]


def test_another_company_can_neither_withdraw_nor_read_a_request(call):
    participation = ask(call)
    stranger = client_of(company_member())
    assert (
        stranger.post(reverse("calls:participation_withdraw", args=[participation.pk])).status_code
        == 404
    )
    assert (
        stranger.get(reverse("calls:participation_document", args=[participation.pk])).status_code
        == 404
    )
    participation.refresh_from_db()
    assert participation.status == Status.SUBMITTED


def test_a_draft_call_takes_no_requests():
    draft = draft_call(instrument=IP)
    response = client_of(company_member()).get(
        reverse("calls:request_participation", args=[draft.pk])
    )
    assert response.status_code == 404


# --- The officer selects and invites ---------------------------------------------------------


def decide(call, participation, selected: bool, motivation: str = "Ruime ervaring."):
    return participation_request_decide(
        request=participation,
        actor=call.officer,
        selected=selected,
        motivation=motivation,
        # A rejected candidate misses a minimum level: it does not qualify.
        **assessment_for(participation, meets=selected),
    )


def test_requests_are_opened_only_after_their_deadline(call):
    participation = ask(call)
    url = reverse("calls:officer_participation", args=[call.pk])
    before = client_of(call.officer).get(url).content.decode()
    assert 'data-testid="not-opened"' in before
    assert participation.company.name not in before
    document_url = reverse("calls:participation_document", args=[participation.pk])
    assert client_of(call.officer).get(document_url).status_code == 404
    with refused("state"):
        decide(call, participation, True)
    with after_requests(call):
        client = client_of(call.officer)
        after = client.get(url).content.decode()
        assert participation.company.name in after
        assert client.get(document_url).status_code == 200


@pytest.mark.parametrize(
    ("who", "status"),
    [("company", 404), ("other_officer", 404), ("ministry_staff", 404), ("owner", 200)],
)
def test_who_may_see_the_officer_pages(call, who, status):
    participation = ask(call)
    person = {
        "company": lambda: participation.member,
        "other_officer": lambda: person_with_role(Role.PROCUREMENT_OFFICER),
        "ministry_staff": lambda: person_with_role(Role.MINISTRY_STAFF),
        "owner": lambda: call.officer,
    }[who]()
    with after_requests(call):
        client = client_of(person)
        assert (
            client.get(reverse("calls:officer_participation", args=[call.pk])).status_code == status
        )
        decide_url = reverse("calls:officer_participation_decide", args=[call.pk, participation.pk])
        assert client.get(decide_url).status_code == status
        response = client.post(
            decide_url,
            {"decision": "select", "motivation": "Geschikt.", **assess_data(participation)},
        )
        participation.refresh_from_db()
        assert (participation.status == Status.SELECTED) is (who == "owner")
        invite = client.post(
            reverse("calls:officer_participation_invite", args=[call.pk]), {"fewer_reason": FEWER}
        )
        assert invite.status_code == (404 if status == 404 else 302)
    if who != "owner":
        assert response.status_code == 404
        call.refresh_from_db()
        assert call.invitations_sent_at is None


def test_a_decision_needs_a_motivation_and_a_choice(call):
    participation = ask(call)
    url = reverse("calls:officer_participation_decide", args=[call.pk, participation.pk])
    with after_requests(call):
        client = client_of(call.officer)
        assessed = assess_data(participation)
        response = client.post(url, {"decision": "select", "motivation": "", **assessed})
        assert list(response.context["form"].errors) == ["motivation"]
        response = client.post(url, {"motivation": "Geschikt", **assessed})
        assert list(response.context["form"].errors) == ["decision"]
        response = client.post(url, {"decision": "maybe", "motivation": "Geschikt", **assessed})
        assert list(response.context["form"].errors) == ["decision"]
    participation.refresh_from_db()
    assert participation.status == Status.SUBMITTED


def test_invitations_wait_for_every_decision_and_at_least_one_selection(call):
    first, second = ask(call), ask(call)
    with after_requests(call):
        decide(call, first, False)
        with refused("undecided"):
            participation_invitations_send(call=call, actor=call.officer, fewer_reason=FEWER)
        decide(call, second, False)
        with refused("none_selected"):
            participation_invitations_send(call=call, actor=call.officer, fewer_reason=FEWER)
    call.refresh_from_db()
    assert call.invitations_sent_at is None


def test_invitations_mail_each_company_its_decision_and_open_the_tender_only_to_the_invited(
    call, django_capture_on_commit_callbacks
):
    invited, rejected, withdrawn = ask(call), ask(call), ask(call)
    colleague = person_with_role(Role.APPLICANT, organisation=invited.company)
    withdrawn.status = Status.WITHDRAWN
    withdrawn.save(update_fields=["status"])
    with after_requests(call):
        decide(call, invited, True, "Veel ervaring met veerponten.")
        decide(call, rejected, False, "Geen ervaring met schepen.")
        with django_capture_on_commit_callbacks(execute=True):
            response = client_of(call.officer).post(
                reverse("calls:officer_participation_invite", args=[call.pk]),
                {"fewer_reason": FEWER},
            )
        assert response.status_code == 302
        # The selection letters: one message per company, to each of its people.
        by_address = {address: message for message in mail.outbox for address in message.to}
        assert set(by_address) == {invited.member.email, colleague.email, rejected.member.email}
        assert "Veel ervaring met veerponten." in by_address[invited.member.email].body
        assert "Geen ervaring met schepen." in by_address[rejected.member.email].body
        assert by_address[invited.member.email].subject != by_address[rejected.member.email].subject

    call.refresh_from_db()
    with time_machine.travel(call.selection_standstill_ends_on + timedelta(days=1)):
        phase = call.phases.get(order=1)
        proposal = proposal_start(phase=phase, actor=invited.member, title="Elektrische pont")
        assert proposal.status == Proposal.Status.DRAFT
        with refused("funnel", NotAllowed):
            proposal_start(phase=phase, actor=rejected.member, title="Pont")
        with refused("funnel", NotAllowed):
            proposal_start(phase=phase, actor=company_member(), title="Pont")
        # The selection is final once the invitations are out.
        with refused("state"):
            decide(call, rejected, True)
        with refused("state"):
            participation_invitations_send(call=call, actor=call.officer, fewer_reason=FEWER)


def test_one_request_and_one_invited_company_read_in_the_singular(
    call, django_capture_on_commit_callbacks
):
    participation = ask(call)
    with after_requests(call):
        client = client_of(call.officer)
        client.cookies["django_language"] = "en"
        url = reverse("calls:officer_participation", args=[call.pk])
        assert "1 request: 0 selected" in client.get(url).content.decode()
        decide(call, participation, True)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("calls:officer_participation_invite", args=[call.pk]),
                {"fewer_reason": FEWER},
                follow=True,
            )
    html = response.content.decode()
    assert "1 company is invited to tender;" in html
    assert "companies are" not in html


def test_an_sbir_first_phase_needs_no_invitation():
    sbir = published_call()
    proposal = proposal_start(phase=sbir.phases.get(order=1), actor=company_member(), title="X")
    assert proposal.pk


def test_a_company_reads_the_decision_only_once_the_invitations_are_sent(call):
    participation = ask(call)
    with after_requests(call):
        client = client_of(participation.member)
        decide(call, participation, False, "Te weinig capaciteit.")
        assert (
            "Te weinig capaciteit."
            not in client.get(reverse("calls:participation_mine")).content.decode()
        )
        api = api_of(participation.member).get(reverse("api-participation-list")).json()
        assert api["results"][0]["status"] == "submitted"
        assert api["results"][0]["decision_motivation"] == ""
        participation_invitations_send_with_one_selected(call)
        assert (
            "Te weinig capaciteit."
            in client.get(reverse("calls:participation_mine")).content.decode()
        )


def participation_invitations_send_with_one_selected(call):
    other = ParticipationRequest.objects.create(
        call=call,
        company=CompanyFactory(),
        submitted_by=call.officer,
        motivation="x",
        document="participation/x.pdf",
        status=Status.SELECTED,
        decision_motivation="Geschikt.",
    )
    participation_invitations_send(call=call, actor=call.officer, fewer_reason=FEWER)
    return other


# --- List pages cost a fixed number of queries -----------------------------------------------


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_list_pages_cost_the_same_for_one_or_many_requests(call):
    member = company_member()
    ask(call, member)
    calls = [published_call(instrument=IP) for _ in range(3)]
    company_url = reverse("calls:participation_mine")
    officer_url = reverse("calls:officer_participation", args=[call.pk])
    with after_requests(call):
        company, officer = client_of(member), client_of(call.officer)
        few = (_queries(company, company_url), _queries(officer, officer_url))
    with time_machine.travel(call.participation_deadline - timedelta(days=1)):
        for other in calls:
            ask(other, member)
        for _ in range(4):
            ask(call)
    with after_requests(call):
        company, officer = client_of(member), client_of(call.officer)
        many = (_queries(company, company_url), _queries(officer, officer_url))
    assert few == many


# --- API ---------------------------------------------------------------------------------------


def test_api_a_company_sends_lists_and_withdraws_its_own_requests(call):
    member = company_member()
    ask(call)  # another company's request: never listed
    client = api_of(member)
    response = client.post(
        reverse("api-participation-list"),
        {"call": call.pk, "document": pdf(), "declaration": json.dumps(api_declaration(call))},
        format="multipart",
    )
    assert response.status_code == 201, response.content
    created = response.json()
    again = client.post(
        reverse("api-participation-list"),
        {"call": call.pk, "document": pdf(), "declaration": json.dumps(api_declaration(call))},
        format="multipart",
    )
    assert again.status_code == 400
    assert again.json()["code"] == "duplicate"
    listed = client.get(reverse("api-participation-list")).json()
    assert [item["id"] for item in listed["results"]] == [created["id"]]
    withdrawn = client.post(reverse("api-participation-withdraw", args=[created["id"]]))
    assert withdrawn.status_code == 200
    assert withdrawn.json()["status"] == "withdrawn"


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 401), ("company", 403), ("other_officer", 404), ("owner", 200)],
)
def test_api_only_the_owning_officer_decides(call, who, status):
    participation = ask(call)
    user = {
        "anonymous": lambda: None,
        "company": lambda: participation.member,
        "other_officer": lambda: person_with_role(Role.PROCUREMENT_OFFICER),
        "owner": lambda: call.officer,
    }[who]()
    with after_requests(call):
        response = api_of(user).post(
            reverse("api-participation-decide", args=[participation.pk]),
            {"selected": True, "motivation": "Geschikt.", **api_assessment(participation)},
            format="json",
        )
    assert response.status_code == status
    participation.refresh_from_db()
    assert (participation.status == Status.SELECTED) is (who == "owner")


def test_api_officer_lists_requests_of_own_calls_after_the_deadline_and_invites(call):
    participation = ask(call)
    other_call = published_call(instrument=IP)
    ask(other_call)
    client = api_of(call.officer)
    url = reverse("api-participation-list")
    assert client.get(url).json()["results"] == []
    with after_requests(call):
        listed = client.get(url, {"call": call.pk}).json()["results"]
        assert [item["id"] for item in listed] == [participation.pk]
        bad = client.post(
            reverse("api-participation-decide", args=[participation.pk]),
            {"selected": "maybe"},
            format="json",
        )
        assert bad.status_code == 400
        client.post(
            reverse("api-participation-decide", args=[participation.pk]),
            {"selected": True, "motivation": "Geschikt.", **api_assessment(participation)},
            format="json",
        )
        stranger = api_of(person_with_role(Role.PROCUREMENT_OFFICER))
        refused_call = stranger.post(
            reverse("api-call-send-invitations", args=[call.pk]), {"fewer_reason": FEWER}
        )
        assert refused_call.status_code == 403
        sent = client.post(
            reverse("api-call-send-invitations", args=[call.pk]), {"fewer_reason": FEWER}
        )
        assert sent.status_code == 200
        twice = client.post(
            reverse("api-call-send-invitations", args=[call.pk]), {"fewer_reason": FEWER}
        )
        assert twice.status_code == 400
    participation.refresh_from_db()
    assert participation.is_invited


# --- My tasks ----------------------------------------------------------------------------------


def tasks_of(user) -> dict[str, list[dict]]:
    response = client_of(user).get(reverse("dashboard"))
    by_kind: dict[str, list[dict]] = {}
    for task in response.context["tasks"]:
        by_kind.setdefault(task["kind"], []).append(task)
    return by_kind


def test_my_tasks_review_then_invite_then_tender(call):
    first, second = ask(call), ask(call)
    assert "review_participation" not in tasks_of(call.officer)
    with after_requests(call):
        review = tasks_of(call.officer)["review_participation"]
        assert "2" in review[0]["title"]
        assert review[0]["url"] == reverse("calls:officer_participation", args=[call.pk])
        decide(call, first, True)
        decide(call, second, False)
        assert "send_invitations" in tasks_of(call.officer)
        assert "submit_tender" not in tasks_of(first.member)
        participation_invitations_send(call=call, actor=call.officer, fewer_reason=FEWER)
        officer_tasks = tasks_of(call.officer)
        assert "send_invitations" not in officer_tasks
        assert "review_participation" not in officer_tasks
        # A candidate was not selected: the tender stage waits for the selection's standstill.
        assert "submit_tender" not in tasks_of(first.member)
    call.refresh_from_db()
    with time_machine.travel(call.selection_standstill_ends_on + timedelta(days=1, hours=12)):
        assert "submit_tender" in tasks_of(first.member)
        assert "submit_tender" not in tasks_of(second.member)
        other_officer = person_with_role(Role.PROCUREMENT_OFFICER)
        assert "review_participation" not in tasks_of(other_officer)
    assert Membership.objects.filter(user=first.member, role=Role.APPLICANT).exists()


def test_the_officers_requests_come_in_pages_with_the_counts_of_all(call, monkeypatch):
    from calls.views.officer import participation as views

    monkeypatch.setattr(views, "REQUESTS_PER_PAGE", 2)
    with time_machine.travel(call.participation_deadline - timedelta(days=1)):
        for _ in range(3):
            ask(call)
    url = reverse("calls:officer_participation", args=[call.pk])
    with after_requests(call):
        officer = client_of(call.officer)
        response = officer.get(url)
        first = response.content.decode()
        second = officer.get(url, {"page": 2}).content.decode()
    assert first.count('data-testid="request-') == 2
    assert second.count('data-testid="request-') == 1
    # The caption counts every request, not the page's.
    assert response.context["received"] == 3
    assert response.context["counts"]["submitted"] == 3
    assert 'rel="next"' in first


def test_an_invited_company_finds_its_requests_and_when_tenders_open(call):
    """The menu, My proposals and the dashboard lead to the requests; an invited candidate
    reads its next step while the selection's standstill runs, and then the tender button."""
    first, second = ask(call), ask(call)
    outsider = company_member()
    requests_url = reverse("calls:participation_mine")
    with after_requests(call):
        decide(call, first, True)
        decide(call, second, False)
        participation_invitations_send(call=call, actor=call.officer, fewer_reason=FEWER)
        call.refresh_from_db()
        company = client_of(first.member)
        for page in ("dashboard", "proposals:mine"):
            assert f'href="{requests_url}"' in company.get(reverse(page)).text, page
        assert 'data-testid="requests-link"' in company.get(reverse("proposals:mine")).text
        soon = tasks_of(first.member)["tender_soon"]
        opens = date_format(call.selection_standstill_ends_on + timedelta(days=1), "DATE_FORMAT")
        assert opens in soon[0]["title"]
        assert soon[0]["url"] == requests_url
        assert "tender_soon" not in tasks_of(second.member)
        listed = company.get(requests_url).text
        assert 'data-testid="tender-opens"' in listed
        assert opens in listed
        # A company without requests has no such link.
        other = client_of(outsider)
        assert f'href="{requests_url}"' not in other.get(reverse("dashboard")).text
        assert 'data-testid="requests-link"' not in other.get(reverse("proposals:mine")).text
    with time_machine.travel(call.selection_standstill_ends_on + timedelta(days=1, hours=12)):
        assert "tender_soon" not in tasks_of(first.member)
        listed = client_of(first.member).get(requests_url).text
        assert 'data-testid="tender"' in listed
        assert 'data-testid="tender-opens"' not in listed


def test_the_public_page_of_a_partnership_gives_each_phase_its_state(call, client):
    """Tenders for the first phase close at the call's deadline; the later phases take no
    tenders (the partners carry them out); once awarded, the first reads closed, awarded."""
    client.cookies["django_language"] = "en"

    def deadlines() -> list[str]:
        page = client.get(call.get_absolute_url()).text
        cells = page.split('data-testid="phase-deadline">')[1:]
        return [" ".join(cell.split("</td>")[0].split()) for cell in cells]

    shown = deadlines()
    assert len(shown) == call.phases.count() >= 2
    assert "announced later" not in " ".join(shown)
    assert "closed" not in shown[0]
    assert all("no tenders" in cell for cell in shown[1:])

    Call.objects.filter(pk=call.pk).update(status=Call.Status.AWARDED)
    with time_machine.travel(call.deadline + timedelta(days=1)):
        shown = deadlines()
    assert shown[0].endswith("(closed, awarded)")
    assert all("no tenders" in cell for cell in shown[1:])
