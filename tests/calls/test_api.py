"""The calls REST API: the public list and detail, officers' drafting and lifecycle actions."""

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
import yaml
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from calls.models import Call, ClarificationQuestion, Criterion, Prize, Question
from calls.services.clarifications import (
    clarification_answer,
    clarification_ask,
    clarification_publish,
)
from calls.services.lifecycle import (
    call_amend,
    call_cancel,
    call_close,
    call_complete,
    call_document_add,
    call_mark_awarded,
    call_start_assessment,
)
from portal.models import Role
from tests.factories import (
    AuthorityFactory,
    CompanyFactory,
    MembershipFactory,
    api_key_for,
    person_with_role,
)

from .factories import draft_call, mission, officer_of, published_call

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "applicant", "ministry_staff", "other_officer", "owner")


@pytest.fixture
def api():
    return APIClient()


def client_for(user) -> APIClient:
    """An API client with the person's token (None: anonymous)."""
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Token {api_key_for(user)}")
    return client


def person(role: str, call: Call | None = None):
    return {
        "anonymous": lambda: None,
        "applicant": lambda: person_with_role(Role.APPLICANT),
        "ministry_staff": lambda: person_with_role(Role.MINISTRY_STAFF),
        "other_officer": lambda: officer_of(),
        "owner": lambda: call.officer,
    }[role]()


def results(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["title"] for item in response.json()["results"]]


def in_days(days: int) -> datetime:
    return timezone.now() + timedelta(days=days)


def detail_url(call: Call) -> str:
    return reverse("api-call-detail", args=[call.pk])


# --- The public list ---------------------------------------------------------------------------


def test_list_shows_public_calls_compactly_and_never_drafts(api):
    call = published_call(title="Circulaire viaducten", missions=[mission("energy")])
    draft_call(title="Geheim concept")
    cancelled = published_call(title="Ingetrokken oproep")
    call_cancel(call=cancelled, actor=cancelled.officer, reason="Budget ingetrokken")

    response = api.get(reverse("api-call-list"))

    assert sorted(results(response)) == ["Circulaire viaducten", "Ingetrokken oproep"]
    item = next(i for i in response.json()["results"] if i["id"] == call.pk)
    assert item["reference"] == call.reference
    assert item["url"] == f"http://testserver{call.get_absolute_url()}"
    assert item["authority"] == {"id": call.authority_id, "name": call.authority.name}
    assert item["instrument"] == "sbir"
    assert item["status"] == "published"
    assert item["missions"] == ["energy"]
    assert item["total_budget"] == "3000000.00"
    assert datetime.fromisoformat(item["deadline"]) == call.deadline
    assert datetime.fromisoformat(item["deadline"]).utcoffset() is not None
    assert datetime.fromisoformat(item["publication_date"]) == call.publication_date
    assert "challenge" not in item


@pytest.fixture
def two_calls():
    """An open SBIR call about viaducts and a cancelled hackathon about care, 30 days later."""
    viaducts = published_call(
        title="Circulaire viaducten",
        challenge="Bruggen die opnieuw gebruikt kunnen worden.",
        missions=[mission("energy")],
        deadline=in_days(60),
    )
    care = published_call(
        instrument=Call.Instrument.HACKATHON,
        title="Slimme thuishulp",
        challenge="Robots die ouderen thuis helpen.",
        missions=[mission("health-care")],
        deadline=in_days(90),
    )
    call_cancel(call=care, actor=care.officer, reason="Geen budget meer")
    return viaducts, care


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"instrument": "hackathon"}, ["Slimme thuishulp"]),
        ({"instrument": "sbir"}, ["Circulaire viaducten"]),
        ({"status": "cancelled"}, ["Slimme thuishulp"]),
        ({"status": "published"}, ["Circulaire viaducten"]),
        ({"mission": "energy"}, ["Circulaire viaducten"]),
        ({"mission": "health-care"}, ["Slimme thuishulp"]),
        ({"mission": "security"}, []),
        ({"deadline_after": "+75"}, ["Slimme thuishulp"]),
        ({"deadline_before": "+75"}, ["Circulaire viaducten"]),
        ({"deadline_after": "+30", "deadline_before": "+120"}, None),
        ({"q": "viaducten"}, ["Circulaire viaducten"]),  # a word of the title
        ({"q": "robots"}, ["Slimme thuishulp"]),  # a word of the challenge
        ({"q": "ruimteschip"}, []),
        ({"sort": "-deadline"}, ["Slimme thuishulp", "Circulaire viaducten"]),
        ({"sort": "title"}, ["Circulaire viaducten", "Slimme thuishulp"]),
    ],
)
def test_list_filters_mirror_the_public_page(api, two_calls, params, expected):
    for name in ("deadline_after", "deadline_before"):
        if name in params:
            params[name] = in_days(int(params[name])).date().isoformat()

    titles = results(api.get(reverse("api-call-list"), params))

    if expected is None:
        assert sorted(titles) == ["Circulaire viaducten", "Slimme thuishulp"]
    else:
        assert titles == expected


def test_list_filters_by_authority(api, two_calls):
    viaducts, _care = two_calls
    titles = results(api.get(reverse("api-call-list"), {"authority": viaducts.authority_id}))
    assert titles == ["Circulaire viaducten"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"instrument": "spaceship"}, "instrument"),
        ({"status": "draft"}, "status"),  # drafts are never public
        ({"status": "open"}, "status"),
        ({"authority": "abc"}, "authority"),
        ({"authority": "²"}, "authority"),
        ({"deadline_after": "notadate"}, "deadline_after"),
        ({"deadline_before": "2026-13-45"}, "deadline_before"),
        ({"sort": "budget"}, "sort"),
    ],
)
def test_bad_filter_values_get_a_400_naming_the_field(api, params, field):
    """Values the schema refuses; an unknown mission or authority (schema-valid) gives an
    empty list instead (tests/portal/test_bad_input.py)."""
    published_call()

    response = api.get(reverse("api-call-list"), params)

    assert response.status_code == 400
    assert field in response.json()


def _bulk_calls(template: Call, count: int, **fields) -> None:
    """Many calls like the template, cheaply (bulk_create skips the services on purpose)."""
    calls = Call.objects.bulk_create(
        Call(
            authority_id=template.authority_id,
            instrument=template.instrument,
            title=f"Oproep {i}",
            challenge=template.challenge,
            contact_name=template.contact_name,
            contact_email=template.contact_email,
            total_budget=template.total_budget,
            deadline=template.deadline + timedelta(minutes=i),
            questions_deadline=template.questions_deadline,
            publication_date=template.publication_date,
            status=fields.get("status", Call.Status.PUBLISHED),
            created_by_id=template.created_by_id,
        )
        for i in range(count)
    )
    if connection.features.can_return_rows_from_bulk_insert:
        ids = [c.pk for c in calls]
    else:  # pragma: no cover - both SQLite and PostgreSQL return the ids
        ids = list(Call.objects.exclude(pk=template.pk).values_list("pk", flat=True))
    through = Call.missions.through
    through.objects.bulk_create(
        through(call_id=pk, mission_id=m.pk)
        for pk in ids
        for m in (mission("energy"), mission("security"))
    )


def _queries(client: APIClient, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def test_public_list_costs_the_same_queries_for_5_or_500_calls(api, django_assert_num_queries):
    template = published_call()
    _bulk_calls(template, 4)
    url = reverse("api-call-list")
    few = _queries(api, url)
    _bulk_calls(template, 495)

    with django_assert_num_queries(few):  # count, page with authorities, missions
        response = api.get(url)

    body = response.json()
    assert body["count"] == 500
    assert len(body["results"]) == 25
    assert all(item["missions"] for item in body["results"][1:])
    assert few <= 3


def test_own_list_costs_the_same_queries_for_5_or_500_calls(django_assert_num_queries):
    template = draft_call()
    client = client_for(template.officer)
    _bulk_calls(template, 4, status=Call.Status.DRAFT)
    url = reverse("api-call-mine")
    few = _queries(client, url)
    _bulk_calls(template, 495, status=Call.Status.DRAFT)

    with django_assert_num_queries(few):
        response = client.get(url)

    assert response.json()["count"] == 500


def test_own_list_counts_the_open_questions_of_the_page_it_shows(django_assert_num_queries):
    """The open questions are counted for the page's calls only (a later page is not slower
    for counting every call before it), and still right on that page."""
    template = draft_call()
    client = client_for(template.officer)
    _bulk_calls(template, 30, status=Call.Status.DRAFT)
    calls = list(Call.objects.filter(authority_id=template.authority_id).order_by("deadline", "pk"))
    last = calls[-1]
    for _ in range(2):
        ClarificationQuestion.objects.create(
            call=last, asked_by=template.officer, organisation=template.authority, text="Vraag?"
        )
    url = reverse("api-call-mine")
    first = _queries(client, url)

    with django_assert_num_queries(first):
        response = client.get(url, {"page": 2})

    rows = {item["id"]: item["open_questions"] for item in response.json()["results"]}
    assert rows[last.pk] == 2
    assert set(rows.values()) == {0, 2}


# --- An officer's own list ---------------------------------------------------------------------


def test_own_list_holds_the_authoritys_calls_with_drafts_and_open_questions():
    call = published_call(title="Open oproep")
    draft_call(officer=call.officer, title="Concept")
    published_call(title="Van een ander")
    applicant = person_with_role(Role.APPLICANT)
    clarification_ask(call=call, actor=applicant, text="Mag een consortium inschrijven?")
    client = client_for(call.officer)

    response = client.get(reverse("api-call-mine"))

    assert sorted(results(response)) == ["Concept", "Open oproep"]
    open_questions = {i["title"]: i["open_questions"] for i in response.json()["results"]}
    assert open_questions == {"Open oproep": 1, "Concept": 0}
    assert results(client.get(reverse("api-call-mine"), {"status": "draft"})) == ["Concept"]


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", 401),
        ("applicant", 403),
        ("ministry_staff", 403),
        ("other_officer", 200),
        ("owner", 200),
    ],
)
def test_own_list_is_for_officers_only(role, expected):
    call = draft_call(title="Concept")

    response = client_for(person(role, call)).get(reverse("api-call-mine"))

    assert response.status_code == expected
    if expected == 200:
        assert results(response) == (["Concept"] if role == "owner" else [])


# --- The detail --------------------------------------------------------------------------------


def test_detail_shows_everything_the_page_shows():
    call = published_call(
        title="Circulaire viaducten",
        title_en="Circular viaducts",
        missions=[mission("energy"), mission("key-technologies")],
    )
    officer = call.officer
    feasibility = call.phases.get(order=1)
    Question.objects.create(
        call=call, phase=feasibility, order=1, text="Kleur?", kind="choice", choices="rood\nblauw"
    )
    document = call_document_add(
        call=call,
        actor=officer,
        title="Bestek",
        file=SimpleUploadedFile("bestek.pdf", b"%PDF-1.4\nbody", content_type="application/pdf"),
    )
    call_amend(
        call=call,
        actor=officer,
        reason="Tikfout",
        changes={"contact_name": "Jan Jansen"},
    )
    applicant = person_with_role(Role.APPLICANT)
    question = clarification_ask(call=call, actor=applicant, text="Bouw B.V. vraagt: mag hout?")
    clarification_answer(question=question, actor=officer, answer="Ja.", public_text="Mag hout?")
    clarification_publish(call=call, actor=officer)
    clarification_ask(call=call, actor=applicant, text="Nog niet beantwoord")

    response = APIClient().get(detail_url(call))

    assert response.status_code == 200
    body = response.json()
    assert body["title_en"] == "Circular viaducts"
    assert body["challenge"] == call.challenge
    assert body["contact_name"] == "Jan Jansen"
    assert body["missions"] == ["energy", "key-technologies"]
    assert body["tie_break"] == "heaviest_criterion"
    assert body["reserves_right_to_stop"] is False
    assert datetime.fromisoformat(body["questions_deadline"]) == call.questions_deadline

    phases = body["phases"]
    assert [p["order"] for p in phases] == [1, 2]
    assert [p["kind"] for p in phases] == ["feasibility", "prototype"]
    assert phases[0]["budget"] == "1500000.00"
    assert phases[0]["max_per_award"] == "375000.00"
    assert [c["weight"] for c in phases[0]["criteria"]] == [40, 40, 20]
    assert [c["weight"] for c in phases[1]["criteria"]] == [30, 30, 40]
    assert phases[0]["criteria"][0]["scale_min"] == 1
    assert phases[0]["criteria"][0]["scale_max"] == 10
    assert phases[0]["criteria"][0]["description"]
    assert len(phases[0]["required_documents"]) == 2
    assert phases[0]["prizes"] == []

    assert body["questions"] == [
        {
            "id": body["questions"][0]["id"],
            "text": "Kleur?",
            "help_text": "",
            "kind": "choice",
            "choices": ["rood", "blauw"],
            "required": True,
            "phase": feasibility.pk,
        }
    ]
    assert body["documents"] == [
        {
            "title": "Bestek",
            "url": "http://testserver"
            + reverse("calls:document", kwargs={"pk": call.pk, "document_pk": document.pk}),
            "size": document.size,
        }
    ]
    assert body["amendments"][0]["number"] == 1
    assert body["amendments"][0]["reason"] == "Tikfout"
    assert body["amendments"][0]["changes"]["contact_name"][1] == "Jan Jansen"
    clarifications = body["clarifications"]
    assert [(c["release"], c["question"], c["answer"]) for c in clarifications] == [
        (1, "Mag hout?", "Ja.")
    ]
    assert "Bouw B.V." not in response.content.decode()


def test_detail_of_a_contest_lists_its_prizes():
    call = published_call(instrument=Call.Instrument.PRIZE_COMPETITION)
    phase = call.phases.get()
    Prize.objects.create(phase=phase, rank=2, amount=Decimal("1000.00"), description="Tweede")

    phases = APIClient().get(detail_url(call)).json()["phases"]

    assert [(p["rank"], p["amount"]) for p in phases[0]["prizes"]] == [
        (1, "1500000.00"),
        (2, "1000.00"),
    ]
    assert phases[0]["prizes"][1]["description"] == "Tweede"


def test_detail_queries_do_not_grow_with_phases_criteria_and_documents(
    django_assert_num_queries,
):
    small = published_call()
    big = published_call(instrument=Call.Instrument.INNOVATION_PARTNERSHIP)
    for phase in big.phases.all():
        Criterion.objects.create(phase=phase, order=9, name="Extra", weight=1)
    for i in range(3):
        Question.objects.create(call=big, order=i, text=f"Vraag {i}", kind="text")
        call_document_add(
            call=big,
            actor=big.officer,
            title=f"Bijlage {i}",
            file=SimpleUploadedFile(f"b{i}.pdf", b"%PDF-1.4\n", content_type="application/pdf"),
        )
    api = APIClient()
    few = _queries(api, detail_url(small))

    with django_assert_num_queries(few):
        api.get(detail_url(big))


def test_a_missing_call_is_404(api):
    assert api.get(reverse("api-call-detail", args=[987654])).status_code == 404
    assert api.get("/api/v1/calls/abc/").status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_detail_of_a_published_call_is_public(role):
    call = published_call()
    assert client_for(person(role, call)).get(detail_url(call)).status_code == 200


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", 404),
        ("applicant", 404),
        ("ministry_staff", 404),
        ("other_officer", 404),
        ("owner", 200),
    ],
)
def test_a_draft_exists_only_for_its_own_officers(role, expected):
    call = draft_call()
    response = client_for(person(role, call)).get(detail_url(call))
    assert response.status_code == expected
    if role != "owner":
        assert call.title not in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_the_public_list_is_public(role):
    call = published_call()
    draft_call(officer=call.officer, title="Concept")
    titles = results(client_for(person(role, call)).get(reverse("api-call-list")))
    assert titles == [call.title]


# --- Creating a draft --------------------------------------------------------------------------


def call_payload(**overrides) -> dict:
    return {
        "instrument": "sbir",
        "title": "Stille wegdekken",
        "challenge": "Asfalt dat minder geluid maakt.",
        "missions": ["energy", "security"],
        "contact_name": "Piet Pieters",
        "contact_email": "piet@gemeente.example",
        "total_budget": "2500000.00",
        "deadline": in_days(60).isoformat(),
        "questions_deadline": in_days(40).isoformat(),
        **overrides,
    }


def test_an_officer_creates_a_draft_with_the_instruments_structure():
    officer = officer_of()
    authority = officer.memberships.get().organisation

    response = client_for(officer).post(reverse("api-call-list"), call_payload(), format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    call = Call.objects.get(pk=body["id"])
    assert call.status == Call.Status.DRAFT
    assert call.authority == authority
    assert call.created_by == officer
    assert call.total_budget == Decimal("2500000.00")
    assert sorted(call.missions.values_list("code", flat=True)) == ["energy", "security"]
    assert body["status"] == "draft"
    assert body["authority"]["id"] == authority.pk
    assert [p["kind"] for p in body["phases"]] == ["feasibility", "prototype"]
    # The audit trail knows who did it, although the token is only checked after its middleware.
    assert LogEntry.objects.get_for_object(call).get(action=LogEntry.Action.CREATE).actor == officer


def test_an_innovation_partnership_reserves_the_right_to_stop():
    officer = officer_of()
    payload = call_payload(
        instrument="innovation_partnership",
        participation_deadline=in_days(35).isoformat(),
        max_partners=3,
    )

    response = client_for(officer).post(reverse("api-call-list"), payload, format="json")

    assert response.status_code == 201, response.content
    assert response.json()["reserves_right_to_stop"] is True
    assert response.json()["max_partners"] == 3


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"total_budget": "-5.00"}, "total_budget"),
        ({"total_budget": "0"}, "total_budget"),
        ({"total_budget": "veel"}, "total_budget"),
        ({"total_budget": "12.345"}, "total_budget"),
        ({"questions_deadline": "+70"}, "questions_deadline"),
        ({"deadline": "volgende week"}, "deadline"),
        ({"deadline": "2026-02-30T12:00"}, "deadline"),
        ({"deadline": "-1"}, "deadline"),
        ({"missions": ["energy", "moon-landing"]}, "missions"),
        ({"instrument": "spaceship"}, "instrument"),
        ({"instrument": None}, "instrument"),
        ({"title": ""}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"contact_email": "geen-adres"}, "contact_email"),
        ({"tie_break": "coin_toss"}, "tie_break"),
        ({"status": "published"}, "status"),  # only the services set a status
        ({"instrument": "innovation_partnership"}, "participation_deadline"),
        ({"authority": 999999}, "authority"),
    ],
)
def test_bad_input_for_a_new_call_is_a_400_naming_the_field(overrides, field):
    officer = officer_of()
    for name in ("deadline", "questions_deadline"):
        if isinstance(overrides.get(name), str) and overrides[name][0] in "+-":
            overrides[name] = in_days(int(overrides[name])).isoformat()

    response = client_for(officer).post(
        reverse("api-call-list"), call_payload(**overrides), format="json"
    )

    assert response.status_code == 400
    assert field in response.json()
    assert not Call.objects.exists()


def test_a_field_that_cannot_be_set_is_named_beside_the_other_errors():
    response = client_for(officer_of()).post(
        reverse("api-call-list"), {"status": "published", "reference": "X"}, format="json"
    )

    assert response.status_code == 400
    assert {"status", "reference", "title", "deadline", "instrument"} <= set(response.json())


def test_an_officer_of_several_authorities_must_choose_one_of_theirs():
    officer = officer_of()
    second = AuthorityFactory()
    MembershipFactory(user=officer, organisation=second, role=Role.PROCUREMENT_OFFICER)
    client = client_for(officer)
    url = reverse("api-call-list")

    response = client.post(url, call_payload(), format="json")
    assert response.status_code == 400
    assert "authority" in response.json()

    response = client.post(url, call_payload(authority=AuthorityFactory().pk), format="json")
    assert response.status_code == 403

    response = client.post(url, call_payload(authority=CompanyFactory().pk), format="json")
    assert response.status_code == 400
    assert "authority" in response.json()
    assert not Call.objects.exists()

    response = client.post(url, call_payload(authority=second.pk), format="json")
    assert response.status_code == 201
    assert Call.objects.get().authority == second


@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", 401), ("applicant", 403), ("ministry_staff", 403), ("owner", 201)],
)
def test_only_officers_create_calls(role, expected):
    client = client_for(officer_of() if role == "owner" else person(role))

    response = client.post(reverse("api-call-list"), call_payload(), format="json")

    assert response.status_code == expected
    assert Call.objects.count() == (1 if expected == 201 else 0)


def test_a_session_needs_the_second_factor(client, verified_client):
    officer = officer_of()
    client.force_login(officer)
    url = reverse("api-call-list")
    payload = call_payload()

    refused = client.post(url, payload, content_type="application/json")
    assert refused.status_code == 403
    assert not Call.objects.exists()

    accepted = verified_client(officer).post(url, payload, content_type="application/json")
    assert accepted.status_code == 201


@pytest.mark.parametrize(
    ("method", "name", "needs_call"),
    [
        ("post", "api-call-list", False),
        ("patch", "api-call-detail", True),
        ("post", "api-call-cancel", True),
    ],
)
def test_a_malformed_json_body_is_a_400(method, name, needs_call):
    call = draft_call()
    url = reverse(name, args=[call.pk]) if needs_call else reverse(name)

    response = getattr(client_for(call.officer), method)(
        url, data='{"title": "half', content_type="application/json"
    )

    assert response.status_code == 400
    assert "detail" in response.json()
    call.refresh_from_db()
    assert call.status == Call.Status.DRAFT
    assert Call.objects.count() == 1


# --- Editing a draft ---------------------------------------------------------------------------


def test_the_owner_edits_a_drafts_main_fields():
    call = draft_call(missions=[mission("energy")])

    response = client_for(call.officer).patch(
        detail_url(call),
        {"title": "Nieuwe titel", "missions": ["health-care"], "blind_assessment": True},
        format="json",
    )

    assert response.status_code == 200, response.content
    assert response.json()["title"] == "Nieuwe titel"
    call.refresh_from_db()
    assert call.title == "Nieuwe titel"
    assert call.blind_assessment is True
    assert list(call.missions.values_list("code", flat=True)) == ["health-care"]
    assert call.status == Call.Status.DRAFT


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"questions_deadline": "+90"}, "questions_deadline"),  # after the existing deadline
        ({"deadline": "+10"}, "questions_deadline"),  # before the existing questions deadline
        ({"total_budget": "-1"}, "total_budget"),
        ({"instrument": "hackathon"}, "instrument"),  # fixed at creation
        ({"authority": 1}, "authority"),
        ({"status": "published"}, "status"),
        ({"tender_validity": 13}, "tender_validity"),  # more than a year (in months)
        ({"tender_validity": 0}, "tender_validity"),
        ({"tender_validity_unit": "YEAR"}, "tender_validity_unit"),
        ({"place_of_performance_nuts": "NL310"}, "place_of_performance_nuts"),  # NUTS 2021
    ],
)
def test_bad_edits_are_a_400_and_change_nothing(data, field):
    call = draft_call()
    before = Call.objects.values().get(pk=call.pk)
    for name in ("deadline", "questions_deadline"):
        if name in data:
            data[name] = in_days(int(data[name])).isoformat()

    response = client_for(call.officer).patch(detail_url(call), data, format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert Call.objects.values().get(pk=call.pk) == before


def test_a_call_is_never_replaced_or_deleted_through_the_api():
    call = draft_call()
    client = client_for(call.officer)
    assert client.put(detail_url(call), call_payload(), format="json").status_code == 405
    assert client.delete(detail_url(call)).status_code == 405
    assert Call.objects.filter(pk=call.pk).exists()


def test_a_published_call_is_frozen_409():
    call = published_call(title="Gepubliceerd")

    response = client_for(call.officer).patch(detail_url(call), {"title": "Stiekem"}, format="json")

    assert response.status_code == 409
    assert response.json()["code"] == "frozen"
    assert response.json()["detail"]
    call.refresh_from_db()
    assert call.title == "Gepubliceerd"


# --- The lifecycle -----------------------------------------------------------------------------


def test_the_owner_publishes_a_complete_draft():
    call = draft_call()

    response = client_for(call.officer).post(reverse("api-call-publish", args=[call.pk]))

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "published"
    call.refresh_from_db()
    assert call.status == Call.Status.PUBLISHED
    assert call.publication_date is not None


def _over_budget(call):
    call.phases.filter(order=1).update(budget=call.total_budget)


def _weights(call):
    Criterion.objects.filter(phase__call=call, order=1).update(weight=10)


def _phase_deadline(call):
    call.phases.filter(order=1).update(deadline=call.deadline - timedelta(days=1))


def _no_criteria(call):
    Criterion.objects.filter(phase__call=call, phase__order=2).delete()


def _not_reserved(call):
    Call.objects.filter(pk=call.pk).update(reserves_right_to_stop=False)


def _no_prizes(call):
    Prize.objects.filter(phase__call=call).delete()


def _prizes_over_budget(call):
    Prize.objects.filter(phase__call=call).update(amount=call.total_budget + 1)


IP = Call.Instrument.INNOVATION_PARTNERSHIP


@pytest.mark.parametrize(
    ("kwargs", "breaks", "travel_days"),
    [
        (lambda: {"complete": False}, None, 0),  # no phase budgets
        (dict, _over_budget, 0),
        (dict, _weights, 0),
        (dict, _phase_deadline, 0),
        (dict, _no_criteria, 0),
        (dict, None, 61),  # the deadline passed while it was a draft
        (lambda: {"questions_deadline": in_days(1)}, None, 2),  # questions deadline passed
        (lambda: {"instrument": IP}, _not_reserved, 0),
        (lambda: {"instrument": IP, "participation_deadline": in_days(10)}, None, 0),
        (lambda: {"instrument": IP, "participation_deadline": None}, None, 0),
        (lambda: {"instrument": Call.Instrument.PRIZE_COMPETITION}, _no_prizes, 0),
        (lambda: {"instrument": Call.Instrument.HACKATHON}, _prizes_over_budget, 0),
    ],
)
def test_publish_refuses_each_incomplete_draft_with_the_reason(kwargs, breaks, travel_days):
    call = draft_call(**kwargs())
    if breaks:
        breaks(call)
    client = client_for(call.officer)

    with time_machine.travel(timezone.now() + timedelta(days=travel_days)):
        response = client.post(reverse("api-call-publish", args=[call.pk]))

    assert response.status_code == 400
    assert response.json()["code"] == "incomplete"
    assert response.json()["detail"]
    call.refresh_from_db()
    assert call.status == Call.Status.DRAFT
    assert call.publication_date is None


def test_publishing_twice_is_an_illegal_transition_409():
    call = draft_call()
    client = client_for(call.officer)
    url = reverse("api-call-publish", args=[call.pk])
    assert client.post(url).status_code == 200

    response = client.post(url)

    assert response.status_code == 409
    assert response.json()["code"] == "illegal_transition"
    assert Call.objects.get(pk=call.pk).status == Call.Status.PUBLISHED


@pytest.mark.parametrize("name", ["api-call-close", "api-call-complete"])
def test_a_draft_cannot_be_closed_or_completed_409(name):
    call = draft_call()
    response = client_for(call.officer).post(reverse(name, args=[call.pk]))
    assert response.status_code == 409
    assert Call.objects.get(pk=call.pk).status == Call.Status.DRAFT


def test_closing_before_the_deadline_is_refused_then_allowed_after_it():
    call = published_call()
    client = client_for(call.officer)
    url = reverse("api-call-close", args=[call.pk])

    early = client.post(url)
    # As the phase's start-assessment before its deadline: the call's state refuses it.
    assert early.status_code == 409
    assert early.json()["code"] == "open"
    assert Call.objects.get(pk=call.pk).status == Call.Status.PUBLISHED

    with time_machine.travel(call.deadline + timedelta(minutes=1)):
        response = client.post(url)

    assert response.status_code == 200
    assert response.json()["status"] == "closed"


def test_the_api_has_no_calls_level_start_of_the_assessment():
    """It moved the call without its proposals; proposals start per phase."""
    call = published_call()
    with time_machine.travel(call.deadline + timedelta(minutes=1)):
        call_close(call=call, actor=call.officer)
    response = client_for(call.officer).post(f"/api/v1/calls/{call.pk}/start-assessment/")
    assert response.status_code == 404
    assert Call.objects.get(pk=call.pk).status == Call.Status.CLOSED


@pytest.mark.parametrize("body", [{}, {"reason": ""}, {"reason": "   "}, {"reden": "x"}])
def test_cancel_needs_a_reason(body):
    call = published_call()

    response = client_for(call.officer).post(
        reverse("api-call-cancel", args=[call.pk]), body, format="json"
    )

    assert response.status_code == 400
    assert "reason" in response.json()
    assert Call.objects.get(pk=call.pk).status == Call.Status.PUBLISHED


def test_the_owner_cancels_with_a_reason():
    call = published_call()

    response = client_for(call.officer).post(
        reverse("api-call-cancel", args=[call.pk]), {"reason": "Budget ingetrokken"}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    assert response.json()["cancellation_reason"] == "Budget ingetrokken"


# --- Who may change what: every write endpoint, every role, both kinds of call --------------

WRITES = {
    "patch": ("patch", "api-call-detail", {"title": "Overgenomen"}),
    "publish": ("post", "api-call-publish", None),
    "close": ("post", "api-call-close", None),
    "cancel": ("post", "api-call-cancel", {"reason": "Zomaar"}),
    "complete": ("post", "api-call-complete", None),
}


def _write(client: APIClient, endpoint: str, call: Call):
    method, name, body = WRITES[endpoint]
    return getattr(client, method)(reverse(name, args=[call.pk]), body, format="json")


@pytest.mark.parametrize("endpoint", WRITES)
@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", 401), ("applicant", 404), ("ministry_staff", 404), ("other_officer", 404)],
)
def test_outsiders_cannot_find_someone_elses_draft(endpoint, role, expected):
    call = draft_call(title="Concept")
    before = Call.objects.values().get(pk=call.pk)

    response = _write(client_for(person(role, call)), endpoint, call)

    assert response.status_code == expected
    assert "Concept" not in response.content.decode()
    assert Call.objects.values().get(pk=call.pk) == before


@pytest.mark.parametrize("endpoint", WRITES)
@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", 401), ("applicant", 403), ("ministry_staff", 403), ("other_officer", 403)],
)
def test_outsiders_may_not_change_someone_elses_published_call(endpoint, role, expected):
    call = published_call()
    before = Call.objects.values().get(pk=call.pk)

    with time_machine.travel(call.deadline + timedelta(minutes=1)):  # so that close could work
        response = _write(client_for(person(role, call)), endpoint, call)

    assert response.status_code == expected
    assert Call.objects.values().get(pk=call.pk) == before


@pytest.mark.parametrize(
    ("endpoint", "status"),
    [
        ("patch", Call.Status.DRAFT),
        ("publish", Call.Status.PUBLISHED),
        ("cancel", Call.Status.CANCELLED),
    ],
)
def test_the_owner_may_change_a_draft(endpoint, status):
    call = draft_call()
    response = _write(client_for(call.officer), endpoint, call)
    assert response.status_code == 200, response.content
    assert Call.objects.get(pk=call.pk).status == status


@pytest.mark.parametrize(
    ("endpoint", "status"),
    [("close", Call.Status.CLOSED), ("cancel", Call.Status.CANCELLED)],
)
def test_the_owner_may_change_a_published_call(endpoint, status):
    call = published_call()
    with time_machine.travel(call.deadline + timedelta(minutes=1)):
        response = _write(client_for(call.officer), endpoint, call)
    assert response.status_code == 200, response.content
    assert Call.objects.get(pk=call.pk).status == status


def awarded(call: Call) -> Call:
    """Through the services: closed at the deadline, assessed, awarded."""
    with time_machine.travel(call.deadline + timedelta(minutes=1)):
        call_close(call=call, actor=call.officer)
    call_start_assessment(call=call, actor=call.officer)
    return call_mark_awarded(call=call, actor=call.officer)


def test_the_owner_completes_an_awarded_call():
    call = published_call()
    awarded(call)
    response = client_for(call.officer).post(reverse("api-call-complete", args=[call.pk]))
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "completed"
    assert Call.objects.get(pk=call.pk).status == Call.Status.COMPLETED


@pytest.mark.parametrize("state", ["draft", "published", "closed", "under_assessment", "completed"])
def test_only_an_awarded_call_can_be_completed_409(state):
    call = draft_call() if state == "draft" else published_call()
    if state != "draft" and state != "published":
        with time_machine.travel(call.deadline + timedelta(minutes=1)):
            call_close(call=call, actor=call.officer)
    if state in ("under_assessment", "completed"):
        call_start_assessment(call=call, actor=call.officer)
    if state == "completed":
        call_mark_awarded(call=call, actor=call.officer)
        call_complete(call=call, actor=call.officer)
    response = client_for(call.officer).post(reverse("api-call-complete", args=[call.pk]))
    assert response.status_code == 409
    assert response.json()["code"] == "illegal_transition"
    assert Call.objects.get(pk=call.pk).status == state


@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", 401), ("applicant", 403), ("ministry_staff", 403), ("other_officer", 403)],
)
def test_outsiders_may_not_complete_an_awarded_call(role, expected):
    call = published_call()
    awarded(call)
    response = client_for(person(role, call)).post(reverse("api-call-complete", args=[call.pk]))
    assert response.status_code == expected
    assert Call.objects.get(pk=call.pk).status == Call.Status.AWARDED


# --- The OpenAPI schema ------------------------------------------------------------------------


def test_the_schema_is_valid_without_warnings_and_documents_the_calls(tmp_path):
    target = tmp_path / "schema.yml"

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))

    schema = yaml.safe_load(target.read_text())
    paths = schema["paths"]
    for path in (
        "/api/v1/calls/",
        "/api/v1/calls/mine/",
        "/api/v1/calls/{id}/",
        "/api/v1/calls/{id}/publish/",
        "/api/v1/calls/{id}/close/",
        "/api/v1/calls/{id}/cancel/",
        "/api/v1/calls/{id}/complete/",
    ):
        assert path in paths
    assert {"get", "post"} <= set(paths["/api/v1/calls/"])
    assert {"get", "patch"} == set(paths["/api/v1/calls/{id}/"]) - {"parameters"}
    assert paths["/api/v1/calls/{id}/publish/"]["post"]["tags"] == ["calls"]
    cancel_body = paths["/api/v1/calls/{id}/cancel/"]["post"]["requestBody"]
    assert cancel_body["content"]["application/json"]["schema"]["$ref"].endswith("CancelRequest")
    assert "409" in paths["/api/v1/calls/{id}/publish/"]["post"]["responses"]
    assert {"get", "post"} <= set(paths["/api/v1/mandates/"])
    assert {"200", "403", "404"} <= set(paths["/api/v1/mandates/{id}/revoke/"]["post"]["responses"])


def test_the_served_schema_lists_the_calls_endpoints(client):
    response = client.get(reverse("api-schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    assert "/api/v1/calls/{id}/publish/" in response.json()["paths"]


def test_public_list_fetches_only_the_listed_fields_and_formats_them_as_drf_does(api):
    """The lean list: no long texts from the database, the same JSON as DRF's own fields."""
    from calls.api.serializers import CallSummarySerializer
    from calls.selectors.calls import calls_public

    template = published_call(missions=[mission("energy")])
    _bulk_calls(template, 4)
    with CaptureQueriesContext(connection) as context:
        body = api.get(reverse("api-call-list")).json()
    page_query = next(q["sql"] for q in context.captured_queries if "LIMIT" in q["sql"])
    assert '"challenge"' not in page_query
    assert '"contact_email"' not in page_query
    count_query = next(q["sql"] for q in context.captured_queries if "COUNT(" in q["sql"])
    assert "JOIN" not in count_query  # the authority's name is read for the page only

    request = api.get(reverse("api-call-list")).wsgi_request
    calls = calls_public().order_by("deadline", "pk")[:25]
    generic = [
        serializers_to_representation(CallSummarySerializer(context={"request": request}), call)
        for call in calls
    ]
    assert body["results"] == generic


def serializers_to_representation(serializer, call):
    """DRF's generic field-by-field representation, with the missions and URL it reverses."""
    from rest_framework import serializers

    return serializers.ModelSerializer.to_representation(serializer, call)


def test_own_list_writes_what_drfs_own_fields_write_with_the_open_questions():
    """An officer's lean list (values with the count of open questions) gives the JSON of DRF's
    own fields, drafts and published calls alike."""
    from calls.api.serializers import ManagedCallSerializer
    from calls.selectors.calls import calls_managed_by

    draft = draft_call(title="Concept", missions=[mission("security"), mission("energy")])
    published = published_call(officer=draft.officer, title="Gepubliceerd")
    clarification_ask(call=published, actor=person_with_role(Role.APPLICANT), text="Vraag?")
    client = client_for(draft.officer)

    response = client.get(reverse("api-call-mine"))
    body = response.json()

    calls = calls_managed_by(draft.officer).order_by("deadline", "pk")
    serializer = ManagedCallSerializer(context={"request": response.wsgi_request})
    assert body["results"] == [serializers_to_representation(serializer, c) for c in calls]
    assert {item["title"]: item["open_questions"] for item in body["results"]} == {
        "Concept": 0,
        "Gepubliceerd": 1,
    }


def test_public_list_builds_no_filter_form_without_filters(api, monkeypatch):
    from django_filters.rest_framework import DjangoFilterBackend

    published_call(title="Circulaire viaducten")
    built = []
    original = DjangoFilterBackend.get_filterset

    def counting(self, *args, **kwargs):
        built.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(DjangoFilterBackend, "get_filterset", counting)
    assert api.get(reverse("api-call-list")).json()["count"] == 1
    assert built == []
    # A filter still filters, and an unknown parameter changes nothing.
    assert api.get(reverse("api-call-list"), {"q": "nergens"}).json()["count"] == 0
    assert built == [1]
    assert api.get(reverse("api-call-list"), {"page": 1, "foo": "x"}).json()["count"] == 1
