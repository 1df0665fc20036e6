"""Decision letters through the pages and the API: who may read which letter, read tracking,
and the public results of a call."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from proposals.models import DecisionLetter
from tests.conftest import login_verified

from .letters import decided_phase
from .test_api import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        world = decided_phase()
    world.letters = {letter.proposal_id: letter for letter in DecisionLetter.objects.all()}
    return world


def letter_url(letter) -> str:
    return reverse("proposals:letter", kwargs={"pk": letter.proposal_id, "letter_pk": letter.pk})


def test_the_company_finds_its_letter_on_its_proposal_page_and_reading_it_is_recorded(
    client, world
):
    letter = world.letters[world.runner_up.pk]
    client.force_login(world.runner_up.person)
    page = client.get(reverse("proposals:detail", kwargs={"pk": world.runner_up.pk}))
    content = page.content.decode()
    assert letter.number in content
    assert letter_url(letter) in content
    # Only its own letter.
    assert world.letters[world.winner.pk].number not in content

    response = client.get(letter_url(letter))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    letter.refresh_from_db()
    assert letter.read_at is not None
    assert letter.read_by == world.runner_up.person


def test_the_officer_sees_which_letters_were_sent_and_read_and_reading_does_not_count(
    client, world
):
    letter = world.letters[world.runner_up.pk]
    login_verified(client, world.officer)
    assert client.get(letter_url(letter)).status_code == 200
    letter.refresh_from_db()
    assert letter.read_at is None  # the officer's download is not the company reading it

    page = client.get(reverse("proposals:officer_phase", kwargs={"phase_pk": world.phase.pk}))
    content = page.content.decode()
    for found in world.letters.values():
        assert found.number in content
    assert f'data-testid="read-{letter.pk}">' in content
    DecisionLetter.objects.filter(pk=letter.pk).update(read_at=letter.sent_at)
    page = client.get(reverse("proposals:officer_phase", kwargs={"phase_pk": world.phase.pk}))
    assert "not yet" not in page.content.decode().split(f'data-testid="read-{letter.pk}"')[1][:80]


def test_another_company_never_reads_a_letter_not_addressed_to_it(client, world):
    letter = world.letters[world.runner_up.pk]
    client.force_login(world.not_eligible.person)
    assert client.get(letter_url(letter)).status_code == 404
    # Not through its own proposal's id either.
    wrong = reverse(
        "proposals:letter", kwargs={"pk": world.not_eligible.pk, "letter_pk": letter.pk}
    )
    assert client.get(wrong).status_code == 404
    assert (
        client.get(reverse("proposals:detail", kwargs={"pk": world.runner_up.pk})).status_code
        == 404
    )
    letter.refresh_from_db()
    assert letter.read_at is None

    api = client_for(world.not_eligible.person)
    assert api.get(reverse("api-letter-detail", kwargs={"pk": letter.pk})).status_code == 404
    assert api.get(reverse("api-letter-download", kwargs={"pk": letter.pk})).status_code == 404
    listed = api.get(reverse("api-letter-list")).json()["results"]
    assert [row["id"] for row in listed] == [world.letters[world.not_eligible.pk].pk]


def test_the_api_lists_and_downloads_letters_with_the_pages_permissions(world):
    letter = world.letters[world.runner_up.pk]
    api = client_for(world.runner_up.person)
    listed = api.get(reverse("api-letter-list")).json()["results"]
    assert [row["number"] for row in listed] == [letter.number]
    assert listed[0]["kind"] == "rejection"
    response = api.get(listed[0]["download_url"])
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    letter.refresh_from_db()
    assert letter.read_at is not None

    officer = client_for(world.officer)
    rows = officer.get(reverse("api-letter-list"), {"phase": world.phase.pk}).json()["results"]
    assert {row["number"] for row in rows} == {found.number for found in world.letters.values()}
    assert client_for(None).get(reverse("api-letter-list")).status_code == 401


def test_the_api_list_costs_the_same_queries_for_one_or_three_letters(world):
    officer = client_for(world.officer)
    url = reverse("api-letter-list")
    with CaptureQueriesContext(connection) as one:
        assert len(officer.get(url, {"proposal": world.winner.pk}).json()["results"]) == 1
    with CaptureQueriesContext(connection) as three:
        assert len(officer.get(url).json()["results"]) == 3
    assert len(three.captured_queries) == len(one.captured_queries)


def test_the_openapi_schema_documents_the_letters(client):
    schema = client.get(reverse("api-schema"))
    assert schema.status_code == 200
    text = schema.content.decode()
    assert "/api/v1/letters/{id}/download/:" in text
    assert "application/pdf" in text
