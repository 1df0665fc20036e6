"""A company drafts and submits a proposal in a real browser; axe-core checks the forms."""

import pytest

from calls.models import Question
from calls.structures import declaration_text
from portal.models import Role
from proposals.models import Proposal
from tests.calls.factories import published_call
from tests.factories import PASSWORD, CompanyFactory, person_with_role
from tests.proposals.factories import PDF, applicant, complete_draft
from tests.proposals.test_company_pages import awarded_with_deliverable_for

from .conftest import axe_violations

pytestmark = pytest.mark.django_db(transaction=True)

EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 500


def log_in_as_applicant(page, email: str) -> None:
    page.goto("/account/login/")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url("**/dashboard/")


def a_file(name: str, content: bytes) -> dict:
    return {"name": name, "mimeType": "application/pdf", "buffer": content}


def test_from_draft_to_receipt_with_accessible_forms(page):
    call = published_call()
    phase = call.phases.get(order=1)
    text = Question.objects.create(
        call=call, order=1, text="Welke partijen testen het prototype?", kind="text"
    )
    yes_no = Question.objects.create(
        call=call, order=2, text="Heeft u eerder met een overheid samengewerkt?", kind="yes_no"
    )
    person_with_role(Role.APPLICANT, organisation=CompanyFactory(), email="bedrijf@example.org")
    documents = list(phase.required_documents.order_by("order"))
    log_in_as_applicant(page, "bedrijf@example.org")

    # The confirmation page leads to a fresh draft.
    page.goto(f"/proposals/start/{phase.pk}/")
    assert axe_violations(page) == []
    page.get_by_test_id("start").click()
    page.wait_for_url("**/proposals/*/edit/")
    proposal = Proposal.objects.get()
    assert axe_violations(page) == []  # the empty form

    page.fill("[name=title]", "Demontabel viaduct")
    page.fill("[name=summary]", "Een viaduct van herbruikbare elementen.")
    page.fill("[name=approach]", "Ontwerp, rekenmodel en proefopstelling.")
    page.fill("[name=team]", "Twee constructeurs en een materiaalkundige.")
    page.fill("[name=planning]", "Vier maanden.")
    page.fill("[name=requested_amount]", "€ 20.000")
    page.fill(f"[name=q_{text.pk}]", "Rijkswaterstaat.")
    page.check(f"#id_q_{yes_no.pk}_0")
    # A program disguised as a PDF is refused; the other document is stored.
    page.set_input_files(f"[name=doc_{documents[0].pk}]", a_file("plan.pdf", EXECUTABLE))
    page.set_input_files(f"[name=doc_{documents[1].pk}]", a_file("samenvatting.pdf", PDF))
    page.get_by_test_id("save").click()
    page.wait_for_load_state()

    summary = page.get_by_test_id("error-summary")
    assert summary.is_visible()
    assert "plan.pdf" in summary.inner_text()
    assert page.locator(f"#id_doc_{documents[0].pk}[aria-invalid=true]").count() == 1
    assert page.locator("[name=summary]").input_value() == "Een viaduct van herbruikbare elementen."
    assert axe_violations(page) == []  # the form showing its errors
    proposal.refresh_from_db()
    assert proposal.requested_amount == 20000
    assert proposal.attachments.count() == 1

    # The checklist names what is missing.
    page.goto(f"/proposals/{proposal.pk}/submit/")
    assert page.get_by_test_id("missing").is_visible()
    assert documents[0].name in page.get_by_test_id("missing").inner_text()
    assert axe_violations(page) == []

    page.goto(f"/proposals/{proposal.pk}/edit/")
    page.set_input_files(f"[name=doc_{documents[0].pk}]", a_file("plan.pdf", PDF))
    page.get_by_test_id("check-and-submit").click()
    page.wait_for_url(f"**/proposals/{proposal.pk}/submit/")
    assert page.get_by_test_id("complete").is_visible()
    assert axe_violations(page) == []  # the complete checklist

    # Without the declaration it is refused; the error summary names the box.
    page.get_by_test_id("submit").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("error-summary").is_visible()
    assert axe_violations(page) == []
    declared = declaration_text(proposal.call, "nl")
    assert declared in page.get_by_test_id("declaration").inner_text()
    page.get_by_test_id("declaration").get_by_role("checkbox").check()
    page.get_by_test_id("submit").click()
    page.wait_for_url(f"**/proposals/{proposal.pk}/")
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.SUBMITTED
    assert page.get_by_test_id("submission-number").inner_text() == proposal.submission_number
    receipt = page.get_by_test_id("receipt")
    assert receipt.get_attribute("href") == f"/proposals/{proposal.pk}/receipt.pdf"
    assert axe_violations(page) == []

    response = page.request.get(receipt.get_attribute("href"))
    assert response.status == 200
    assert response.body().startswith(b"%PDF")

    # The overview of all proposals and the withdrawal confirmation are accessible too.
    page.goto("/proposals/")
    assert page.get_by_test_id(f"proposal-{proposal.pk}").is_visible()
    assert axe_violations(page) == []
    page.goto(f"/proposals/{proposal.pk}/withdraw/")
    assert axe_violations(page) == []


def test_delivering_a_report_with_a_refused_file_is_accessible(page):
    person = applicant()
    person.email = "leverancier@example.org"
    person.save(update_fields=["email"])
    _proposal, deliverable = awarded_with_deliverable_for(complete_draft(person=person))
    log_in_as_applicant(page, "leverancier@example.org")

    page.goto(f"/proposals/deliverables/{deliverable.pk}/")
    assert axe_violations(page) == []
    page.set_input_files("[name=file]", a_file("rapport.pdf", EXECUTABLE))
    page.get_by_test_id("deliver").click()
    page.wait_for_load_state()
    assert page.locator("#id_file[aria-invalid=true]").count() == 1
    assert axe_violations(page) == []
