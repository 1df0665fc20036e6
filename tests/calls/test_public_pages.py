"""The public call pages: list, detail, documents, Atom feed and iCalendar file."""

import re
import xml.etree.ElementTree as ET
from datetime import UTC, timedelta
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from calls.models import Call, Criterion, Follower, Mission, Phase, Question
from calls.services.lifecycle import (
    DraftRows,
    call_amend,
    call_cancel,
    call_close,
    call_document_add,
    call_publish,
    call_update_draft_rows,
)
from portal.models import Role
from tests.factories import person_with_role

from .factories import draft_call, mission, officer_of, published_call

pytestmark = pytest.mark.django_db

LIST_URL = reverse("calls:list")
ATOM = "{http://www.w3.org/2005/Atom}"
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def call_ids(response) -> list[int]:
    """The calls on a list page, in the order shown."""
    return [int(pk) for pk in re.findall(r'data-call="(\d+)"', response.content.decode())]


def result_count(response) -> int:
    return int(re.search(r'data-count="(\d+)"', response.content.decode()).group(1))


def closed_call(**fields) -> Call:
    call = published_call(**fields)
    officer = call.officer
    with time_machine.travel(call.deadline + timedelta(seconds=1)):
        call = call_close(call=call, actor=officer)
    call.officer = officer
    return call


def add_document(call, title="Plan van aanpak", content=PDF):
    file = SimpleUploadedFile("plan.pdf", content, content_type="application/pdf")
    return call_document_add(call=call, actor=call.officer, title=title, file=file)


def bulk_calls(count: int, *, published_days_ago: int = 1, **fields) -> list[Call]:
    """Many public calls at once, straight into the database (only for volume tests)."""
    officer = officer_of()
    authority = officer.memberships.get().organisation
    now = timezone.now()
    calls = Call.objects.bulk_create(
        Call(
            authority=authority,
            created_by=officer,
            instrument=Call.Instrument.SBIR,
            title=f"Bulkoproep {i}",
            challenge="Een uitdaging in bulk.",
            contact_name="Bulk",
            contact_email="bulk@example.org",
            total_budget=Decimal("100000.00"),
            deadline=now + timedelta(days=10 + i % 50) if i % 2 else now - timedelta(days=i),
            questions_deadline=now - timedelta(days=600),
            status=Call.Status.PUBLISHED if i % 2 else Call.Status.CLOSED,
            publication_date=now - timedelta(days=published_days_ago, minutes=i),
            **fields,
        )
        for i in range(count)
    )
    missions = list(Mission.objects.all())
    Call.missions.through.objects.bulk_create(
        Call.missions.through(call_id=call.pk, mission_id=missions[i % len(missions)].pk)
        for i, call in enumerate(calls)
    )
    return calls


# --- The list ----------------------------------------------------------------------------


def test_list_shows_published_and_closed_calls_but_never_drafts(client):
    open_call = published_call(title="Slimme dijken")
    finished = closed_call(title="Stille wegen")
    draft = draft_call(title="Geheim concept")

    response = client.get(LIST_URL)

    assert response.status_code == 200
    assert set(call_ids(response)) == {open_call.pk, finished.pk}
    content = response.content.decode()
    assert "Slimme dijken" in content
    assert "Stille wegen" in content
    assert "Geheim concept" not in content
    assert draft.pk not in call_ids(response)
    assert result_count(response) == 2
    assert open_call.get_absolute_url() in content
    assert "€\xa03.000.000,00" in content  # total budget in Dutch notation
    assert re.search(r"\b(CET|CEST)\b", content)  # deadlines carry their time zone


def test_a_draft_cancelled_before_publication_stays_private(client, verified_client):
    draft = draft_call(title="Ingetrokken concept")
    call_cancel(call=draft, actor=draft.officer, reason="Budget ging naar een ander project.")

    assert draft.pk not in call_ids(client.get(LIST_URL))
    assert client.get(draft.get_absolute_url()).status_code == 404
    officer = verified_client(draft.officer)
    assert officer.get(draft.get_absolute_url()).status_code == 200  # its officers still do


def test_list_links_to_the_atom_feed(client):
    content = client.get(LIST_URL).content.decode()

    feed_url = reverse("calls:feed")
    assert '<link rel="alternate" type="application/atom+xml"' in content
    assert content.count(f'href="{feed_url}"') == 2  # in <head> and visible on the page


@pytest.fixture
def three_calls():
    """An open SBIR call on energy (deadline in 60 days), an open innovation partnership on
    health care (120 days) and a closed hackathon (its deadline was to be in 45 days), each of
    another authority."""
    now = timezone.now()
    sbir = published_call(title="Slimme dijken", missions=[mission("energy")])
    partnership = published_call(
        instrument=Call.Instrument.INNOVATION_PARTNERSHIP,
        title="Zorgrobots",
        deadline=now + timedelta(days=120),
        missions=[mission("health-care")],
    )
    hackathon = closed_call(
        instrument=Call.Instrument.HACKATHON,
        title="Open data hackathon",
        deadline=now + timedelta(days=45),
        questions_deadline=now + timedelta(days=30),
    )
    return {"sbir": sbir, "partnership": partnership, "hackathon": hackathon}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (lambda c: {"instrument": "sbir"}, {"sbir"}),
        (lambda c: {"instrument": "innovation_partnership"}, {"partnership"}),
        (lambda c: {"status": "published"}, {"sbir", "partnership"}),
        (lambda c: {"status": "closed"}, {"hackathon"}),
        (lambda c: {"authority": c["partnership"].authority_id}, {"partnership"}),
        # Typed: the authority's name, or a part of it only one authority has.
        (lambda c: {"authority": c["partnership"].authority.name}, {"partnership"}),
        (lambda c: {"authority": c["partnership"].authority.name.upper()}, {"partnership"}),
        (lambda c: {"mission": "energy"}, {"sbir"}),
        (lambda c: {"mission": "health-care"}, {"partnership"}),
        (
            lambda c: {"deadline_after": (timezone.localdate() + timedelta(days=90)).isoformat()},
            {"partnership"},
        ),
        (
            lambda c: {"deadline_before": (timezone.localdate() + timedelta(days=90)).isoformat()},
            {"sbir", "hackathon"},
        ),
        (
            lambda c: {
                "deadline_after": (timezone.localdate() + timedelta(days=50)).isoformat(),
                "deadline_before": (timezone.localdate() + timedelta(days=90)).isoformat(),
            },
            {"sbir"},
        ),
        (lambda c: {"instrument": "sbir", "status": "closed"}, set()),
    ],
    ids=[
        "instrument-sbir",
        "instrument-partnership",
        "status-open",
        "status-closed",
        "authority",
        "authority-name",
        "authority-name-in-capitals",
        "mission-energy",
        "mission-health",
        "deadline-after",
        "deadline-before",
        "deadline-range",
        "combined-none",
    ],
)
def test_each_filter_narrows_the_list(client, three_calls, query, expected):
    response = client.get(LIST_URL, query(three_calls))

    assert response.status_code == 200
    assert set(call_ids(response)) == {three_calls[name].pk for name in expected}
    assert result_count(response) == len(expected)


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("dijken", {"sbir"}),  # a word of the title
        ("sensoren", {"sbir"}),  # a word of the challenge
        ("ouderenzorg", {"partnership"}),  # a word of the other call's challenge
        ("ruimtevaart", set()),  # nowhere
    ],
)
def test_full_text_search_in_title_and_challenge(client, word, expected):
    calls = {
        "sbir": published_call(
            title="Slimme dijken",
            challenge="Wij zoeken sensoren die de sterkte van dijken meten.",
        ),
        "partnership": published_call(
            title="Zorgrobots",
            challenge="Robots die helpen in de ouderenzorg.",
        ),
    }

    response = client.get(LIST_URL, {"q": word})

    assert response.status_code == 200
    assert set(call_ids(response)) == {calls[name].pk for name in expected}


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("title", ["Appels", "Bruggen", "Cellen"]),
        ("-title", ["Cellen", "Bruggen", "Appels"]),
        ("deadline", ["Bruggen", "Appels", "Cellen"]),
        ("-deadline", ["Cellen", "Appels", "Bruggen"]),
        ("-published", ["Cellen", "Bruggen", "Appels"]),
        ("published", ["Appels", "Bruggen", "Cellen"]),
    ],
)
def test_sorting(client, sort, expected):
    now = timezone.now()
    deadlines = {"Appels": 70, "Bruggen": 50, "Cellen": 90}
    calls = {}
    for title in ("Appels", "Bruggen", "Cellen"):  # published in this order
        calls[title] = published_call(title=title, deadline=now + timedelta(days=deadlines[title]))

    response = client.get(LIST_URL, {"sort": sort})

    assert call_ids(response) == [calls[title].pk for title in expected]


def test_default_order_puts_open_calls_first_soonest_deadline_on_top(client):
    now = timezone.now()
    finished = closed_call(title="Gesloten")
    later = published_call(title="Later", deadline=now + timedelta(days=90))
    sooner = published_call(
        title="Eerder",
        deadline=now + timedelta(days=30),
        questions_deadline=now + timedelta(days=20),
    )

    response = client.get(LIST_URL)

    assert call_ids(response) == [sooner.pk, later.pk, finished.pk]


def test_bad_filter_values_show_the_form_error_and_keep_what_was_typed(client, three_calls):
    client.cookies["django_language"] = "en"

    response = client.get(
        LIST_URL,
        {
            "instrument": "spaceship",
            "deadline_after": "notadate",
            "sort": "cheapest",
            "q": "dijken",
        },
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert 'data-testid="filter-errors"' in content
    assert "Enter a valid date." in content
    assert "Select a valid choice." in content
    assert 'value="notadate"' in content
    assert 'value="dijken"' in content
    # The valid parts of the search still apply.
    assert call_ids(response) == [three_calls["sbir"].pk]


def test_pagination_keeps_the_filters_and_shows_twenty_per_page(client):
    bulk_calls(46)  # 23 open, 23 closed

    first = client.get(LIST_URL, {"status": "published"})
    second = client.get(LIST_URL, {"status": "published", "page": 2})

    assert result_count(first) == 23
    assert len(call_ids(first)) == 20
    assert len(call_ids(second)) == 3
    assert not set(call_ids(first)) & set(call_ids(second))
    assert 'href="?status=published&amp;page=2"' in first.content.decode()
    assert client.get(LIST_URL, {"page": "many"}).status_code == 200


@pytest.mark.parametrize(
    "query",
    [{}, {"mission": "energy", "instrument": "sbir", "sort": "-deadline"}, {"q": "bulk"}],
    ids=["plain", "filtered", "search"],
)
def test_list_runs_the_same_number_of_queries_for_5_or_500_calls(
    client, django_assert_num_queries, query
):
    bulk_calls(5)
    with CaptureQueriesContext(connection) as few:
        response = client.get(LIST_URL, query)
    assert 0 < len(call_ids(response)) <= 5

    bulk_calls(495)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(LIST_URL, query)
    assert len(call_ids(response)) == 20
    if not query:
        assert result_count(response) == 500


# --- A call's page -------------------------------------------------------------------------


def test_detail_page_shows_the_whole_call(client):
    call = published_call(
        title="Slimme dijken",
        challenge="Eerste alinea.\n\nTweede alinea over sensoren.",
        missions=[mission("energy"), mission("security")],
    )
    document = add_document(call, title="Marktconsultatie verslag")
    Question.objects.create(call=call, order=1, text="Hoeveel medewerkers heeft u?", kind="number")
    feasibility = call.phases.get(order=1)

    response = client.get(call.get_absolute_url())

    assert response.status_code == 200
    content = response.content.decode()
    assert "Slimme dijken" in content
    assert call.reference in content
    assert call.authority.name in content
    assert "sanne@rws.example" in content
    assert "Sanne de Vries" in content
    assert "<p>Tweede alinea over sensoren.</p>" in content
    assert "€\xa03.000.000,00" in content
    assert "€\xa01.500.000,00" in content  # phase budget
    assert str(mission("energy")) in content
    assert str(mission("security")) in content
    assert re.search(r"\b(CET|CEST)\b", content)
    assert 'data-testid="time-left"' in content
    assert content.count('data-testid="phase-row"') == 2
    assert feasibility.name in content
    weights = re.findall(r'data-testid="weight">(\d+)%<', content)
    assert weights == ["40", "40", "20", "30", "30", "40"]
    for criterion in Criterion.objects.filter(phase__call=call):
        assert criterion.name in content
    for required in feasibility.required_documents.all():
        assert required.name in content
    assert "Hoeveel medewerkers heeft u?" in content
    assert reverse("calls:document", args=[call.pk, document.pk]) in content
    assert "Marktconsultatie verslag" in content
    assert reverse("calls:ical", args=[call.pk]) in content


def test_detail_page_of_an_innovation_partnership_shows_its_extra_rules(client):
    call = draft_call(instrument=Call.Instrument.INNOVATION_PARTNERSHIP, max_partners=4)
    phase = call.phases.get(order=2)
    targets = {"interim_targets": "Een werkend prototype op de testlocatie."}
    call_update_draft_rows(
        call=call,
        actor=call.officer,
        changes=[
            DraftRows(
                parent=call, model=Phase, fields=["interim_targets"], update={phase.pk: targets}
            )
        ],
    )
    call = call_publish(call=call, actor=call.officer)

    content = client.get(call.get_absolute_url()).content.decode()

    assert 'data-testid="participation-deadline"' in content
    assert 'data-testid="max-partners">4<' in content
    assert 'data-testid="stop-clause"' in content
    assert "Een werkend prototype op de testlocatie." in content
    assert content.count('data-testid="phase-row"') == 3


def test_detail_page_of_a_prize_competition_shows_its_prizes(client):
    call = published_call(instrument=Call.Instrument.PRIZE_COMPETITION)

    content = client.get(call.get_absolute_url()).content.decode()

    assert 'data-testid="prizes"' in content
    assert "€\xa01.500.000,00" in content  # first prize: half of the phase's budget


def test_detail_page_of_a_cancelled_call_says_why(client):
    call = published_call()
    call_cancel(call=call, actor=call.officer, reason="Het budget is ingetrokken.")

    content = client.get(call.get_absolute_url()).content.decode()

    assert 'data-testid="cancellation-notice"' in content
    assert "Het budget is ingetrokken." in content


def test_detail_page_lists_amendments_with_their_changes(client):
    call = published_call()
    call_amend(
        call=call,
        actor=call.officer,
        reason="Meer tijd voor de markt.",
        changes={"contact_name": "Piet Jansen"},
    )

    content = client.get(call.get_absolute_url()).content.decode()

    assert 'data-testid="amendment"' in content
    assert "Meer tijd voor de markt." in content
    assert "Sanne de Vries" in content  # the old value
    assert "Piet Jansen" in content


def test_detail_page_shows_the_english_title_and_challenge_in_english(client):
    call = published_call(
        title="Slimme dijken",
        title_en="Smart dykes",
        challenge="Sensoren in dijken.",
        challenge_en="Sensors in dykes.",
    )

    dutch = client.get(call.get_absolute_url()).content.decode()
    client.cookies["django_language"] = "en"
    english = client.get(call.get_absolute_url()).content.decode()

    assert "Slimme dijken" in dutch
    assert "Smart dykes" not in dutch
    assert "Smart dykes" in english
    assert "Sensors in dykes." in english
    assert "Preview" not in english


def test_a_wrong_slug_redirects_permanently_to_the_canonical_address(client):
    call = published_call(title="Slimme dijken")

    response = client.get(reverse("calls:detail", kwargs={"pk": call.pk, "slug": "oud"}))

    assert response.status_code == 301
    assert response["Location"] == call.get_absolute_url()
    assert call.get_absolute_url().endswith(f"/calls/{call.pk}-slimme-dijken/")


def test_a_draft_with_a_wrong_slug_is_404_not_a_redirect(client):
    call = draft_call()

    response = client.get(reverse("calls:detail", kwargs={"pk": call.pk, "slug": "x"}))

    assert response.status_code == 404


def test_unknown_call_is_404(client):
    detail = reverse("calls:detail", kwargs={"pk": 999999, "slug": "x"})
    assert client.get(detail).status_code == 404
    assert client.get(reverse("calls:ical", args=[999999])).status_code == 404


def test_detail_page_costs_the_same_queries_for_a_small_or_a_large_call(
    client, django_assert_num_queries
):
    small = published_call()
    large = published_call()
    for i in range(6):
        add_document(large, title=f"Bijlage {i}")
        Question.objects.create(call=large, order=i, text=f"Vraag {i}", kind="text")
    with CaptureQueriesContext(connection) as baseline:
        client.get(small.get_absolute_url())

    with django_assert_num_queries(len(baseline.captured_queries)):
        response = client.get(large.get_absolute_url())
    assert response.content.decode().count('data-testid="form-question"') == 6


# --- Who may see what -------------------------------------------------------------------------

ROLES = ["anonymous", "applicant", "officer_elsewhere", "owning_officer", "ministry_staff"]


@pytest.fixture
def visit(client, verified_client):
    """A client acting as one of ROLES towards a call."""

    def as_role(role: str, call: Call):
        if role == "anonymous":
            return client
        if role == "applicant":
            client.force_login(person_with_role(Role.APPLICANT))
            return client
        if role == "officer_elsewhere":
            return verified_client(officer_of())
        if role == "owning_officer":
            return verified_client(call.officer)
        if role == "ministry_staff":
            return verified_client(person_with_role(Role.MINISTRY_STAFF))
        raise ValueError(role)

    return as_role


def page_urls(call, document) -> dict[str, str]:
    return {
        "detail": call.get_absolute_url(),
        "document": reverse("calls:document", args=[call.pk, document.pk]),
        "ical": reverse("calls:ical", args=[call.pk]),
    }


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", ["detail", "document", "ical"])
def test_a_published_call_is_visible_to_everyone(visit, role, page):
    call = published_call()
    document = add_document(call)

    response = visit(role, call).get(page_urls(call, document)[page])

    assert response.status_code == 200
    if page == "detail":
        assert 'data-testid="preview-notice"' not in response.content.decode()


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 404),
        ("applicant", 404),
        ("officer_elsewhere", 404),
        ("owning_officer", 200),
        ("ministry_staff", 404),
    ],
)
@pytest.mark.parametrize("page", ["detail", "document", "ical"])
def test_a_draft_is_only_visible_to_its_own_authority(visit, role, status, page):
    call = draft_call()
    document = add_document(call)

    response = visit(role, call).get(page_urls(call, document)[page])

    assert response.status_code == status
    if page == "detail" and status == 200:
        content = response.content.decode()
        assert 'data-testid="preview-notice"' in content
        assert 'data-testid="follow"' not in content
    if status == 404:
        assert call.title not in response.content.decode()


def test_a_document_of_another_call_is_404(client):
    call = published_call()
    other = published_call()
    document = add_document(other)

    response = client.get(reverse("calls:document", args=[call.pk, document.pk]))

    assert response.status_code == 404


def test_a_document_is_served_inline_as_pdf_with_a_safe_file_name(client):
    call = published_call()
    document = add_document(call, title='Plan: fase 1 / "bijlage" ..\\..\\passwd')

    response = client.get(reverse("calls:document", args=[call.pk, document.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="plan-fase-1-bijlage-passwd.pdf"'
    assert b"".join(response.streaming_content) == PDF


# --- Following ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["follow", "unfollow"])
def test_follow_and_unfollow_take_only_post(client, name):
    call = published_call()
    client.force_login(person_with_role(Role.APPLICANT))

    response = client.get(reverse(f"calls:{name}", args=[call.pk]))

    assert response.status_code == 405


@pytest.mark.parametrize("name", ["follow", "unfollow"])
def test_anonymous_follow_is_sent_to_log_in_and_back(client, name):
    call = published_call()

    response = client.post(reverse(f"calls:{name}", args=[call.pk]))

    assert response.status_code == 302
    login = reverse("login")
    location = urlsplit(response["Location"])
    assert location.path == login
    assert parse_qs(location.query)["next"] == [call.get_absolute_url()]
    assert not Follower.objects.exists()


def test_anonymous_sees_a_log_in_link_instead_of_the_follow_button(client):
    call = published_call()

    content = client.get(call.get_absolute_url()).content.decode()

    assert 'data-testid="login-to-follow"' in content
    assert 'data-testid="follow"' not in content


def test_a_company_follows_and_unfollows_a_call(client):
    call = published_call()
    applicant = person_with_role(Role.APPLICANT)
    client.force_login(applicant)
    assert 'data-testid="follow"' in client.get(call.get_absolute_url()).content.decode()

    response = client.post(reverse("calls:follow", args=[call.pk]), follow=True)

    assert response.redirect_chain == [(call.get_absolute_url(), 302)]
    assert Follower.objects.filter(call=call, user=applicant).count() == 1
    assert 'data-testid="unfollow"' in response.content.decode()

    client.post(reverse("calls:follow", args=[call.pk]))  # a double click changes nothing
    assert Follower.objects.filter(call=call, user=applicant).count() == 1

    response = client.post(reverse("calls:unfollow", args=[call.pk]), follow=True)

    assert not Follower.objects.filter(call=call, user=applicant).exists()
    assert 'data-testid="follow"' in response.content.decode()


def test_nobody_can_follow_a_draft(client, verified_client):
    call = draft_call()
    client.force_login(person_with_role(Role.APPLICANT))
    assert client.post(reverse("calls:follow", args=[call.pk])).status_code == 404

    owner = verified_client(call.officer)
    response = owner.post(reverse("calls:follow", args=[call.pk]))

    assert response.status_code == 302
    assert not Follower.objects.exists()


# --- Atom feed and iCalendar -----------------------------------------------------------------


def test_feed_is_valid_atom_with_the_published_calls_newest_first(client):
    first = published_call(title="Eerste oproep", challenge="Over <bruggen> & tunnels.")
    second = published_call(title="Tweede oproep")
    cancelled_draft = draft_call(title="Nooit gepubliceerd")
    call_cancel(call=cancelled_draft, actor=cancelled_draft.officer, reason="Niet meer nodig.")
    draft_call(title="Nog een concept")

    response = client.get(reverse("calls:feed"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    entries = root.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == ["Tweede oproep", "Eerste oproep"]
    entry = entries[1]
    link = entry.find(f"{ATOM}link").get("href")
    assert link.endswith(first.get_absolute_url())
    assert entry.findtext(f"{ATOM}author/{ATOM}name") == first.authority.name
    assert entry.findtext(f"{ATOM}published").startswith(str(first.publication_date.year))
    assert entry.findtext(f"{ATOM}summary") == "Over &lt;bruggen&gt; &amp; tunnels."
    assert second.pk != first.pk


def test_feed_holds_the_30_most_recent_calls(client):
    bulk_calls(35)

    root = ET.fromstring(client.get(reverse("calls:feed")).content)

    titles = [e.findtext(f"{ATOM}title") for e in root.findall(f"{ATOM}entry")]
    assert titles == [f"Bulkoproep {i}" for i in range(30)]


def test_ical_holds_every_deadline_in_utc(client):
    now = timezone.now()
    call = draft_call(
        instrument=Call.Instrument.INNOVATION_PARTNERSHIP,
        title="Zorgrobots",
        deadline=now + timedelta(days=60),
    )
    second_phase = call.phases.get(order=2)
    deadline = {"deadline": now + timedelta(days=200)}
    call_update_draft_rows(
        call=call,
        actor=call.officer,
        changes=[
            DraftRows(
                parent=call, model=Phase, fields=["deadline"], update={second_phase.pk: deadline}
            )
        ],
    )
    second_phase.refresh_from_db()
    call = call_publish(call=call, actor=call.officer)

    response = client.get(reverse("calls:ical", args=[call.pk]))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = {str(event["uid"]): event for event in calendar.walk("VEVENT")}
    assert set(events) == {
        f"call-{call.pk}-questions@innovatieloket",
        f"call-{call.pk}-participation@innovatieloket",
        f"call-{call.pk}-deadline@innovatieloket",
        f"call-{call.pk}-phase-{second_phase.pk}@innovatieloket",
    }
    expected = {
        "questions": call.questions_deadline,
        "participation": call.participation_deadline,
        "deadline": call.deadline,
        f"phase-{second_phase.pk}": second_phase.deadline,
    }
    for key, moment in expected.items():
        event = events[f"call-{call.pk}-{key}@innovatieloket"]
        start = event.decoded("dtstart")
        assert start.utcoffset() == timedelta(0)
        assert start == moment.replace(microsecond=0)
        assert "Zorgrobots" in str(event["summary"])
        assert str(event["url"]).endswith(call.get_absolute_url())
    raw = response.content.decode()
    utc_text = call.deadline.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    assert f"DTSTART:{utc_text}" in raw


def test_ical_uids_are_stable(client):
    call = published_call()
    url = reverse("calls:ical", args=[call.pk])

    def uids():
        events = Calendar.from_ical(client.get(url).content).walk("VEVENT")
        return sorted(str(event["uid"]) for event in events)

    assert uids() == uids()


def test_the_authority_filter_is_a_text_field_with_suggestions_not_a_select(client):
    """Thousands of authorities: the filter suggests those whose name holds what was typed
    (a datalist, no JavaScript), and the page costs the same queries for 3 or 40."""
    from tests.factories import AuthorityFactory

    AuthorityFactory.create_batch(3)
    with CaptureQueriesContext(connection) as few:
        html = client.get("/calls/").content.decode()
    assert '<select name="authority"' not in html
    assert 'list="id_authority-suggestions"' in html
    for number in range(40):
        AuthorityFactory(name=f"Waterschap {number}")
    with CaptureQueriesContext(connection) as many:
        html = client.get("/calls/", {"authority": "Waterschap 1"}).content.decode()
    assert len(many) <= len(few) + 2  # the typed name looked up, and its suggestions
    suggestions = html[html.index('id="id_authority-suggestions"') :].split("</datalist>")[0]
    assert suggestions.count("<option") == 11  # Waterschap 1, 10..19
    unknown = client.get("/calls/", {"authority": "Nergens"})
    assert unknown.context["form"].errors["authority"]
