"""The Atom feed of results: a final award (after the standstill, with its contract) is an
entry with the company, the call and phase, the amount and the contract's start; an intended
award is not. Linked from the calls list beside the feed of new calls."""

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from proposals.services.decisions import decisions_finalise_due, proposal_award

from .letters import decided_phase

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
FEED_URL = "/calls/results/feed/"


def _final(world) -> None:
    decision = world.winner.decisions.get()
    decisions_finalise_due(today=decision.standstill_ends_on + timedelta(days=1))
    world.winner.refresh_from_db()


def _feed(client, query: str = "") -> ET.Element:
    response = client.get(f"{FEED_URL}{query}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)  # well-formed
    # What Atom (RFC 4287) requires of a feed and of each entry.
    assert root.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert root.findtext(f"{ATOM}{required}"), required
    for entry in root.findall(f"{ATOM}entry"):
        for required in ("id", "title", "updated"):
            assert entry.findtext(f"{ATOM}{required}"), required
        assert entry.find(f"{ATOM}link").get("href")
    return root


def test_the_url_is_the_named_one():
    assert reverse("proposals:results_feed") == FEED_URL


def test_an_intended_award_is_absent_a_final_one_present(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        world = decided_phase()
    root = _feed(client)
    assert root.findall(f"{ATOM}entry") == []
    assert world.winner.company.name not in ET.tostring(root, encoding="unicode")

    with django_capture_on_commit_callbacks(execute=True):
        _final(world)
    contract = world.winner.contract
    root = _feed(client)
    (entry,) = root.findall(f"{ATOM}entry")
    title = entry.findtext(f"{ATOM}title")
    assert world.winner.company.name in title
    assert world.call.title in title
    summary = entry.findtext(f"{ATOM}summary")
    assert "20.000,00" in summary
    assert world.runner_up.company.name not in ET.tostring(root, encoding="unicode")
    assert entry.findtext(f"{ATOM}updated").startswith(contract.start_date.isoformat())
    assert (
        entry.find(f"{ATOM}link").get("href").endswith(f"{world.call.get_absolute_url()}#results")
    )
    assert entry.findtext(f"{ATOM}id") == (
        f"http://testserver{world.call.get_absolute_url()}#award-{contract.pk}"
    )
    assert entry.findtext(f"{ATOM}author/{ATOM}name") == world.call.authority.name


def test_the_feed_speaks_the_readers_language(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        world = decided_phase()
        _final(world)
    dutch = _feed(client)
    english = _feed(client, "?lang=en")
    assert dutch.findtext(f"{ATOM}title") == "Innovatieloket: resultaten van innovatieoproepen"
    assert english.findtext(f"{ATOM}title") == "Innovatieloket: results of calls for innovation"
    assert "is awarded €\u00a020,000.00" in english.find(f"{ATOM}entry").findtext(f"{ATOM}summary")
    assert "krijgt €\u00a020.000,00" in dutch.find(f"{ATOM}entry").findtext(f"{ATOM}summary")
    # The portal's language choice holds for the feed too.
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert _feed(client).findtext(f"{ATOM}title") == english.findtext(f"{ATOM}title")
    assert _feed(client, "?lang=xx").findtext(f"{ATOM}title") == english.findtext(f"{ATOM}title")


def test_the_feed_costs_the_same_queries_for_more_awards(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _final(decided_phase())
    with CaptureQueriesContext(connection) as one:
        assert len(_feed(client).findall(f"{ATOM}entry")) == 1
    with django_capture_on_commit_callbacks(execute=True):
        _final(decided_phase())
        _final(decided_phase())
    with CaptureQueriesContext(connection) as three:
        assert len(_feed(client).findall(f"{ATOM}entry")) == 3
    assert len(three) == len(one)


def test_the_calls_list_links_to_the_results_feed(client):
    content = client.get(reverse("calls:list")).content.decode()
    assert content.count(f'href="{FEED_URL}"') == 2  # <link rel="alternate"> and visible
    assert '<link rel="alternate" type="application/atom+xml" title=' in content


def test_a_prize_reads_as_a_prize_not_as_a_contract_in_both_languages(client):
    from .test_prizes import ranked_entries

    world = ranked_entries()
    proposal_award(
        proposal=world.entries[0], actor=world.officer, motivation="Jury.", prize=world.prizes[1]
    )
    dutch = _feed(client).find(f"{ATOM}entry")
    english = _feed(client, "?lang=en").find(f"{ATOM}entry")
    name = world.entries[0].company.name
    summary = dutch.findtext(f"{ATOM}summary")
    assert f"{name} wint prijs 1 (€\u00a050.000,00)" in summary
    assert "contract" not in summary.lower()
    assert "opdracht" not in summary.lower()
    assert dutch.findtext(f"{ATOM}title").startswith(f"{name}: prijs 1, ")
    summary = english.findtext(f"{ATOM}summary")
    assert f"{name} wins prize 1 (€\u00a050,000.00)" in summary
    assert "contract" not in summary.lower()
    assert english.findtext(f"{ATOM}title").startswith(f"{name}: prize 1, ")


def test_a_prize_taken_back_on_objection_leaves_the_feed_and_the_other_prizes_stay(client):
    from proposals.services.objections import objection_uphold

    from .test_prizes import _letters, _objection_to, ranked_entries

    world = ranked_entries()
    letters = _letters(world)
    first, second, third, _fourth = world.entries
    before = ET.tostring(_feed(client), encoding="unicode")
    for entry in (first, second, third):
        assert entry.company.name in before
    objection = _objection_to(world, letters, third)

    objection_uphold(objection=objection, actor=world.officer, answer="Toch niet van niveau.")

    root = _feed(client)
    after = ET.tostring(root, encoding="unicode")
    assert len(root.findall(f"{ATOM}entry")) == 2
    assert third.company.name not in after
    assert first.company.name in after
    assert second.company.name in after
