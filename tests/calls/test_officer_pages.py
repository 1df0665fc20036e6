"""The procurement officer's call pages, through the pages themselves.

Who may reach which page (every role against every URL, other authorities' calls too),
creating and drafting a call with forms and formsets, the lifecycle buttons, amendments,
documents, and a list page whose number of queries does not grow with the calls.
"""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django import forms
from django.contrib.messages import get_messages
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from calls.models import (
    Amendment,
    Call,
    CallDocument,
    ClarificationQuestion,
    Criterion,
    Follower,
    Phase,
)
from calls.services.lifecycle import (
    call_close,
    call_document_add,
    call_mark_awarded,
    call_publication_problems,
    call_start_assessment,
)
from portal.models import Membership, Role
from tests.conftest import login_verified
from tests.factories import AuthorityFactory, person_with_role

from .factories import draft_call, mission, officer_of, published_call

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
LOCAL_MINUTE = "%Y-%m-%dT%H:%M"


# --- Helpers ------------------------------------------------------------------------------


def officer_client(officer, *, english: bool = False) -> Client:
    client = login_verified(Client(), officer)
    if english:
        client.cookies["django_language"] = "en"
    return client


def local(moment: datetime) -> str:
    """A moment as the officer types it into a datetime-local input (Europe/Amsterdam)."""
    return timezone.localtime(moment).strftime(LOCAL_MINUTE)


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def url(name: str, call: Call, **kwargs) -> str:
    return reverse(f"calls:{name}", kwargs={"pk": call.pk, **kwargs})


def form_data(form) -> dict:
    """What a browser would send for a form as the page shows it (initial values)."""
    data = {}
    for bound in form:
        value = bound.value()
        if isinstance(bound.field.widget, forms.CheckboxInput):
            if value:
                data[bound.html_name] = "on"
            continue
        if isinstance(value, list | tuple):
            data[bound.html_name] = [str(v) for v in value]
            continue
        formatted = bound.field.widget.format_value(value)
        data[bound.html_name] = "" if formatted is None else formatted
    return data


def formset_data(formset) -> dict:
    data = {
        f"{formset.prefix}-{key}": value for key, value in formset.management_form.initial.items()
    }
    for form in formset:
        data.update(form_data(form))
    return data


def page_formsets(client, address: str) -> list:
    response = client.get(address)
    assert response.status_code == 200
    return response.context["formsets"]


def new_call_data(**overrides) -> dict:
    now = timezone.now()
    return {
        "instrument": Call.Instrument.SBIR,
        "title": "Slimme dijkbewaking",
        "title_en": "Smart dike monitoring",
        "challenge": "Sensoren die zwakke plekken in dijken vroeg signaleren.",
        "challenge_en": "",
        "missions": [mission("security").pk],
        "contact_name": "Sanne de Vries",
        "contact_email": "sanne@hhnk.example",
        "total_budget": "1500000.00",
        "deadline": local(now + timedelta(days=60)),
        "questions_deadline": local(now + timedelta(days=40)),
        "participation_deadline": "",
        "max_partners": "",
        "tie_break": Call.TieBreak.HEAVIEST_CRITERION,
        **overrides,
    }


# --- Who may see what ------------------------------------------------------------------------


def call_pages(call: Call) -> list[str]:
    phase = call.phases.first()
    return [
        url("officer_manage", call),
        url("officer_edit", call),
        url("officer_cancel", call),
        url("officer_complete", call),
        url("officer_amend", call),
        url("officer_phases", call),
        url("officer_criteria", call, phase_pk=phase.pk),
        url("officer_prizes", call, phase_pk=phase.pk),
        url("officer_form_questions", call),
        url("officer_documents", call),
    ]


def call_actions(call: Call) -> list[str]:
    document = call.documents.first()
    return [
        url("officer_publish", call),
        url("officer_close", call),
        url("officer_complete", call),
        url("officer_document_delete", call, document_pk=document.pk),
    ]


@pytest.fixture
def contest():
    """A complete draft prize competition (it has every kind of page) with a document."""
    call = draft_call(instrument=Call.Instrument.PRIZE_COMPETITION)
    call_document_add(
        call=call,
        actor=call.officer,
        title="Reglement",
        file=SimpleUploadedFile("reglement.pdf", PDF, content_type="application/pdf"),
    )
    return call


LIST_PAGES = [reverse("calls:officer_list"), reverse("calls:officer_create")]


def visitor(kind: str, call: Call) -> Client:
    client = Client()
    if kind == "applicant":
        client.force_login(person_with_role(Role.APPLICANT))
    elif kind == "ministry_staff":
        login_verified(client, person_with_role(Role.MINISTRY_STAFF))
    elif kind == "other_officer":
        login_verified(client, officer_of())
    elif kind == "owning_officer":
        login_verified(client, call.officer)
    return client


def test_anonymous_is_sent_to_login_everywhere(contest):
    client = Client()
    for address in [*LIST_PAGES, *call_pages(contest)]:
        response = client.get(address)
        assert response.status_code == 302, address
        assert response["Location"].startswith(reverse("login")), address
    for address in call_actions(contest):
        assert client.post(address)["Location"].startswith(reverse("login")), address


@pytest.mark.parametrize(
    ("kind", "list_status"),
    [("applicant", 403), ("ministry_staff", 403), ("other_officer", 200)],
)
def test_outsiders_never_reach_another_authoritys_call(contest, kind, list_status):
    client = visitor(kind, contest)

    for address in LIST_PAGES:
        assert client.get(address).status_code == list_status, address
    # 404, not 403: nobody outside the authority learns that the draft exists.
    for address in call_pages(contest):
        assert client.get(address).status_code == 404, address
    for address in call_actions(contest):
        assert client.post(address).status_code == 404, address

    contest.refresh_from_db()
    assert contest.status == Call.Status.DRAFT
    assert contest.documents.count() == 1


def test_owning_officer_reaches_every_page(contest):
    client = visitor("owning_officer", contest)

    for address in [*LIST_PAGES, *call_pages(contest)]:
        assert client.get(address).status_code == 200, address


def test_officer_needs_the_second_factor(contest):
    client = Client()
    client.force_login(contest.officer)

    response = client.get(url("officer_manage", contest))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor_setup"))


def test_actions_only_accept_post(contest):
    client = visitor("owning_officer", contest)
    assert client.get(url("officer_close", contest)).status_code == 405


def test_a_phase_of_another_call_is_not_found(contest):
    other = draft_call(officer=contest.officer)
    client = visitor("owning_officer", contest)

    address = url("officer_criteria", contest, phase_pk=other.phases.first().pk)

    assert client.get(address).status_code == 404


def test_prizes_page_exists_only_for_contests():
    call = draft_call()
    client = officer_client(call.officer)
    address = url("officer_prizes", call, phase_pk=call.phases.first().pk)
    assert client.get(address).status_code == 404


# --- My calls ---------------------------------------------------------------------------------


def test_my_calls_lists_own_calls_with_drafts_and_open_questions():
    officer = officer_of()
    draft = draft_call(officer=officer, title="Emissieloze bouwplaats")
    open_call = published_call(officer=officer, title="Slimme verkeerslichten")
    for _ in range(2):
        ClarificationQuestion.objects.create(
            call=open_call,
            asked_by=person_with_role(Role.APPLICANT),
            organisation=AuthorityFactory(),
            text="Mag het ook zonder sensoren?",
        )
    foreign = draft_call(title="Geheime plannen van een ander")

    response = officer_client(officer).get(reverse("calls:officer_list"))

    page = response.content.decode()
    assert "Emissieloze bouwplaats" in page
    assert "Slimme verkeerslichten" in page
    assert "Geheime plannen van een ander" not in page
    rows = {call.pk: call for call in response.context["page_obj"]}
    assert set(rows) == {draft.pk, open_call.pk}
    assert rows[open_call.pk].open_questions == 2
    assert rows[draft.pk].open_questions == 0
    assert url("officer_manage", draft) in page
    assert foreign.pk not in rows


def test_my_calls_costs_the_same_queries_for_3_or_60_calls():
    officer = officer_of()
    client = officer_client(officer)
    address = reverse("calls:officer_list")

    def add_calls(count: int) -> None:
        for i in range(count):
            call = draft_call(officer=officer, title=f"Oproep {i}", complete=False)
            call.missions.set([mission("energy"), mission("health-care")])
            ClarificationQuestion.objects.create(
                call=call, asked_by=officer, organisation=AuthorityFactory(), text="Vraag?"
            )

    add_calls(3)
    client.get(address)  # warm up: session, caches
    with CaptureQueriesContext(connection) as few:
        assert client.get(address).status_code == 200

    add_calls(57)
    with CaptureQueriesContext(connection) as many:
        response = client.get(address)

    assert len(response.context["page_obj"]) == 25
    assert len(many) == len(few)


def test_my_calls_are_searched_filtered_and_sorted_on_the_server(monkeypatch):
    from calls.views.officer import calls as views

    officer = officer_of()
    client = officer_client(officer)
    address = reverse("calls:officer_list")
    bridges = draft_call(officer=officer, title="Stille bruggen")
    lights = published_call(officer=officer, title="Slimme verkeerslichten")
    dikes = draft_call(
        officer=officer, title="Sterke dijken", instrument=Call.Instrument.HACKATHON, complete=False
    )
    draft_call(title="Bruggen van een ander")

    def titles(**query):
        response = client.get(address, query)
        assert response.status_code == 200
        return [call.title for call in response.context["page_obj"]]

    assert titles() == ["Sterke dijken", "Slimme verkeerslichten", "Stille bruggen"]
    assert titles(order="title") == ["Slimme verkeerslichten", "Sterke dijken", "Stille bruggen"]
    assert titles(q="BRUG") == ["Stille bruggen"]  # not the other authority's
    assert titles(q=lights.reference) == ["Slimme verkeerslichten"]
    assert titles(status=Call.Status.PUBLISHED) == ["Slimme verkeerslichten"]
    assert titles(instrument=Call.Instrument.HACKATHON) == ["Sterke dijken"]
    assert titles(status=Call.Status.DRAFT, order="title") == ["Sterke dijken", "Stille bruggen"]
    # A choice that does not exist narrows nothing and breaks nothing.
    assert len(titles(order="-pk; drop table", status="nonsense")) == 3
    assert "Geen oproep gevonden." in client.get(address, {"q": "onbekend"}).content.decode()

    monkeypatch.setattr(views, "PAGE_SIZE", 1)
    page = client.get(address, {"status": "draft", "order": "title"}).content.decode()
    assert "?status=draft&amp;order=title&amp;page=2" in page
    assert titles(status="draft", order="title", page=2) == [bridges.title]
    assert dikes.pk


def test_a_search_of_my_calls_costs_the_same_queries_for_2_or_3_matches():
    officer = officer_of()
    client = officer_client(officer)
    address = reverse("calls:officer_list") + "?q=brug&order=title&status=draft"
    for number in range(2):
        draft_call(officer=officer, title=f"Brug {number}")
    client.get(address)
    with CaptureQueriesContext(connection) as few:
        assert client.get(address).status_code == 200
    call = draft_call(officer=officer, title="Brug 2")
    ClarificationQuestion.objects.create(
        call=call, asked_by=officer, organisation=AuthorityFactory(), text="Vraag?"
    )
    with CaptureQueriesContext(connection) as more:
        response = client.get(address)
    assert [row.open_questions for row in response.context["page_obj"]] == [0, 0, 1]
    assert len(more) == len(few)


# --- A new call ---------------------------------------------------------------------------


def test_officer_creates_an_sbir_draft_with_deadlines_read_in_amsterdam_time():
    officer = officer_of()
    client = officer_client(officer)
    data = new_call_data(deadline="2030-06-01T17:00", questions_deadline="2030-05-15T12:00")

    response = client.post(reverse("calls:officer_create"), data)

    call = Call.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("officer_manage", call)
    assert call.status == Call.Status.DRAFT
    assert call.authority == officer.memberships.get().organisation
    assert call.created_by == officer
    assert call.title_en == "Smart dike monitoring"
    assert call.total_budget == Decimal("1500000.00")
    # 17:00 in summer in Amsterdam is 15:00 UTC.
    assert call.deadline == datetime(2030, 6, 1, 15, 0, tzinfo=UTC)
    assert list(call.missions.values_list("code", flat=True)) == ["security"]
    assert call.phases.count() == 2
    assert call.participation_deadline is None


def test_officer_creates_an_innovation_partnership():
    client = officer_client(officer_of())
    participation = local(timezone.now() + timedelta(days=35))

    response = client.post(
        reverse("calls:officer_create"),
        new_call_data(
            instrument=Call.Instrument.INNOVATION_PARTNERSHIP,
            participation_deadline=participation,
            max_partners="3",
        ),
    )

    assert response.status_code == 302
    call = Call.objects.get()
    assert call.instrument == Call.Instrument.INNOVATION_PARTNERSHIP
    assert local(call.participation_deadline) == participation
    assert call.max_partners == 3
    assert call.reserves_right_to_stop
    assert call.phases.count() == 3


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        (
            {
                "deadline": local(timezone.now() + timedelta(days=30)),
                "questions_deadline": local(timezone.now() + timedelta(days=31)),
            },
            "questions_deadline",
        ),
        ({"total_budget": "-5000"}, "total_budget"),
        ({"total_budget": "0"}, "total_budget"),
        ({"deadline": local(timezone.now() - timedelta(days=1))}, "deadline"),
        ({"questions_deadline": "2020-01-01T12:00"}, "questions_deadline"),
        ({"instrument": Call.Instrument.INNOVATION_PARTNERSHIP}, "participation_deadline"),
        (
            {
                "instrument": Call.Instrument.INNOVATION_PARTNERSHIP,
                "participation_deadline": local(timezone.now() + timedelta(days=35)),
            },
            "max_partners",
        ),
        ({"contact_email": "geen-adres"}, "contact_email"),
    ],
    ids=[
        "questions-after-deadline",
        "negative-budget",
        "zero-budget",
        "deadline-past",
        "questions-deadline-past",
        "partnership-without-participation-deadline",
        "partnership-without-max-partners",
        "bad-email",
    ],
)
def test_bad_input_creates_nothing_and_keeps_what_was_typed(overrides, field):
    client = officer_client(officer_of())
    data = new_call_data(title="Dijkbewaking met drones", **overrides)

    response = client.post(reverse("calls:officer_create"), data)

    assert response.status_code == 200
    assert not Call.objects.exists()
    form = response.context["form"]
    assert field in form.errors
    page = response.content.decode()
    assert 'value="Dijkbewaking met drones"' in page
    assert "Sensoren die zwakke plekken in dijken vroeg signaleren." in page
    assert f'value="{data["deadline"]}"' in page
    assert 'aria-invalid="true"' in page
    assert "portal-error-summary" in page


def test_an_officer_of_two_authorities_chooses_one_but_never_a_third():
    officer = officer_of()
    second = AuthorityFactory(name="Waterschap Rivierenland")
    Membership.objects.create(user=officer, organisation=second, role=Role.PROCUREMENT_OFFICER)
    foreign = AuthorityFactory()
    client = officer_client(officer)

    assert "authority" in client.get(reverse("calls:officer_create")).context["form"].fields
    refused = client.post(reverse("calls:officer_create"), new_call_data(authority=foreign.pk))
    assert "authority" in refused.context["form"].errors
    assert not Call.objects.exists()

    client.post(reverse("calls:officer_create"), new_call_data(authority=second.pk))
    assert Call.objects.get().authority == second


def test_an_officer_of_one_authority_is_not_asked_which():
    client = officer_client(officer_of())
    assert "authority" not in client.get(reverse("calls:officer_create")).context["form"].fields


# --- Editing the draft ----------------------------------------------------------------------


def test_edit_draft_saves_the_main_fields():
    call = draft_call()
    client = officer_client(call.officer)
    data = form_data(client.get(url("officer_edit", call)).context["form"])
    data.update(title="Circulaire bruggen", total_budget="3500000.00")

    response = client.post(url("officer_edit", call), data)

    assert response.status_code == 302
    call.refresh_from_db()
    assert call.title == "Circulaire bruggen"
    assert call.total_budget == Decimal("3500000.00")


def test_edit_draft_refuses_bad_input_and_keeps_it():
    call = draft_call()
    client = officer_client(call.officer)
    data = form_data(client.get(url("officer_edit", call)).context["form"])
    data.update(title="Circulaire bruggen", total_budget="-1")

    response = client.post(url("officer_edit", call), data)

    assert response.status_code == 200
    assert 'value="Circulaire bruggen"' in response.content.decode()
    call.refresh_from_db()
    assert call.title == "Circulaire viaducten"


def test_published_call_is_frozen_on_the_edit_page():
    call = published_call()
    client = officer_client(call.officer)

    response = client.get(url("officer_edit", call))

    assert 'data-testid="frozen"' in response.content.decode()
    assert url("officer_amend", call) in response.content.decode()
    assert "form" not in response.context
    client.post(url("officer_edit", call), {"title": "Iets anders"})
    call.refresh_from_db()
    assert call.title == "Circulaire viaducten"


# --- Phases, prizes, criteria and required documents ------------------------------------


def test_phase_budgets_are_saved_through_the_formset():
    call = draft_call(complete=False, total_budget=Decimal("3000000.00"))
    client = officer_client(call.officer)
    address = url("officer_phases", call)
    data = formset_data(page_formsets(client, address)[0])
    data.update(
        {
            "phases-0-budget": "1000000.00",
            "phases-0-max_per_award": "250000.00",
            "phases-0-planned_awards": "4",
            "phases-1-budget": "2000000.00",
            "phases-1-max_per_award": "1000000.00",
            "phases-1-planned_awards": "2",
        }
    )

    response = client.post(address, data)

    assert response.status_code == 302
    first, second = call.phases.all()
    assert (first.budget, first.max_per_award, first.planned_awards) == (
        Decimal("1000000.00"),
        Decimal("250000.00"),
        4,
    )
    assert second.budget == Decimal("2000000.00")
    page = client.get(address)
    assert page.context["phase_total"] == Decimal("3000000.00")


def test_a_phase_is_added_and_another_deleted_and_the_order_stays_1_2():
    call = draft_call()
    client = officer_client(call.officer)
    address = url("officer_phases", call)
    data = formset_data(page_formsets(client, address)[0])
    first, second = call.phases.all()
    data.update(
        {
            "phases-0-DELETE": "on",
            "phases-2-name": "Fase 3: marktintroductie",
            "phases-2-kind": "purchase",
            "phases-2-budget": "100000.00",
            "phases-2-max_per_award": "50000.00",
            "phases-2-planned_awards": "2",
            "phases-2-duration_months": "12",
        }
    )

    assert client.post(address, data).status_code == 302

    phases = list(call.phases.all())
    assert [(p.order, p.name) for p in phases] == [
        (1, second.name),
        (2, "Fase 3: marktintroductie"),
    ]
    assert not type(first).objects.filter(pk=first.pk).exists()


def test_saving_unchanged_forms_keeps_deadlines_to_the_second():
    """The inputs show minutes; the saved seconds must survive, or phase 1 would close early."""
    call = draft_call()
    assert call.deadline.second or call.deadline.microsecond
    client = officer_client(call.officer)
    phases = url("officer_phases", call)
    client.post(phases, formset_data(page_formsets(client, phases)[0]))
    edit = url("officer_edit", call)
    client.post(edit, form_data(client.get(edit).context["form"]))

    call.refresh_from_db()
    assert call.phases.get(order=1).deadline == call.deadline
    assert call_publication_problems(call) == []


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"phases-0-max_per_award": "2000000.00"}, "max_per_award"),
        ({"phases-0-budget": "2500000.00", "phases-1-budget": "2500000.00"}, None),
        ({"phases-0-duration_months": "0"}, "duration_months"),
    ],
    ids=["award-above-phase-budget", "phases-above-call-budget", "no-duration"],
)
def test_phase_errors_are_shown_and_nothing_is_lost(changes, field):
    call = draft_call()
    client = officer_client(call.officer, english=True)
    address = url("officer_phases", call)
    data = formset_data(page_formsets(client, address)[0])
    before = list(call.phases.values_list("budget", "max_per_award", "duration_months"))
    data.update(changes)

    response = client.post(address, data)

    assert response.status_code == 200
    formset = response.context["formsets"][0]
    if field:
        assert field in formset.forms[0].errors
    else:
        assert "more than the call's budget" in " ".join(formset.non_form_errors())
        assert "€" in " ".join(formset.non_form_errors())
    page = response.content.decode()
    assert 'data-testid="error-summary"' in page
    for value in changes.values():
        assert f'value="{value}"' in page
    assert list(call.phases.values_list("budget", "max_per_award", "duration_months")) == before


def test_criteria_weights_are_saved_and_a_wrong_sum_is_refused():
    call = draft_call()
    phase = call.phases.first()
    standard = list(phase.required_documents.values_list("name", flat=True))
    client = officer_client(call.officer, english=True)
    address = url("officer_criteria", call, phase_pk=phase.pk)
    criteria, documents = page_formsets(client, address)
    data = {**formset_data(criteria), **formset_data(documents)}

    data.update({"criteria-0-weight": "50", "criteria-1-weight": "40"})  # 50 + 40 + 20
    refused = client.post(address, data)

    assert refused.status_code == 200
    errors = " ".join(refused.context["formsets"][0].non_form_errors())
    assert "110%" in errors
    assert 'value="50"' in refused.content.decode()
    assert [c.weight for c in phase.criteria.all()] == [40, 40, 20]

    data.update({"criteria-1-weight": "30"})
    data.update({"documents-2-name": "Begroting", "documents-2-description": "Per werkpakket"})
    assert client.post(address, data).status_code == 302

    assert [c.weight for c in phase.criteria.all()] == [50, 30, 20]
    assert list(phase.required_documents.values_list("name", "order")) == [
        (standard[0], 1),
        (standard[1], 2),
        ("Begroting", 3),
    ]


def test_criterion_scale_and_threshold_are_checked():
    call = draft_call()
    phase = call.phases.first()
    client = officer_client(call.officer)
    address = url("officer_criteria", call, phase_pk=phase.pk)
    criteria, documents = page_formsets(client, address)
    data = {**formset_data(criteria), **formset_data(documents)}
    data.update({"criteria-0-threshold": "11", "criteria-1-scale_min": "10"})

    response = client.post(address, data)

    forms_ = response.context["formsets"][0].forms
    assert "threshold" in forms_[0].errors
    assert "scale_max" in forms_[1].errors


def test_criteria_of_a_published_call_are_read_only():
    call = published_call()
    phase = call.phases.first()
    client = officer_client(call.officer, english=True)
    address = url("officer_criteria", call, phase_pk=phase.pk)

    page = client.get(address)
    assert 'data-testid="frozen"' in page.content.decode()
    assert all(f.disabled for f in page.context["formsets"][0].forms[0].fields.values())

    criteria, documents = page.context["formsets"]
    data = {**formset_data(criteria), **formset_data(documents), "criteria-0-weight": "90"}
    response = client.post(address, data, follow=True)

    assert any("Only a draft can be edited" in m for m in messages_of(response))
    assert [c.weight for c in phase.criteria.all()] == [40, 40, 20]


def test_prizes_are_kept_within_the_phase_budget():
    call = draft_call(instrument=Call.Instrument.HACKATHON, total_budget=Decimal("100000.00"))
    phase = call.phases.get()
    client = officer_client(call.officer)
    address = url("officer_prizes", call, phase_pk=phase.pk)
    data = formset_data(page_formsets(client, address)[0])
    data.update({"prizes-1-rank": "2", "prizes-1-amount": "90000.00"})

    refused = client.post(address, data)
    assert refused.status_code == 200
    assert refused.context["formsets"][0].non_form_errors()
    assert phase.prizes.count() == 1

    data.update({"prizes-1-amount": "20000.00", "prizes-1-description": "Publieksprijs"})
    assert client.post(address, data).status_code == 302
    assert list(phase.prizes.values_list("rank", "amount")) == [
        (1, Decimal("50000.00")),
        (2, Decimal("20000.00")),
    ]


# --- Questions on the proposal form -------------------------------------------------------


def test_a_choice_question_needs_two_choices_and_phases_are_this_calls_only():
    call = draft_call()
    other_phase = draft_call(officer=call.officer).phases.first()
    client = officer_client(call.officer)
    address = url("officer_form_questions", call)
    data = formset_data(page_formsets(client, address)[0])
    data.update(
        {
            "questions-0-text": "In welke provincie test u?",
            "questions-0-kind": "choice",
            "questions-0-choices": "Utrecht",
            "questions-0-required": "on",
            "questions-0-phase": str(other_phase.pk),
        }
    )

    refused = client.post(address, data)

    errors = refused.context["formsets"][0].forms[0].errors
    assert set(errors) == {"choices", "phase"}
    assert "In welke provincie test u?" in refused.content.decode()
    assert not call.questions.exists()

    data.update(
        {"questions-0-choices": "Utrecht\nGelderland\n", "questions-0-phase": ""},
    )
    assert client.post(address, data).status_code == 302
    question = call.questions.get()
    assert question.choice_list == ["Utrecht", "Gelderland"]
    assert question.phase is None


# --- Publishing and the lifecycle ---------------------------------------------------------


def spoil_budgets(call):
    call.phases.update(budget=Decimal("0.00"), max_per_award=Decimal("0.00"))


def spoil_weights(call):
    Criterion.objects.filter(pk=call.phases.first().criteria.first().pk).update(weight=5)


def spoil_total(call):
    call.phases.filter(order=1).update(budget=Decimal("9000000.00"))


def spoil_prizes(call):
    call.phases.get().prizes.all().delete()


def spoil_phase_deadline(call):
    call.phases.filter(order=1).update(deadline=call.deadline - timedelta(days=1))


@pytest.mark.parametrize(
    ("instrument", "spoil", "fields"),
    [
        (Call.Instrument.SBIR, spoil_budgets, {}),
        (Call.Instrument.SBIR, spoil_weights, {}),
        (Call.Instrument.SBIR, spoil_total, {}),
        (Call.Instrument.SBIR, spoil_phase_deadline, {}),
        (Call.Instrument.INNOVATION_PARTNERSHIP, None, {"participation_deadline": None}),
        (
            Call.Instrument.INNOVATION_PARTNERSHIP,
            None,
            {"participation_deadline": timezone.now() + timedelta(days=5)},
        ),
        (
            Call.Instrument.PRIZE_COMPETITION,
            lambda call: call.phases.get().prizes.all().delete(),
            {},
        ),
    ],
    ids=[
        "no-budgets",
        "weights",
        "over-budget",
        "phase-deadline",
        "no-participation-deadline",
        "participation-too-short",
        "no-prizes",
    ],
)
def test_publishing_an_incomplete_call_reports_each_problem(instrument, spoil, fields):
    call = draft_call(instrument=instrument, **fields)
    if spoil:
        spoil(call)
    problems = call_publication_problems(call)
    assert problems
    client = officer_client(call.officer)

    manage = client.get(url("officer_manage", call)).content.decode()
    assert manage.count('data-testid="problem"') == len(problems)

    response = client.post(url("officer_publish", call), follow=True)

    assert response.status_code == 200
    shown = " ".join(messages_of(response))
    for problem in problems:
        assert problem in shown
    call.refresh_from_db()
    assert call.status == Call.Status.DRAFT
    assert call.publication_date is None


def test_publishing_after_a_past_deadline_is_refused():
    now = timezone.now()
    call = draft_call(
        deadline=now + timedelta(hours=2), questions_deadline=now + timedelta(hours=1)
    )
    client = officer_client(call.officer, english=True)
    with time_machine.travel(call.deadline + timedelta(hours=1)):
        response = client.post(url("officer_publish", call), follow=True)
    assert any("deadline lies in the past" in m for m in messages_of(response))
    call.refresh_from_db()
    assert call.status == Call.Status.DRAFT


def test_publishing_asks_first_and_only_a_confirmed_post_publishes():
    call = draft_call()
    client = officer_client(call.officer, english=True)

    asked = client.get(url("officer_publish", call))
    assert asked.status_code == 200
    page = asked.content.decode()
    assert "Publish the call?" in page
    assert call.reference in page
    assert "are frozen" in page
    assert client.post(url("officer_publish", call)).status_code == 200
    call.refresh_from_db()
    assert call.status == Call.Status.DRAFT
    assert call.publication_date is None

    done = client.post(url("officer_publish", call), {"confirmed": "1"})

    assert done.status_code == 302
    call.refresh_from_db()
    assert call.status == Call.Status.PUBLISHED


def test_publish_through_the_page_after_completing_the_phases_then_a_double_click():
    call = draft_call(complete=False)
    client = officer_client(call.officer, english=True)
    refused = client.post(url("officer_publish", call), follow=True)
    assert any("needs a budget" in m for m in messages_of(refused))

    address = url("officer_phases", call)
    data = formset_data(page_formsets(client, address)[0])
    data.update(
        {
            "phases-0-budget": "500000.00",
            "phases-0-max_per_award": "100000.00",
            "phases-1-budget": "2000000.00",
            "phases-1-max_per_award": "1000000.00",
        }
    )
    client.post(address, data)

    asked = client.post(url("officer_publish", call))
    assert asked.status_code == 200
    assert 'data-testid="confirm-summary"' in asked.content.decode()
    call.refresh_from_db()
    assert call.status == Call.Status.DRAFT
    first = client.post(url("officer_publish", call), {"confirmed": "1"}, follow=True)
    assert any("published" in m for m in messages_of(first))
    second = client.post(url("officer_publish", call), {"confirmed": "1"})

    assert second.status_code == 302
    followed = client.get(second["Location"])
    assert followed.status_code == 200
    assert any("cannot go from" in m for m in messages_of(followed))
    call.refresh_from_db()
    assert call.status == Call.Status.PUBLISHED
    assert 'data-testid="publish"' not in followed.content.decode()


def test_closing_before_the_deadline_is_refused_then_the_assessment_starts_per_phase():
    now = timezone.now()
    call = published_call(
        deadline=now + timedelta(hours=2), questions_deadline=now + timedelta(hours=1)
    )
    client = officer_client(call.officer, english=True)

    early = client.post(url("officer_close", call), follow=True)
    assert any("is open until" in m for m in messages_of(early))
    call.refresh_from_db()
    assert call.status == Call.Status.PUBLISHED

    with time_machine.travel(call.deadline + timedelta(minutes=1)):
        manage = client.get(url("officer_manage", call)).content.decode()
        assert url("officer_close", call) in manage
        client.post(url("officer_close", call))
        call.refresh_from_db()
        assert call.status == Call.Status.CLOSED
        # The assessment starts on the first phase's page, which moves its proposals too.
        manage = client.get(url("officer_manage", call)).content.decode()
        first_phase = call.phases.get(order=1)
        assert reverse("proposals:officer_phase", args=[first_phase.pk]) in manage
        client.post(reverse("proposals:officer_open_assessment", args=[first_phase.pk]))
    call.refresh_from_db()
    assert call.status == Call.Status.UNDER_ASSESSMENT


def test_the_calls_level_start_of_the_assessment_is_gone():
    """It moved the call without its proposals; the per-phase start does both."""
    call = published_call()
    client = officer_client(call.officer)
    response = client.post(f"/officer/calls/{call.pk}/start-assessment/")
    assert response.status_code == 404
    call.refresh_from_db()
    assert call.status == Call.Status.PUBLISHED


def awarded_call() -> Call:
    """Through the services: published, closed at the deadline, assessed, awarded."""
    call = published_call()
    officer = call.officer
    with time_machine.travel(call.deadline + timedelta(minutes=1)):
        call_close(call=call, actor=officer)
    call_start_assessment(call=call, actor=officer)
    call = call_mark_awarded(call=call, actor=officer)
    call.officer = officer
    return call


def test_the_owner_completes_an_awarded_call_after_confirming():
    call = awarded_call()
    client = officer_client(call.officer)
    manage = client.get(url("officer_manage", call)).content.decode()
    assert 'data-testid="complete"' in manage
    confirm = client.get(url("officer_complete", call))
    assert confirm.status_code == 200
    assert 'data-testid="confirm-complete"' in confirm.content.decode()
    call.refresh_from_db()
    assert call.status == Call.Status.AWARDED  # looking at the question changes nothing

    response = client.post(url("officer_complete", call))

    assert response.status_code == 302
    call.refresh_from_db()
    assert call.status == Call.Status.COMPLETED
    after = client.get(url("officer_manage", call)).content.decode()
    assert 'data-testid="complete"' not in after


def test_only_an_awarded_call_can_be_completed():
    call = published_call()
    client = officer_client(call.officer, english=True)
    assert 'data-testid="complete"' not in client.get(url("officer_manage", call)).content.decode()
    page = client.get(url("officer_complete", call)).content.decode()
    assert 'data-testid="not-completable"' in page
    assert 'data-testid="confirm-complete"' not in page
    response = client.post(url("officer_complete", call), follow=True)
    assert any("cannot go from" in m for m in messages_of(response))
    call.refresh_from_db()
    assert call.status == Call.Status.PUBLISHED


@pytest.mark.parametrize("who", ["anonymous", "applicant", "ministry_staff", "other_officer"])
def test_outsiders_cannot_complete_an_awarded_call(who):
    call = awarded_call()
    client = Client()
    if who != "anonymous":
        role = {
            "applicant": Role.APPLICANT,
            "ministry_staff": Role.MINISTRY_STAFF,
            "other_officer": Role.PROCUREMENT_OFFICER,
        }[who]
        client = officer_client(person_with_role(role))
    response = client.post(url("officer_complete", call))
    assert response.status_code in ((302,) if who == "anonymous" else (404,))
    call.refresh_from_db()
    assert call.status == Call.Status.AWARDED


def test_cancel_needs_a_reason_and_tells_the_followers(django_capture_on_commit_callbacks):
    call = published_call()
    follower = person_with_role(Role.APPLICANT)
    Follower.objects.create(call=call, user=follower)
    client = officer_client(call.officer)

    for reason in ["", "   "]:
        refused = client.post(url("officer_cancel", call), {"reason": reason})
        assert refused.status_code == 200
        assert "reason" in refused.context["form"].errors
    call.refresh_from_db()
    assert call.status == Call.Status.PUBLISHED

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("officer_cancel", call), {"reason": "Budget ingetrokken."})

    assert response["Location"] == url("officer_manage", call)
    call.refresh_from_db()
    assert call.status == Call.Status.CANCELLED
    assert call.cancellation_reason == "Budget ingetrokken."
    assert [m.to for m in mail.outbox] == [[follower.email]]

    again = client.post(url("officer_cancel", call), {"reason": "Nog eens."}, follow=True)
    assert again.status_code == 200
    assert messages_of(again)


# --- Amendments -------------------------------------------------------------------------------


def test_amend_extends_the_deadline_records_it_and_mails_the_followers(
    django_capture_on_commit_callbacks,
):
    call = published_call()
    follower = person_with_role(Role.APPLICANT)
    Follower.objects.create(call=call, user=follower)
    client = officer_client(call.officer)
    data = form_data(client.get(url("officer_amend", call)).context["form"])
    assert data["title"] == call.title
    new_deadline = call.deadline.replace(second=0, microsecond=0) + timedelta(days=14)
    data.update(reason="Meer tijd voor consortia.", deadline=local(new_deadline))

    # First the confirmation page, with the change; nothing is published or mailed yet.
    with django_capture_on_commit_callbacks(execute=True):
        asked = client.post(url("officer_amend", call), data)
    assert asked.status_code == 200
    assert 'data-testid="confirm-summary"' in asked.text
    assert "Meer tijd voor consortia." in asked.text
    assert not Amendment.objects.exists()
    assert not mail.outbox
    # "Change" goes back to the form as it was filled in.
    revised = client.post(url("officer_amend", call), {**data, "revise": "1"})
    assert "Meer tijd voor consortia." in revised.text
    assert "confirm-summary" not in revised.text
    assert not Amendment.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("officer_amend", call), {**data, "confirmed": "1"})

    assert response.status_code == 302
    amendment = Amendment.objects.get(call=call)
    assert amendment.number == 1
    assert set(amendment.changes) == {"deadline"}
    assert amendment.new_deadline == new_deadline
    call.refresh_from_db()
    assert call.deadline == new_deadline
    assert call.phases.get(order=1).deadline == new_deadline
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [follower.email]
    assert "Meer tijd voor consortia." in mail.outbox[0].body


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"deadline": lambda call: call.deadline - timedelta(days=2)}, "deadline"),
        ({"reason": lambda call: ""}, "reason"),
        ({}, None),  # the amendment changes nothing
        (
            {"questions_deadline": lambda call: call.deadline + timedelta(days=1)},
            "questions_deadline",
        ),
        (
            {"questions_deadline": lambda call: datetime(2020, 1, 1, 12, tzinfo=UTC)},
            "questions_deadline",
        ),
    ],
    ids=[
        "shorter-deadline",
        "no-reason",
        "nothing-changed",
        "questions-after-deadline",
        "questions-in-the-past",
    ],
)
@pytest.mark.parametrize("confirmed", [False, True], ids=["asked", "confirmed"])
def test_amend_refusals_appear_on_the_form(changes, field, confirmed):
    call = published_call()
    client = officer_client(call.officer)
    data = form_data(client.get(url("officer_amend", call)).context["form"])
    data["reason"] = "Rectificatie."
    data["title"] = "Circulaire viaducten en bruggen" if field else data["title"]
    for name, value in changes.items():
        result = value(call)
        data[name] = local(result) if isinstance(result, datetime) else result
    if confirmed:  # a hand-made confirmation is refused all the same
        data["confirmed"] = "1"

    response = client.post(url("officer_amend", call), data)
    assert "confirm-summary" not in response.text

    assert response.status_code == 200
    form = response.context["form"]
    if field:
        assert field in form.errors
        assert 'value="Circulaire viaducten en bruggen"' in response.content.decode()
    else:
        assert form.non_field_errors()
    assert not Amendment.objects.exists()
    call.refresh_from_db()
    assert call.title == "Circulaire viaducten"


def test_a_draft_cannot_be_amended():
    call = draft_call()
    client = officer_client(call.officer)
    data = form_data(client.get(url("officer_amend", call)).context["form"])
    data.update(reason="Waarom niet?", title="Ander")

    response = client.post(url("officer_amend", call), data)

    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not Amendment.objects.exists()


# --- Documents --------------------------------------------------------------------------------


def upload(client, call, name: str, content: bytes, title: str = "Programma van eisen"):
    return client.post(
        url("officer_documents", call),
        {"title": title, "file": SimpleUploadedFile(name, content, "application/pdf")},
    )


def test_a_pdf_is_uploaded_and_deleted_while_draft():
    call = draft_call()
    client = officer_client(call.officer)

    assert upload(client, call, "eisen.pdf", PDF).status_code == 302
    document = call.documents.get()
    assert document.title == "Programma van eisen"
    assert document.size == len(PDF)
    assert "Programma van eisen" in client.get(url("officer_documents", call)).content.decode()

    client.post(url("officer_document_delete", call, document_pk=document.pk))
    assert not call.documents.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"PK\x03\x04 a zip file in disguise", "not really a .pdf"), (b"", "empty")],
    ids=["renamed-zip", "empty"],
)
def test_bad_uploads_are_refused_with_the_reason(content, message):
    call = draft_call()
    client = officer_client(call.officer, english=True)

    response = upload(client, call, "eisen.pdf", content, title="Bijlage A")

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["file"])
    assert 'value="Bijlage A"' in response.content.decode()
    assert not CallDocument.objects.exists()


def test_documents_of_a_published_call_cannot_be_deleted():
    call = published_call()
    document = call_document_add(
        call=call,
        actor=call.officer,
        title="Reglement",
        file=SimpleUploadedFile("r.pdf", PDF, content_type="application/pdf"),
    )
    client = officer_client(call.officer, english=True)

    response = client.post(
        url("officer_document_delete", call, document_pk=document.pk), follow=True
    )

    assert any("Only a draft can be edited" in m for m in messages_of(response))
    assert call.documents.filter(pk=document.pk).exists()


# --- The manage page --------------------------------------------------------------------------


def test_manage_page_offers_what_the_status_allows():
    draft = draft_call()
    client = officer_client(draft.officer)

    page = client.get(url("officer_manage", draft)).content.decode()
    assert url("officer_edit", draft) in page
    assert url("officer_publish", draft) in page
    assert url("officer_cancel", draft) in page
    assert url("officer_amend", draft) not in page
    assert draft.get_absolute_url() in page  # the preview

    open_call = published_call(officer=draft.officer)
    page = client.get(url("officer_manage", open_call)).content.decode()
    assert url("officer_edit", open_call) not in page
    assert url("officer_publish", open_call) not in page
    assert url("officer_amend", open_call) in page
    assert url("officer_cancel", open_call) in page
    # Before the deadline, there is no button to close it.
    assert url("officer_close", open_call) not in page


def test_a_formset_cannot_reach_the_phase_of_another_call():
    call = draft_call()
    foreign = draft_call()
    foreign_phase = foreign.phases.first()
    client = officer_client(call.officer)
    address = url("officer_phases", call)
    data = formset_data(page_formsets(client, address)[0])
    data.update({"phases-0-id": str(foreign_phase.pk), "phases-0-name": "Gekaapt"})

    client.post(address, data)

    # Django's formset only looks up rows among this call's phases: the foreign id is ignored.
    foreign_phase.refresh_from_db()
    assert foreign_phase.name != "Gekaapt"
    assert not Phase.objects.filter(name="Gekaapt").exists()
    assert call.phases.count() == 2
