"""How the PDFs read on paper: a table row of the advice never splits over two pages (its
proposal number stays with its assessors), names are never hyphenated, and the receipts show
each SHA-256 fingerprint in fixed groups that can be copied and compared."""

import re
from io import BytesIO

import pytest
from django.urls import reverse
from pypdf import PdfReader

from proposals.services.assessment import advice_sign, code_of_conduct_accept, consensus_record
from proposals.services.submission import proposal_submit

from .factories import complete_draft
from .test_assessment_pages import build_committee, cleared

pytestmark = pytest.mark.django_db

SURNAMES = ("Bakker", "Mulder", "Ouali", "Hendriks", "Visser", "Ruimschoot")


def page_texts(response) -> list[str]:
    """The text of each page, as the tests of the other PDFs extract it (pypdf)."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return [page.extract_text() or "" for page in PdfReader(BytesIO(content)).pages]


@pytest.fixture
def long_advice():
    """A signed advice whose snapshot has 60 proposals, each assessed by six members (rows of
    several lines, so the "who assessed what" table runs over pages)."""
    setting = build_committee(1, members=1)
    chair, proposal = setting["chair"], setting["proposals"][0]
    cleared(chair, [proposal])
    code_of_conduct_accept(member=setting["members"][0], actor=setting["members"][0].user)
    for criterion in setting["criteria"]:
        consensus_record(
            proposal=proposal,
            actor=chair.user,
            criterion_id=criterion.pk,
            score=8,
            motivation="Besproken",
        )
    advice = advice_sign(committee=setting["committee"], actor=chair.user, selected=[proposal])
    row = advice.ranking[0]
    advice.ranking = [
        {
            **row,
            "rank": n,
            "submission_number": f"IL-2026-00001-1-{n:04d}",
            "assessed_by": [f"Ir. Pieter{n:02d} {surname}" for surname in SURNAMES],
        }
        for n in range(1, 61)
    ]
    advice.save(update_fields=["ranking"])
    return setting


def test_a_row_of_the_advice_stays_on_one_page_with_its_header_and_names_are_not_hyphenated(
    long_advice, verified_client
):
    officer = verified_client(long_advice["officer"])
    response = officer.get(
        reverse("proposals:advice_pdf", kwargs={"seat_pk": long_advice["chair"].pk})
    )
    assert response.status_code == 200
    pages = page_texts(response)
    who_pages = [
        text.split("Wie beoordeelde wat", 1)[-1]
        for text in pages
        if "Pieter" in text  # the pages of the "who assessed what" table
    ]
    assert len(who_pages) >= 3
    seen = set()
    for text in who_pages:
        # The header row is repeated on every page of the table.
        assert "Beoordeeld door" in text
        flat = " ".join(text.split())
        for n in {int(n) for n in re.findall(r"Pieter(\d\d)", text)}:
            # Every assessor on this page has the proposal's number on the same page: no row
            # starts a page without it, none ends a page without its assessors.
            assert f"IL-2026-00001-1-{n:04d}" in flat, (n, text)
            for surname in SURNAMES:
                # Names are never hyphenated nor broken inside a word.
                assert f"Ir. Pieter{n:02d} {surname}" in flat, (n, surname)
            seen.add(n)
    assert seen == set(range(1, 61))
    assert "Bak-" not in "".join(pages)


def grouped(fingerprint: str) -> tuple[str, str]:
    """The two printed lines of a fingerprint: four groups of eight characters each."""
    groups = [fingerprint[start : start + 8] for start in range(0, 64, 8)]
    return " ".join(groups[:4]), " ".join(groups[4:])


def test_the_receipt_prints_each_fingerprint_whole_in_groups_and_says_how_to_compare(client):
    draft = complete_draft()
    proposal = proposal_submit(proposal=draft, actor=draft.person, declaration_accepted=True)
    client.force_login(draft.person)

    response = client.get(reverse("proposals:receipt", kwargs={"pk": proposal.pk}))

    assert response.status_code == 200
    text = "\n".join(page_texts(response))
    lines = [" ".join(line.split()) for line in text.splitlines()]
    fingerprints = [a.sha256 for a in proposal.attachments.all()] + [proposal.content_hash]
    assert len(fingerprints) >= 2
    for fingerprint in fingerprints:
        assert len(fingerprint) == 64
        first, second = grouped(fingerprint)
        # Each half on a line of its own, exactly: never one character alone on the next line.
        assert first in lines, (fingerprint, text)
        assert second in lines, (fingerprint, text)
        # Copied without its spaces, it is the fingerprint again.
        assert fingerprint in "".join(text.split())
    assert "in groepen van acht tekens" in " ".join(text.split())
