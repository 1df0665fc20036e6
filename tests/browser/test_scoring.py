"""An assessor scores a proposal in a real browser; axe-core checks the committee's pages."""

import pytest
from django.urls import reverse
from django_otp.oath import totp

from proposals.services.assessment import assignment_add, consensus_record
from tests.factories import PASSWORD, confirmed_totp_device
from tests.proposals.test_assessment_pages import build_committee, cleared, scored

from .conftest import axe_violations

pytestmark = pytest.mark.django_db(transaction=True)


def log_in(page, user, target: str) -> None:
    """Through the login form and the authenticator code, as a committee member does."""
    device = confirmed_totp_device(user)
    page.goto(target)
    page.wait_for_url("**/account/login/**")
    page.get_by_label("E-mailadres").fill(user.email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url("**/account/two-factor/**")
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    page.get_by_label("Verificatiecode").fill(code)
    page.get_by_role("button", name="Controleren").click()
    page.wait_for_url(f"**{target}")


def test_assessor_scores_a_proposal_through_an_accessible_form(page):
    setting = build_committee(1, members=1)
    seat = setting["members"][0]
    proposal = setting["proposals"][0]
    assignment_add(member=seat, proposal=proposal, actor=setting["officer"])
    cleared(seat, [proposal])
    criteria = setting["criteria"]
    address = reverse("proposals:assess", kwargs={"seat_pk": seat.pk, "proposal_pk": proposal.pk})

    log_in(page, seat.user, address)
    assert page.get_by_test_id("scoring-form").is_visible()
    assert axe_violations(page) == []

    # Submitted incomplete: the error summary, and each field says what is missing.
    page.locator("[data-testid=scoring-form] button[name=submit]").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("error-summary").is_visible()
    assert page.locator(f"#id_score_{criteria[0].pk}[aria-invalid=true]").count() == 1
    assert axe_violations(page) == []

    for criterion, score in zip(criteria, (7, 8, 6), strict=True):
        page.fill(f"#id_score_{criterion.pk}", str(score))
        page.fill(f"#id_motivation_{criterion.pk}", f"Overtuigend op {criterion.name}.")
    page.locator("[data-testid=scoring-form] button[name=submit]").click()
    page.wait_for_load_state()

    # First the confirmation page: the scores once more, and what cannot change afterwards.
    assert page.get_by_test_id("confirm-summary").is_visible()
    assert "Overtuigend op" in page.get_by_test_id("confirm-summary").inner_text()
    assert axe_violations(page) == []
    page.get_by_test_id("confirm").click()
    page.wait_for_load_state()

    assert page.get_by_test_id("locked").is_visible()
    assert page.get_by_test_id("scoring-form").count() == 0
    for criterion, score in zip(criteria, (7, 8, 6), strict=True):
        assert page.get_by_test_id(f"own-score-{criterion.pk}").inner_text() == str(score)
    assert axe_violations(page) == []


def test_the_chairs_pages_pass_axe(page):
    setting = build_committee(3, members=1)
    chair, seat = setting["chair"], setting["members"][0]
    first, second, _undeclared = setting["proposals"]
    cleared(chair, [first, second])  # the third still waits for a declaration form
    cleared(seat, [first, second])
    for proposal, values in ((first, (2, 3, 4)), (second, (8, 8, 8))):
        for member, scores in ((seat, values), (chair, (9, 9, 9))):
            assignment = assignment_add(member=member, proposal=proposal, actor=setting["officer"])
            scored(setting, assignment, scores)
    consensus_record(
        proposal=second,
        actor=chair.user,
        criterion_id=setting["criteria"][0].pk,
        score=8,
        motivation="Besproken",
    )
    home = reverse("proposals:committee_home")
    log_in(page, chair.user, home)
    assert axe_violations(page) == []
    for name, kwargs in (
        ("code_of_conduct", {}),
        ("declarations", {}),
        ("ranking", {}),
        ("consensus", {"proposal_pk": first.pk}),
        ("advice", {}),
    ):
        page.goto(reverse(f"proposals:{name}", kwargs={"seat_pk": chair.pk, **kwargs}))
        assert axe_violations(page) == [], name

    # The advice refused while a declaration is missing: errors, still accessible.
    page.locator("[data-testid=advice-form] button[type=submit]").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("error-summary").is_visible()
    assert axe_violations(page) == []
