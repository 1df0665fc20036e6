"""An innovation partnership's negotiation and phases in a real browser; axe-core checks
every new page, also with the error summary shown."""

import pytest
from django_otp.oath import totp

from proposals.models import NegotiationRound, PhasePlan
from tests.factories import PASSWORD, confirmed_totp_device
from tests.proposals.factories import partnership_partners

from .conftest import axe_violations

pytestmark = pytest.mark.django_db(transaction=True)


def log_in_officer(page, officer, url: str) -> None:
    device = confirmed_totp_device(officer)
    page.goto(url)
    page.wait_for_url("**/account/login/**")
    page.get_by_label("E-mailadres").fill(officer.email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url("**/account/two-factor/**")
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    page.get_by_label("Verificatiecode").fill(code)
    page.get_by_role("button", name="Controleren").click()
    page.wait_for_url(f"**{url}")


def log_in_applicant(page, email: str) -> None:
    page.goto("/account/login/")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url("**/dashboard/")


def test_the_partnership_pages_are_accessible(page):
    call, proposals = partnership_partners()
    partner = proposals[0]
    phase = call.phase_list[0]
    first = PhasePlan.objects.get(contract__proposal=partner, phase__order=1)
    purchase = PhasePlan.objects.get(contract__proposal=partner, phase__order=3)
    # A round exists (sent before the assessment) so that its pages have content.
    NegotiationRound.objects.create(
        phase=phase,
        number=1,
        kind=NegotiationRound.Kind.NEGOTIATION,
        points="Licht de laadtijd toe.",
        deadline=call.deadline,
        sent_at=call.deadline,
        sent_by=call.officer,
    ).recipients.set(proposals)
    round_ = NegotiationRound.objects.get(phase=phase)

    negotiation = f"/officer/proposals/phases/{phase.pk}/negotiation/"
    log_in_officer(page, call.officer, negotiation)
    assert axe_violations(page) == []
    page.goto(f"/officer/proposals/negotiation/{round_.pk}/")
    assert page.get_by_test_id("points").is_visible()
    assert axe_violations(page) == []
    page.goto(f"/officer/proposals/contracts/{partner.contract.pk}/partnership/")
    assert page.get_by_test_id("phase-2").is_visible()
    assert axe_violations(page) == []
    page.goto(
        f"/officer/proposals/contracts/{partner.contract.pk}/partnership/{call.phase_list[1].pk}/"
    )
    assert axe_violations(page) == []
    page.goto(f"/officer/proposals/partnership-phases/{first.pk}/decide/")
    page.locator("[data-testid=decision-form] button[type=submit]").click()
    page.wait_for_load_state()
    assert page.get_by_role("alert").first.is_visible()
    assert axe_violations(page) == []
    page.goto(f"/officer/proposals/partnership-phases/{purchase.pk}/purchase/")
    assert axe_violations(page) == []

    page.context.clear_cookies()
    log_in_applicant(page, partner.person.email)
    page.goto(f"/proposals/{partner.pk}/negotiation/")
    assert page.get_by_test_id("round-1").is_visible()
    assert axe_violations(page) == []
    page.goto(f"/proposals/{partner.pk}/partnership/")
    assert page.get_by_test_id("report-1").is_visible()
    assert axe_violations(page) == []
    page.goto(f"/proposals/partnership-phases/{first.pk}/report/")
    page.locator("[data-testid=report-form] button[type=submit]").click()
    page.wait_for_load_state()
    assert page.get_by_role("alert").first.is_visible()
    assert axe_violations(page) == []
