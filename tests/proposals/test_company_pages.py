"""The company's proposal pages, through the doors people use: start, draft, submit, follow up.

Each refusal (bad amount, bad file, late, double click, funnel) is tested on the page, and
who may open which page is tested as a matrix against proposals of other organisations.
"""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from calls.models import Phase, Question
from portal.models import Role
from proposals.forms.company import LenientDecimalField, normalise_number
from proposals.models import Contract, Deliverable, Proposal
from proposals.services.submission import proposal_start, proposal_submit
from tests.calls.factories import published_call
from tests.factories import person_with_role

from .factories import PDF, applicant, complete_draft, deadline_passed, pdf_upload

pytestmark = pytest.mark.django_db

EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 500


DECLARED = {"declaration": "on"}  # the company ticks the call's declaration


def url(name: str, *args) -> str:
    return reverse(f"proposals:{name}", args=args)


def in_english(client):
    client.cookies["django_language"] = "en"
    return client


def text_of(response) -> str:
    return response.content.decode()


@pytest.fixture
def call():
    """A published SBIR call whose form has one question of every kind."""
    call = published_call()
    kinds = [
        (Question.Kind.TEXT, "Welke partijen testen het prototype?", ""),
        (Question.Kind.NUMBER, "Hoeveel viaducten kunnen jaarlijks worden hergebruikt?", ""),
        (Question.Kind.YES_NO, "Heeft u eerder met een overheid samengewerkt?", ""),
        (Question.Kind.CHOICE, "Welk materiaal gebruikt u vooral?", "Beton\nStaal\nHout"),
        (Question.Kind.FILE, "Tekening van het ontwerp", ""),
    ]
    call.q = {}
    for order, (kind, text, choices) in enumerate(kinds, start=1):
        call.q[kind] = Question.objects.create(
            call=call, order=order, text=text, kind=kind, choices=choices, required=True
        )
    return call


@pytest.fixture
def phase(call):
    return call.phases.get(order=1)


@pytest.fixture
def person():
    return applicant()


def draft_data(call, **overrides) -> dict:
    q = call.q
    data = {
        "title": "Demontabel viaduct",
        "summary": "Een viaduct van herbruikbare elementen.",
        "approach": "Ontwerp, rekenmodel en proefopstelling.",
        "team": "Twee constructeurs en een materiaalkundige.",
        "planning": "Vier maanden.",
        "requested_amount": "20000",
        "consortium_partners": "Bouwbedrijf Noord B.V. (KvK 12345678)",
        f"q_{q[Question.Kind.TEXT].pk}": "Rijkswaterstaat en de gemeente Utrecht.",
        f"q_{q[Question.Kind.NUMBER].pk}": "12,5",
        f"q_{q[Question.Kind.YES_NO].pk}": "yes",
        f"q_{q[Question.Kind.CHOICE].pk}": "Staal",
        "action": "save",
    }
    data.update(overrides)
    return data


def with_documents(phase, data: dict, call=None) -> dict:
    for document in phase.required_documents.all():
        data[f"doc_{document.pk}"] = pdf_upload(f"{document.name}.pdf")
    if call is not None:
        data[f"q_{call.q[Question.Kind.FILE].pk}"] = pdf_upload("tekening.pdf")
    return data


def started(phase, person) -> Proposal:
    return proposal_start(phase=phase, actor=person, title="Demontabel viaduct")


def pdf_text(content: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(content))
    return len(reader.pages), "".join(page.extract_text() or "" for page in reader.pages)


# --- The whole flow ---------------------------------------------------------------------------


def test_from_start_to_receipt_and_withdrawal_through_the_pages(
    client, call, phase, person, django_capture_on_commit_callbacks
):
    client.force_login(person)

    confirmation = client.get(url("start", phase.pk))
    assert confirmation.status_code == 200
    for document in phase.required_documents.all():
        assert document.name in text_of(confirmation)

    response = client.post(url("start", phase.pk), {"title": "Demontabel viaduct"})
    proposal = Proposal.objects.get(company__memberships__user=person)
    assert response.status_code == 302
    assert response.url == url("edit", proposal.pk)

    form = client.get(url("edit", proposal.pk))
    assert form.status_code == 200
    for question in call.q.values():
        assert f'name="q_{question.pk}"' in text_of(form)

    response = client.post(
        url("edit", proposal.pk),
        with_documents(phase, draft_data(call, action="submit"), call=call),
    )
    assert response.status_code == 302
    assert response.url == url("submit", proposal.pk)
    proposal.refresh_from_db()
    assert proposal.requested_amount == Decimal("20000.00")
    answers = {entry["question"]["id"]: entry["answer"] for entry in proposal.answers}
    assert answers[call.q[Question.Kind.NUMBER].pk] == "12.5"
    assert answers[call.q[Question.Kind.YES_NO].pk] is True
    assert answers[call.q[Question.Kind.CHOICE].pk] == "Staal"
    assert proposal.attachments.count() == phase.required_documents.count() + 1

    checklist = client.get(url("submit", proposal.pk))
    assert checklist.status_code == 200
    assert 'data-testid="complete"' in text_of(checklist)
    assert 'data-testid="missing"' not in text_of(checklist)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("submit", proposal.pk), DECLARED)
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.SUBMITTED
    assert response.status_code == 302
    assert response.url == url("detail", proposal.pk)
    assert len(mail.outbox) == 1

    page = client.get(url("detail", proposal.pk))
    assert page.status_code == 200
    assert proposal.submission_number in text_of(page)
    assert "Rijkswaterstaat en de gemeente Utrecht." in text_of(page)
    assert url("receipt", proposal.pk) in text_of(page)
    assert url("withdraw", proposal.pk) in text_of(page)
    assert proposal.submission_number in str(next(iter(page.context["messages"])))

    receipt = client.get(url("receipt", proposal.pk))
    assert receipt.status_code == 200
    assert receipt["Content-Type"] == "application/pdf"
    pages, text = pdf_text(b"".join(receipt.streaming_content))
    assert pages >= 1
    assert proposal.submission_number in text

    assert client.get(url("withdraw", proposal.pk)).status_code == 200
    response = client.post(url("withdraw", proposal.pk))
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.WITHDRAWN
    assert proposal.withdrawn_at is not None


def test_receipt_is_rendered_on_the_spot_while_the_task_has_not_run(client):
    proposal = complete_draft()
    proposal_submit(
        proposal=proposal, actor=proposal.person, declaration_accepted=True
    )  # on_commit never runs here
    proposal.refresh_from_db()
    assert not proposal.receipt
    client.force_login(proposal.person)

    response = client.get(url("receipt", proposal.pk))

    assert response.status_code == 200
    pages, text = pdf_text(response.content)
    assert pages >= 1
    assert proposal.submission_number in text


def test_a_draft_has_no_receipt(client):
    proposal = complete_draft()
    client.force_login(proposal.person)
    assert client.get(url("receipt", proposal.pk)).status_code == 404


# --- Saving never loses what was typed --------------------------------------------------------


def test_a_bad_amount_keeps_every_other_field_saved_and_the_bad_value_shown(
    client, call, phase, person
):
    proposal = started(phase, person)
    in_english(client).force_login(person)

    response = client.post(
        url("edit", proposal.pk),
        draft_data(call, requested_amount="twintig mille", summary="Nieuwe samenvatting."),
    )

    assert response.status_code == 200
    page = text_of(response)
    assert 'data-testid="error-summary"' in page
    assert 'value="twintig mille"' in page
    assert 'aria-invalid="true"' in page
    assert 'data-testid="partly-saved"' in page
    assert "Requested amount" in page.split('data-testid="partly-saved"')[1].split("</div>")[0]
    proposal.refresh_from_db()
    assert proposal.summary == "Nieuwe samenvatting."
    assert proposal.team == "Twee constructeurs en een materiaalkundige."
    assert proposal.requested_amount is None
    answers = {entry["question"]["id"]: entry["answer"] for entry in proposal.answers}
    assert answers[call.q[Question.Kind.TEXT].pk] == "Rijkswaterstaat en de gemeente Utrecht."


def test_an_invalid_answer_keeps_the_earlier_answer_and_shows_what_was_typed(
    client, call, phase, person
):
    proposal = started(phase, person)
    client.force_login(person)
    number = call.q[Question.Kind.NUMBER]
    client.post(url("edit", proposal.pk), draft_data(call))

    response = client.post(url("edit", proposal.pk), draft_data(call, **{f"q_{number.pk}": "veel"}))

    assert response.status_code == 200
    assert 'value="veel"' in text_of(response)
    proposal.refresh_from_db()
    answers = {entry["question"]["id"]: entry["answer"] for entry in proposal.answers}
    assert answers[number.pk] == "12.5"


@pytest.mark.parametrize(
    ("language", "typed", "amount"),
    [
        ("nl", "20000", "20000"),
        ("nl", "20000,50", "20000.50"),
        ("nl", "20000.50", "20000.50"),
        ("nl", "€ 20.000,50", "20000.50"),
        ("nl", "20.000", "20000"),
        ("nl", "1.500.000", "1500000"),
        ("nl", "12,345", "12.345"),
        ("en", "20,000.50", "20000.50"),
        ("en", "20,000", "20000"),
        ("en", "12.345", "12.345"),
        ("en", "12,5", "12.5"),
    ],
)
def test_numbers_are_read_in_the_notation_of_the_pages_language(language, typed, amount):
    assert Decimal(normalise_number(typed, language)) == Decimal(amount)


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("stored", ["12.345", "20000.50", "0.5", "1500000"])
def test_a_stored_number_reads_back_as_the_same_number(language, stored):
    from django.utils import translation

    field = LenientDecimalField(max_digits=20, decimal_places=4)
    with translation.override(language):
        shown = field.prepare_value(Decimal(stored))
        assert field.clean(shown) == Decimal(stored)


def _first_document(phase):
    return phase.required_documents.order_by("order").first()


@pytest.mark.parametrize(
    ("upload", "phrase"),
    [
        (SimpleUploadedFile("plan.pdf", EXECUTABLE, "application/pdf"), "is not really a .pdf"),
        (SimpleUploadedFile("plan.pdf", b"", "application/pdf"), "is empty"),
        (SimpleUploadedFile("plan.pdf", PDF + b"0" * 4096, "application/pdf"), "is larger than"),
    ],
    ids=["executable-renamed-to-pdf", "empty", "oversized"],
)
def test_refused_files_are_named_on_the_page_and_the_rest_is_saved(
    client, settings, call, phase, person, upload, phrase
):
    settings.UPLOAD_MAX_SIZE = 2048
    proposal = started(phase, person)
    document = _first_document(phase)
    other = phase.required_documents.exclude(pk=document.pk).first()
    in_english(client).force_login(person)

    data = draft_data(call, summary="Bewaard ondanks het bestand.")
    data[f"doc_{document.pk}"] = upload
    data[f"doc_{other.pk}"] = pdf_upload("samenvatting.pdf")
    response = client.post(url("edit", proposal.pk), data)

    assert response.status_code == 200
    page = text_of(response)
    assert 'data-testid="error-summary"' in page
    field_html = page.split(f'data-testid="field-doc_{document.pk}"')[1].split("</div>\n</div>")[0]
    assert phrase in field_html
    assert 'data-testid="partly-saved"' in page
    proposal.refresh_from_db()
    assert proposal.summary == "Bewaard ondanks het bestand."
    assert not proposal.attachments.filter(required_document=document).exists()
    assert proposal.attachments.filter(required_document=other).exists()


def test_a_refused_replacement_keeps_the_earlier_file(client, call, phase, person):
    proposal = started(phase, person)
    document = _first_document(phase)
    client.force_login(person)
    client.post(url("edit", proposal.pk), {**draft_data(call), f"doc_{document.pk}": pdf_upload()})
    earlier = proposal.attachments.get(required_document=document)

    bad = SimpleUploadedFile("plan.pdf", EXECUTABLE, "application/pdf")
    response = client.post(
        url("edit", proposal.pk), {**draft_data(call), f"doc_{document.pk}": bad}
    )

    assert response.status_code == 200
    assert proposal.attachments.get(required_document=document).pk == earlier.pk
    assert earlier.original_name in text_of(response)


# --- The deadline, double clicks, snapshots ---------------------------------------------------


def test_submitting_one_second_after_the_deadline_is_refused_and_keeps_the_draft(client):
    proposal = complete_draft()
    deadline = proposal.call.deadline

    with time_machine.travel(deadline + timedelta(seconds=1)):
        in_english(client).force_login(proposal.person)  # sessions expire; log in then
        response = client.post(url("submit", proposal.pk), DECLARED)

    assert response.status_code == 200
    page = text_of(response)
    assert 'data-testid="refusal"' in page
    assert "has passed" in page
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.DRAFT
    assert proposal.summary  # nothing lost
    assert not proposal.submission_number


def test_submitting_one_second_before_the_deadline_is_in(client):
    proposal = complete_draft()
    with time_machine.travel(proposal.call.deadline - timedelta(seconds=1)):
        client.force_login(proposal.person)
        response = client.post(url("submit", proposal.pk), DECLARED)
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.SUBMITTED


def test_an_incomplete_proposal_shows_what_is_missing(client, phase, person):
    proposal = started(phase, person)
    client.force_login(person)

    checklist = client.get(url("submit", proposal.pk))
    response = client.post(url("submit", proposal.pk), DECLARED)

    for page in (checklist, response):
        assert 'data-testid="missing"' in text_of(page)
        for document in phase.required_documents.all():
            assert document.name in text_of(page)
    assert 'data-testid="refusal"' in text_of(response)
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.DRAFT


def test_after_the_deadline_the_draft_is_read_only_and_a_post_changes_nothing(client):
    proposal = complete_draft()

    with time_machine.travel(proposal.call.deadline + timedelta(seconds=1)):
        in_english(client).force_login(proposal.person)
        page = client.get(url("edit", proposal.pk))
        posted = client.post(url("edit", proposal.pk), {"title": "Te laat", "summary": "Nieuw"})

    assert 'data-testid="frozen"' in text_of(page)
    assert 'data-testid="save"' not in text_of(page)
    assert "readonly" in text_of(page)
    assert posted.status_code == 200
    assert 'value="Te laat"' in text_of(posted)  # what was typed is still on screen
    proposal.refresh_from_db()
    assert proposal.title == "Demontabel viaduct"


def test_a_submitted_proposal_is_read_only(client):
    proposal = complete_draft()
    proposal_submit(proposal=proposal, actor=proposal.person, declaration_accepted=True)
    client.force_login(proposal.person)

    page = client.get(url("edit", proposal.pk))
    client.post(url("edit", proposal.pk), {"title": "Gewijzigd"})

    assert 'data-testid="frozen"' in text_of(page)
    proposal.refresh_from_db()
    assert proposal.title == "Demontabel viaduct"


def test_a_double_click_on_submit_makes_one_submission_and_one_receipt(
    client, django_capture_on_commit_callbacks
):
    proposal = complete_draft()
    client.force_login(proposal.person)

    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(url("submit", proposal.pk), DECLARED)
        second = client.post(url("submit", proposal.pk), DECLARED)

    assert first.status_code == second.status_code == 302
    assert first.url == second.url == url("detail", proposal.pk)
    assert Proposal.objects.filter(status=Proposal.Status.SUBMITTED).count() == 1
    assert len(mail.outbox) == 1


def test_answers_stay_as_given_when_the_officer_later_rewords_the_question(
    client, call, phase, person
):
    proposal = started(phase, person)
    client.force_login(person)
    client.post(url("edit", proposal.pk), with_documents(phase, draft_data(call), call=call))
    proposal_submit(proposal=proposal, actor=person, declaration_accepted=True)
    question = call.q[Question.Kind.TEXT]
    original = question.text

    Question.objects.filter(pk=question.pk).update(text="Een heel andere vraag?")
    page = text_of(client.get(url("detail", proposal.pk)))

    assert original in page
    assert "Een heel andere vraag?" not in page
    assert "Rijkswaterstaat en de gemeente Utrecht." in page


# --- Starting: who, and when not --------------------------------------------------------------


def test_the_prototype_phase_is_refused_without_an_awarded_feasibility_proposal(client, call):
    prototype = call.phases.get(order=2)
    Phase.objects.filter(pk=prototype.pk).update(deadline=call.deadline + timedelta(days=200))
    person = applicant()
    in_english(client).force_login(person)

    page = client.get(url("start", prototype.pk))
    response = client.post(url("start", prototype.pk), {"title": "Prototype"})

    assert page.status_code == 200
    assert 'data-testid="problem"' in text_of(page)
    assert 'data-testid="start"' not in text_of(page)
    assert response.status_code == 200
    assert "previous phase was awarded" in text_of(response)
    assert not Proposal.objects.filter(phase=prototype).exists()


def test_starting_after_the_deadline_is_refused_with_a_message(client, phase, person):
    with time_machine.travel(phase.call.deadline + timedelta(seconds=1)):
        in_english(client).force_login(person)
        response = client.post(url("start", phase.pk), {"title": "Te laat"})
    assert response.status_code == 200
    assert "has passed" in text_of(response)
    assert not Proposal.objects.exists()


def test_a_second_proposal_for_the_same_phase_is_refused_with_a_message(client, phase, person):
    proposal = started(phase, person)
    in_english(client).force_login(person)

    response = client.post(url("start", phase.pk), {"title": "Nog een"})

    assert response.status_code == 200
    page = text_of(response)
    assert "already has a proposal" in page
    assert url("detail", proposal.pk) in page
    assert Proposal.objects.count() == 1


def test_a_draft_can_be_deleted(client, phase, person):
    proposal = started(phase, person)
    client.force_login(person)
    response = client.post(url("withdraw", proposal.pk))
    assert response.status_code == 302
    assert response.url == url("mine")
    assert not Proposal.objects.filter(pk=proposal.pk).exists()


def test_withdrawing_after_the_deadline_is_refused(client):
    proposal = complete_draft()
    proposal_submit(proposal=proposal, actor=proposal.person, declaration_accepted=True)
    with time_machine.travel(proposal.call.deadline + timedelta(seconds=1)):
        client.force_login(proposal.person)
        page = client.get(url("withdraw", proposal.pk))
        client.post(url("withdraw", proposal.pk))
    assert 'data-testid="problem"' in text_of(page)
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.SUBMITTED


# --- Documents --------------------------------------------------------------------------------


def test_an_attachment_is_served_to_the_owner_as_a_download(client):
    proposal = complete_draft()
    attachment = proposal.attachments.first()
    client.force_login(proposal.person)

    response = client.get(url("attachment", proposal.pk, attachment.pk))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert attachment.original_name.replace(" ", "_") in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]


def test_an_attachment_is_not_served_through_another_proposal(client):
    mine = complete_draft()
    theirs = complete_draft(call=mine.call)
    client.force_login(mine.person)
    response = client.get(url("attachment", mine.pk, theirs.attachments.first().pk))
    assert response.status_code == 404


def test_a_hostile_file_name_is_made_safe_in_the_download():
    from portal.files import safe_filename

    assert safe_filename('../../etc/"passwd\r\n.pdf', "x") == "passwd.pdf"
    assert safe_filename("C:\\Users\\plan v2.pdf", "x") == "plan_v2.pdf"
    assert safe_filename("", "document-1") == "document-1"


# --- Deliverables -----------------------------------------------------------------------------


def test_the_company_delivers_its_report_and_a_bad_file_is_refused(client):
    draft = complete_draft()
    person = draft.person
    proposal, deliverable = awarded_with_deliverable_for(draft)
    in_english(client).force_login(person)

    detail = text_of(client.get(url("detail", proposal.pk)))
    assert "Sterk en haalbaar plan." in detail
    assert url("deliver", deliverable.pk) in detail
    assert url("deliver", deliverable.pk) in text_of(client.get(url("mine")))

    bad = client.post(
        url("deliver", deliverable.pk),
        {"file": SimpleUploadedFile("rapport.pdf", EXECUTABLE, "application/pdf")},
    )
    assert bad.status_code == 200
    assert "is not really a .pdf" in text_of(bad)
    deliverable.refresh_from_db()
    assert deliverable.status == Deliverable.Status.PENDING

    good = client.post(url("deliver", deliverable.pk), {"file": pdf_upload("rapport.pdf")})
    assert good.status_code == 302
    deliverable.refresh_from_db()
    assert deliverable.status == Deliverable.Status.DELIVERED


def awarded_with_deliverable_for(draft: Proposal) -> tuple[Proposal, Deliverable]:
    proposal = proposal_submit(proposal=draft, actor=draft.person, declaration_accepted=True)
    Proposal.objects.filter(pk=proposal.pk).update(
        status=Proposal.Status.AWARDED, decision_motivation="Sterk en haalbaar plan."
    )
    contract = Contract.objects.create(
        proposal=proposal,
        amount=Decimal("20000.00"),
        start_date=proposal.call.deadline.date(),
        end_date=proposal.call.deadline.date() + timedelta(days=120),
    )
    deliverable = Deliverable.objects.create(
        contract=contract,
        kind=Deliverable.Kind.FEASIBILITY_REPORT,
        name="Haalbaarheidsrapport",
        due_date=contract.end_date,
        amount=Decimal("20000.00"),
    )
    proposal.refresh_from_db()
    return proposal, deliverable


# --- Who may open what ------------------------------------------------------------------------


@pytest.fixture
def world():
    """One call with a draft, a submitted and an awarded proposal of three companies."""
    call = published_call()
    draft = complete_draft(call=call)
    submitted = complete_draft(call=call)
    proposal_submit(proposal=submitted, actor=submitted.person, declaration_accepted=True)
    awarded_draft = complete_draft(call=call)
    awarded, deliverable = awarded_with_deliverable_for(awarded_draft)
    submitted.refresh_from_db()
    return {
        "call": call,
        "phase": call.phases.get(order=1),
        "draft": draft,
        "submitted": submitted,
        "awarded": awarded,
        "deliverable": deliverable,
        "people": {
            "owner-of-draft": draft.person,
            "owner-of-submitted": submitted.person,
            "owner-of-awarded": awarded_draft.person,
            "other-company": applicant(),
            "officer-of-the-call": person_with_role(
                Role.PROCUREMENT_OFFICER, organisation=call.authority
            ),
            "officer-elsewhere": person_with_role(Role.PROCUREMENT_OFFICER),
            "ministry-staff": person_with_role(Role.MINISTRY_STAFF),
        },
    }


def _as(who: str, world, client, verified_client):
    if who == "anonymous":
        return client
    person = world["people"][who]
    if who.startswith("owner") or who == "other-company":
        client.force_login(person)
        return client
    return verified_client(person)


PROPOSAL_PAGES = ("detail", "edit", "submit", "receipt", "attachment", "withdraw")
# (who, which proposal) -> expected status per page; 302 for a page that sends elsewhere.
MATRIX = {
    ("owner-of-draft", "draft"): (200, 200, 200, 404, 200, 200),
    ("owner-of-submitted", "submitted"): (200, 200, 302, 200, 200, 200),
    ("owner-of-draft", "submitted"): (404,) * 6,
    ("other-company", "draft"): (404,) * 6,
    ("other-company", "submitted"): (404,) * 6,
    ("officer-of-the-call", "draft"): (404,) * 6,
    # Sealed until the deadline: not even the call's officer sees it (see the test below).
    ("officer-of-the-call", "submitted"): (404,) * 6,
    ("officer-elsewhere", "draft"): (404,) * 6,
    ("officer-elsewhere", "submitted"): (404,) * 6,
    ("ministry-staff", "draft"): (404,) * 6,
    ("ministry-staff", "submitted"): (404,) * 6,
}


@pytest.mark.parametrize(("who", "which"), list(MATRIX), ids=lambda v: str(v))
def test_who_may_open_which_proposal_page(who, which, world, client, verified_client):
    proposal = world[which]
    client = _as(who, world, client, verified_client)
    attachment = proposal.attachments.first()
    targets = {
        "detail": url("detail", proposal.pk),
        "edit": url("edit", proposal.pk),
        "submit": url("submit", proposal.pk),
        "receipt": url("receipt", proposal.pk),
        "attachment": url("attachment", proposal.pk, attachment.pk),
        "withdraw": url("withdraw", proposal.pk),
    }
    got = tuple(client.get(targets[page]).status_code for page in PROPOSAL_PAGES)
    assert dict(zip(PROPOSAL_PAGES, got, strict=True)) == dict(
        zip(PROPOSAL_PAGES, MATRIX[(who, which)], strict=True)
    )


@pytest.mark.parametrize("which", ["draft", "submitted"])
def test_anonymous_visitors_are_sent_to_the_login_page(which, world, client):
    proposal = world[which]
    attachment = proposal.attachments.first()
    targets = [
        url("mine"),
        url("start", world["phase"].pk),
        url("detail", proposal.pk),
        url("edit", proposal.pk),
        url("submit", proposal.pk),
        url("receipt", proposal.pk),
        url("attachment", proposal.pk, attachment.pk),
        url("withdraw", proposal.pk),
        url("deliver", world["deliverable"].pk),
    ]
    for target in targets:
        response = client.get(target)
        assert response.status_code == 302, target
        assert response.url.startswith(reverse("login")), target


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("owner-of-awarded", 200),
        ("owner-of-draft", 404),
        ("other-company", 404),
        ("officer-of-the-call", 404),
        ("officer-elsewhere", 404),
        ("ministry-staff", 404),
    ],
)
def test_only_the_contracts_company_may_deliver(who, expected, world, client, verified_client):
    client = _as(who, world, client, verified_client)
    target = url("deliver", world["deliverable"].pk)
    assert client.get(target).status_code == expected
    response = client.post(target, {"file": pdf_upload("rapport.pdf")})
    assert response.status_code == (302 if expected == 200 else 404)


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("other-company", 200),
        ("officer-of-the-call", 403),
        ("officer-elsewhere", 403),
        ("ministry-staff", 403),
    ],
)
def test_only_applicants_may_start_or_list_proposals(who, expected, world, client, verified_client):
    client = _as(who, world, client, verified_client)
    assert client.get(url("start", world["phase"].pk)).status_code == expected
    assert client.get(url("mine")).status_code == expected
    client.post(url("start", world["phase"].pk), {"title": "Poging"})
    assert Proposal.objects.count() == 3 + (expected == 200)


def test_no_one_may_post_to_anothers_proposal(world, client):
    outsider = world["people"]["other-company"]
    client.force_login(outsider)
    draft, submitted = world["draft"], world["submitted"]

    for target in (url("edit", draft.pk), url("submit", draft.pk), url("withdraw", submitted.pk)):
        assert client.post(target, {"title": "Overgenomen"}).status_code == 404
    draft.refresh_from_db()
    submitted.refresh_from_db()
    assert draft.title == "Demontabel viaduct"
    assert draft.status == Proposal.Status.DRAFT
    assert submitted.status == Proposal.Status.SUBMITTED


def test_starting_for_a_draft_call_is_404_for_companies(client, person):
    from tests.calls.factories import draft_call

    call = draft_call()
    client.force_login(person)
    assert client.get(url("start", call.phases.get(order=1).pk)).status_code == 404


def test_after_the_deadline_the_officer_opens_the_proposal_and_its_documents(
    world, verified_client
):
    proposal = world["submitted"]
    client = verified_client(world["people"]["officer-of-the-call"])
    deadline_passed(world["call"])

    attachment = proposal.attachments.first()
    assert client.get(url("detail", proposal.pk)).status_code == 200
    assert client.get(url("attachment", proposal.pk, attachment.pk)).status_code == 200
    for page in ("edit", "submit", "receipt", "withdraw"):
        assert client.get(url(page, proposal.pk)).status_code == 404


def test_a_cleared_assessor_sees_the_company_page_of_an_assigned_proposal(client, world):
    """The detail page asks proposals.view_proposal, so a not-cleared assessor gets 404."""
    from proposals.models import Committee, CommitteeMember, ConflictDeclaration

    deadline_passed(world["call"])
    proposal = world["submitted"]
    Proposal.objects.filter(pk=proposal.pk).update(status=Proposal.Status.UNDER_ASSESSMENT)
    committee = Committee.objects.create(phase=world["phase"], code_of_conduct="Vertrouwelijk.")
    assessor = person_with_role(Role.ASSESSOR, organisation=world["call"].authority)
    seat = CommitteeMember.objects.create(committee=committee, user=assessor)
    from tests.conftest import login_verified

    login_verified(client, assessor)
    assert client.get(url("detail", proposal.pk)).status_code == 404

    CommitteeMember.objects.filter(pk=seat.pk).update(code_accepted_at=world["call"].deadline)
    ConflictDeclaration.objects.create(member=seat, proposal=proposal, has_conflict=False)
    seat.assignments.create(proposal=proposal)
    assert client.get(url("detail", proposal.pk)).status_code == 200
    assert client.get(url("edit", proposal.pk)).status_code == 404


# --- Speed ------------------------------------------------------------------------------------


def _proposals_for(person, count: int) -> None:
    company = person.memberships.get(role=Role.APPLICANT).organisation
    call = published_call()
    for index in range(count):
        phase = Phase.objects.create(
            call=call,
            order=10 + index,
            kind=Phase.Kind.FEASIBILITY,
            name=f"Ronde {index}",
            budget=Decimal("100000.00"),
            max_per_award=Decimal("10000.00"),
            planned_awards=1,
            duration_months=3,
            deadline=call.deadline,
        )
        Proposal.objects.create(
            call=call,
            phase=phase,
            company=company,
            created_by=person,
            title=f"Voorstel {index}",
            status=Proposal.Status.SUBMITTED if index % 2 else Proposal.Status.DRAFT,
            submission_number=f"{call.reference}-{index}" if index % 2 else "",
        )


def _queries_for_my_proposals(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url("mine"))
    assert response.status_code == 200
    return len(queries)


def test_my_proposals_runs_a_constant_number_of_queries(client):
    few, many = applicant(), applicant()
    _proposals_for(few, 3)
    _proposals_for(many, 40)
    awarded_with_deliverable_for(complete_draft(person=many))

    client.force_login(few)
    count_few = _queries_for_my_proposals(client)
    client.force_login(many)
    count_many = _queries_for_my_proposals(client)

    assert count_few == count_many
    page = text_of(client.get(url("mine")))
    assert "Voorstel 39" in page
    assert "Haalbaarheidsrapport" in page


def test_my_proposals_shows_status_number_and_deadline_with_zone(client):
    proposal = complete_draft()
    proposal_submit(proposal=proposal, actor=proposal.person, declaration_accepted=True)
    proposal.refresh_from_db()
    client.force_login(proposal.person)

    page = text_of(client.get(url("mine")))

    assert proposal.submission_number in page
    assert url("detail", proposal.pk) in page
    assert f'data-testid="status-{proposal.pk}"' in page
    assert ("CET" in page) or ("CEST" in page)


@pytest.mark.django_db
def test_call_page_offers_a_proposal_only_while_the_first_phase_is_open(client):
    call = published_call()
    feasibility = call.phases.get(order=1)
    start = reverse("proposals:start", args=[feasibility.pk])

    assert start in client.get(call.get_absolute_url()).content.decode()
    with time_machine.travel(call.deadline + timedelta(seconds=1)):
        assert start not in client.get(call.get_absolute_url()).content.decode()
