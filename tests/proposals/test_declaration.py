"""The declaration on submission: per call, from the instrument's standard text, editable by
the officer (nl and en); required on the page, in the API and in the service; kept with the
proposal as it read then, and stated on the receipt."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from calls.models import Call
from calls.structures import declaration_text, standard_declaration
from portal.exceptions import DomainError
from proposals.models import Proposal
from proposals.services.submission import proposal_submit
from tests.calls.factories import draft_call, published_call
from tests.calls.test_officer_pages import form_data
from tests.calls.test_officer_pages import officer_client as call_officer_client
from tests.calls.test_officer_pages import url as call_url
from tests.factories import api_key_for

from .factories import complete_draft
from .test_company_pages import pdf_text

pytestmark = pytest.mark.django_db

OWN_TEXT = "Wij verklaren alles naar waarheid te hebben ingevuld en het reglement te aanvaarden."


def submit_url(proposal) -> str:
    return reverse("proposals:submit", args=[proposal.pk])


def api_for(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_key_for(user)}")
    return client


# --- The text per call ---------------------------------------------------------------------


@pytest.mark.parametrize("instrument", list(Call.Instrument))
def test_a_new_call_starts_with_its_instruments_declaration_in_both_languages(instrument):
    call = draft_call(instrument=instrument)

    assert call.declaration == standard_declaration(instrument, "nl")
    assert call.declaration_en == standard_declaration(instrument, "en")
    assert call.declaration != call.declaration_en
    assert "true" in call.declaration_en


def test_the_officer_edits_the_declaration_on_the_call_form():
    call = draft_call()
    client = call_officer_client(call.officer)
    form = client.get(call_url("officer_edit", call)).context["form"]
    assert {"declaration", "declaration_en"} <= set(form.fields)
    data = form_data(form)
    data.update(declaration=OWN_TEXT, declaration_en="We declare it all true.")

    response = client.post(call_url("officer_edit", call), data)

    assert response.status_code == 302
    call.refresh_from_db()
    assert call.declaration == OWN_TEXT
    assert declaration_text(call, "en") == "We declare it all true."


def test_an_empty_declaration_falls_back_to_the_standard_text():
    call = published_call()
    Call.objects.filter(pk=call.pk).update(declaration="", declaration_en="")
    call.refresh_from_db()

    assert declaration_text(call, "nl") == standard_declaration(call.instrument, "nl")
    assert declaration_text(call, "en") == standard_declaration(call.instrument, "en")


# --- Submitting: the page, the API, the service --------------------------------------------


def test_the_page_refuses_a_submission_without_the_declaration_and_keeps_the_draft(client):
    call = published_call()
    Call.objects.filter(pk=call.pk).update(declaration=OWN_TEXT)
    draft = complete_draft(call=call)
    client.force_login(draft.person)

    page = client.get(submit_url(draft))
    assert OWN_TEXT in page.content.decode()
    assert 'name="declaration"' in page.content.decode()
    refused = client.post(submit_url(draft))

    assert refused.status_code == 200
    assert 'data-testid="error-summary"' in refused.content.decode()
    draft.refresh_from_db()
    assert draft.status == Proposal.Status.DRAFT
    assert draft.declared_at is None

    done = client.post(submit_url(draft), {"declaration": "on"})

    assert done.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Proposal.Status.SUBMITTED
    assert draft.declaration_text == OWN_TEXT
    assert draft.declared_at == draft.submitted_at


@pytest.mark.parametrize(
    ("body", "code"),
    [({}, "invalid"), ({"declaration_accepted": False}, "declaration")],
)
def test_the_api_refuses_a_submission_without_the_declaration(body, code):
    draft = complete_draft()
    address = reverse("api-proposal-submit", args=[draft.pk])

    response = api_for(draft.person).post(address, body, format="json")

    assert response.status_code == 400
    if code == "declaration":
        assert response.json()["code"] == "declaration"
    else:
        assert "declaration_accepted" in response.content.decode()
    assert Proposal.objects.get(pk=draft.pk).status == Proposal.Status.DRAFT


def test_the_api_submits_with_the_declaration_and_shows_what_was_declared():
    draft = complete_draft()
    address = reverse("api-proposal-submit", args=[draft.pk])

    response = api_for(draft.person).post(address, {"declaration_accepted": True}, format="json")

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "submitted"
    assert body["declaration_text"] == declaration_text(draft.call, "nl")
    assert body["declared_at"]
    call = api_for(draft.person).get(reverse("api-call-detail", args=[draft.call.pk])).json()
    assert call["declaration"] == declaration_text(draft.call, "nl")
    assert call["declaration_en"] == declaration_text(draft.call, "en")


def test_the_service_refuses_without_the_declaration():
    draft = complete_draft()

    with pytest.raises(DomainError) as refused:
        proposal_submit(proposal=draft, actor=draft.person, declaration_accepted=False)

    assert refused.value.code == "declaration"
    assert Proposal.objects.get(pk=draft.pk).status == Proposal.Status.DRAFT


# --- Kept as it read, and on the receipt -----------------------------------------------------


def test_the_declaration_is_a_snapshot_and_the_receipt_states_it(client):
    call = published_call()
    Call.objects.filter(pk=call.pk).update(declaration=OWN_TEXT)
    draft = complete_draft(call=call)
    submitted = proposal_submit(proposal=draft, actor=draft.person, declaration_accepted=True)
    Call.objects.filter(pk=call.pk).update(declaration="Een latere, andere tekst.")

    submitted.refresh_from_db()
    assert submitted.declaration_text == OWN_TEXT
    client.force_login(draft.person)
    response = client.get(reverse("proposals:receipt", args=[submitted.pk]))
    assert response.status_code == 200
    _pages, text = pdf_text(response.content)

    flat = " ".join(text.split())
    assert "Verklaring" in flat
    assert OWN_TEXT in flat
    assert "Een latere, andere tekst." not in flat


@pytest.mark.parametrize(
    ("language", "heading", "declared", "subject"),
    [
        ("en", "Receipt of a proposal", "We declare", "Receipt of your proposal"),
        ("nl", "Ontvangstbevestiging", "Wij verklaren", "Ontvangstbevestiging"),
    ],
)
def test_the_receipt_and_its_mail_speak_the_language_the_company_submitted_in(
    client, django_capture_on_commit_callbacks, language, heading, declared, subject
):
    """Submitted from the English page: an English receipt quoting the English declaration,
    an English mail; the documents are listed by their kind, with the file's name."""
    from django.core import mail

    call = published_call()
    draft = complete_draft(call=call)
    client.force_login(draft.person)
    client.cookies["django_language"] = language
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(submit_url(draft), {"declaration": "on"})
    assert response.status_code == 302
    submitted = Proposal.objects.get(pk=draft.pk)
    assert submitted.submission_language == language
    assert submitted.declaration_text.startswith(declared)

    client.cookies["django_language"] = "nl" if language == "en" else "en"  # read elsewhere
    receipt = client.get(reverse("proposals:receipt", args=[submitted.pk]))
    content = b"".join(receipt.streaming_content)
    pages, text = pdf_text(content)
    flat = " ".join(text.split())
    assert heading in flat
    assert declared in flat
    other = "Wij verklaren" if language == "en" else "We declare"
    assert other not in flat
    for attachment in submitted.attachments.select_related("required_document"):
        assert f"{attachment.required_document.name} {attachment.original_name}" in flat
    assert pages == 1

    (message,) = mail.outbox
    assert message.subject.startswith(subject)
    english_body = "We have received your proposal" in message.body
    assert english_body == (language == "en")
