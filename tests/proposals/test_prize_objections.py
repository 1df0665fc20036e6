"""An objection to a prize decision is an objection under the Awb to a final decision: the
pages, the receipt and the letter say so, with one end of the six weeks; after an upheld
objection the company reads what happened in its own language."""

from io import BytesIO

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import formats, timezone, translation
from pypdf import PdfReader

from proposals.models import Decision, DecisionLetter, Objection
from tests.conftest import login_verified

from .test_letters import pdf_text
from .test_prizes import _letters, ranked_entries

pytestmark = pytest.mark.django_db

PROCUREMENT_WORDS = ("Opschortingstermijn", "opschortingstermijn", "Het voorgenomen besluit")


def _day(value, language: str = "nl") -> str:
    with translation.override(language):
        return formats.date_format(value, "DATE_FORMAT")


def _flat(text: str) -> str:
    return " ".join(text.split())


def _pdf(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return _flat("".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages))


@pytest.fixture
def prize_world():
    """Prizes decided by an administrative body; the winner's letter went out today."""
    world = ranked_entries()
    letters = _letters(world)
    world.winner = world.entries[0]
    world.letter = letters[world.winner.pk]
    DecisionLetter.objects.filter(pk=world.letter.pk).update(sent_at=timezone.now())
    world.decision = Decision.objects.get(proposal=world.winner)
    world.ends_on = world.decision.objection_ends_on
    assert world.ends_on is not None
    world.company = Client()
    world.company.force_login(world.winner.person)
    world.officer_client = login_verified(Client(), world.officer)
    return world


def test_the_objection_to_a_prize_reads_as_an_awb_objection_with_one_end_everywhere(prize_world):
    world = prize_world
    end = _day(world.ends_on)
    company = world.company

    # The proposal page: the decision and its letter state the end of the six weeks.
    detail = company.get(reverse("proposals:detail", kwargs={"pk": world.winner.pk}))
    page = detail.content.decode()
    assert 'data-testid="objection-period"' in page
    assert f"bezwaartermijn tot en met {end}" in page
    assert not any(word in page for word in PROCUREMENT_WORDS)
    # The letter states the same day.
    assert f"tot en met {end}" in _flat(pdf_text(world.letter))

    # The objection form.
    address = reverse("proposals:objection_lodge", kwargs={"pk": world.winner.pk})
    page = company.get(address).content.decode()
    assert 'data-testid="awb-objection"' in page
    assert "Bezwaartermijn eindigt op" in page
    assert end in page
    assert "Het besluit" in page
    assert not any(word in page for word in PROCUREMENT_WORDS)
    assert "geen contract" not in page

    response = company.post(address, {"text": "De jury heeft ons criterium verkeerd gelezen."})
    assert response.status_code == 302
    objection = Objection.objects.get(decision=world.decision)
    page = company.get(response.url).content.decode()
    assert "blijft van kracht" in page  # the message, and the objection's facts
    assert "Bezwaartermijn eindigt op" in page
    assert end in page
    assert not any(word in page for word in PROCUREMENT_WORDS)
    assert "geen contract" not in page

    # The officer's page of the objection.
    page = world.officer_client.get(
        reverse("proposals:officer_objection", kwargs={"objection_pk": objection.pk})
    ).content.decode()
    assert "Bezwaartermijn eindigt op" in page
    assert end in page
    assert not any(word in page for word in PROCUREMENT_WORDS)

    # The receipt (PDF): its number is a number ("Nummer"), not a count ("Aantal").
    receipt = _pdf(
        company.get(reverse("proposals:objection_receipt", kwargs={"objection_pk": objection.pk}))
    )
    assert f"Nummer {objection.number}" in receipt
    assert "Aantal" not in receipt
    assert f"Bezwaartermijn eindigt op {end}" in receipt
    assert "blijft van kracht" in receipt
    assert "Voorgenomen besluit" not in receipt
    assert "geen contract" not in receipt


@pytest.mark.parametrize(
    ("language", "expected", "foreign"),
    [
        ("en", ("was revoked on", "7:11", "was upheld, with this answer:"), "gegrond verklaard"),
        ("nl", ("is op", "herroepen", "is gegrond verklaard, met dit antwoord:"), "was upheld"),
    ],
)
def test_after_the_revocation_the_company_reads_what_happened_in_its_language(
    prize_world, language, expected, foreign
):
    world = prize_world
    world.company.post(
        reverse("proposals:objection_lodge", kwargs={"pk": world.winner.pk}),
        {"text": "De jury heeft ons criterium verkeerd gelezen."},
    )
    objection = Objection.objects.get(decision=world.decision)
    response = world.officer_client.post(
        reverse("proposals:officer_objection", kwargs={"objection_pk": objection.pk}),
        {"outcome": "uphold", "answer": "Criterium 2 is verkeerd gescoord."},
    )
    assert response.status_code == 302
    world.decision.refresh_from_db()
    assert world.decision.is_withdrawn

    world.company.post(reverse("set_language"), {"language": language, "next": "/"})
    page = world.company.get(
        reverse("proposals:detail", kwargs={"pk": world.winner.pk})
    ).content.decode()
    assert 'data-testid="decision-revoked"' in page
    assert 'data-testid="deliverables"' in page  # the ended contract, its prize cancelled
    for text in expected:
        assert text in page
    assert objection.number in page
    assert "Criterium 2 is verkeerd gescoord." in page  # the officer's answer, as written
    assert foreign not in page
    assert "intended decision" not in page
    assert "standstill" not in page
    assert not any(word in page for word in PROCUREMENT_WORDS)
