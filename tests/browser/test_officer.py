"""A procurement officer drafts a call in a real browser; axe-core checks the forms."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_otp.oath import totp

from calls.models import Call
from portal.models import Role
from tests.calls.factories import ensure_missions
from tests.factories import PASSWORD, confirmed_totp_device, person_with_role

from .conftest import axe_violations

pytestmark = pytest.mark.django_db(transaction=True)


def log_in_as_officer(page):
    officer = person_with_role(Role.PROCUREMENT_OFFICER, email="inkoper@example.org")
    device = confirmed_totp_device(officer)
    page.goto("/officer/calls/")
    page.wait_for_url("**/account/login/**")
    page.get_by_label("E-mailadres").fill("inkoper@example.org")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url("**/account/two-factor/**")
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    page.get_by_label("Verificatiecode").fill(code)
    page.get_by_role("button", name="Controleren").click()
    page.wait_for_url("**/officer/calls/")
    return officer


def local(days: int) -> str:
    return timezone.localtime(timezone.now() + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M")


def test_officer_creates_a_draft_sbir_call_through_accessible_forms(page):
    ensure_missions()
    officer = log_in_as_officer(page)
    assert axe_violations(page) == []  # "My calls", still empty

    page.get_by_test_id("new-call").click()
    page.wait_for_url("**/officer/calls/new/")
    assert axe_violations(page) == []

    # Submitted empty: the error summary appears, the fields say what is wrong.
    page.locator("[data-testid=call-form] button[type=submit]").click()
    page.wait_for_load_state()
    assert page.get_by_role("alert").first.is_visible()
    assert page.locator("#id_title[aria-invalid=true]").count() == 1
    assert axe_violations(page) == []

    page.select_option("#id_instrument", "sbir")
    page.fill("#id_title", "Slimme dijkbewaking")
    page.fill("#id_challenge", "Sensoren die zwakke plekken in dijken vroeg signaleren.")
    page.check("#id_missions_0")
    page.fill("#id_contact_name", "Sanne de Vries")
    page.fill("#id_contact_email", "sanne@hhnk.example")
    page.fill("#id_total_budget", "1500000")
    page.fill("#id_deadline", local(60))
    page.fill("#id_questions_deadline", local(40))
    page.locator("[data-testid=call-form] button[type=submit]").click()

    call = Call.objects.get()
    page.wait_for_url(f"**/officer/calls/{call.pk}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Slimme dijkbewaking"
    assert call.created_by == officer
    assert call.status == Call.Status.DRAFT
    assert page.get_by_test_id("problem").count() >= 1  # the budgets are still to be filled in
    assert axe_violations(page) == []

    page.goto(f"/officer/calls/{call.pk}/phases/")
    assert page.locator("fieldset legend").count() >= 3  # two phases and an empty new one
    assert axe_violations(page) == []

    # A phase whose maximum per award exceeds its budget: errors summarised, still accessible.
    page.fill("#id_phases-0-budget", "100000")
    page.fill("#id_phases-0-max_per_award", "200000")
    page.locator("[data-testid=phases-form] button[type=submit]").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("error-summary").is_visible()
    assert page.locator("#id_phases-0-max_per_award").input_value() == "200000"
    assert axe_violations(page) == []
