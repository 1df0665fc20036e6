"""Trusted identity in a real browser without JavaScript needs: eHerkenning (the mock broker),
registering from abroad, the company's team, API tokens and the ministry's company
verification, each page checked by axe-core."""

import pytest
from django.urls import reverse

from portal.models import Membership, Organisation, Role, TeamRole
from tests.factories import PASSWORD, CompanyFactory, MinistryFactory, person_with_role

from .conftest import axe_violations
from .test_scoring import log_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def mock_broker(settings):
    settings.EHERKENNING_MODE = "mock"


def submit(page, form: str = "main form") -> None:
    page.locator(f"{form} button[type=submit]").last.click()
    page.wait_for_load_state()


def log_in_with_password(page, user, target: str) -> None:
    page.goto(f"{reverse('login')}?next={target}")
    page.locator("#id_username").fill(user.email)
    page.locator("#id_password").fill(PASSWORD)
    submit(page)
    page.wait_for_url(f"**{target}")


def test_a_company_logs_in_with_eherkenning_for_the_first_time(page):
    page.goto(reverse("login"))
    assert axe_violations(page) == []
    page.get_by_test_id("eherkenning-login").click()
    page.wait_for_url(f"**{reverse('identity:eherkenning_mock')}")
    assert axe_violations(page) == []

    page.locator("#id_kvk_number").fill("12345678")
    page.locator("#id_company_name").fill("Slimme Sluizen B.V.")
    submit(page)
    page.wait_for_url(f"**{reverse('identity:eherkenning_details')}")
    assert axe_violations(page) == []
    page.locator("#id_full_name").fill("Eva de Boer")
    page.locator("#id_email").fill("eva@slimmesluizen.example")
    submit(page)

    page.wait_for_url(f"**{reverse('identity:email_unconfirmed')}")
    assert axe_violations(page) == []
    company = Organisation.objects.get(kvk_number="12345678")
    assert company.verified_at is not None


def test_mock_errors_are_summarised_and_accessible(page):
    page.goto(reverse("identity:eherkenning_mock"))
    page.locator("#id_kvk_number").fill("00000000")
    submit(page)
    assert page.get_by_role("alert").first.is_visible()
    assert page.locator("#id_kvk_number[aria-invalid=true]").count() == 1
    assert axe_violations(page) == []


def test_a_company_from_abroad_registers_with_its_vat_number(page):
    page.goto(reverse("register"))
    page.locator("#id_company_name").fill("Brücken GmbH")
    page.locator("#id_country").select_option("DE")
    page.locator("#id_vat_number").fill("DE136695976")
    page.locator("#id_full_name").fill("Anna Schmidt")
    page.locator("#id_email").fill("anna@bruecken.example")
    page.locator("#id_password").fill("Brücken-von-morgen-42")
    page.locator("#id_password_again").fill("Brücken-von-morgen-42")
    submit(page)

    page.wait_for_url(f"**{reverse('identity:registration_sent')}")
    assert page.get_by_test_id("registration-sent").is_visible()
    assert axe_violations(page) == []
    assert Organisation.objects.filter(vat_number="DE136695976", verified_at=None).exists()


def test_an_administrator_invites_a_colleague_and_sees_the_team(page):
    company = CompanyFactory(name="Slimme Sluizen B.V.")
    admin = person_with_role(Role.APPLICANT, organisation=company)
    Membership.objects.filter(user=admin).update(team_role=TeamRole.ADMINISTRATOR)
    person_with_role(Role.APPLICANT, organisation=company, full_name="Noor Hendriks")

    log_in_with_password(page, admin, reverse("identity:team"))
    assert page.get_by_test_id("team").is_visible()
    assert axe_violations(page) == []
    page.locator("#id_email").fill("collega@slimmesluizen.example")
    submit(page, "form[action$='/invite/']")

    assert page.get_by_test_id("invitations").is_visible()
    assert "collega@slimmesluizen.example" in page.get_by_test_id("invitations").inner_text()
    assert axe_violations(page) == []


def test_api_tokens_are_made_and_listed_accessibly(page):
    applicant = person_with_role(Role.APPLICANT)
    log_in_with_password(page, applicant, reverse("account"))
    assert axe_violations(page) == []

    page.locator("#id_name").fill("Tenderbeheer")
    submit(page, "form[action$='/api-tokens/']")

    key = page.get_by_test_id("token-key").inner_text()
    assert len(key) > 30
    assert axe_violations(page) == []
    page.goto(reverse("identity:api_tokens"))
    assert "Tenderbeheer" in page.get_by_test_id("api-tokens").inner_text()
    assert key not in page.content()
    assert axe_violations(page) == []


def test_ministry_staff_verify_a_company_accessibly(page):
    staff = person_with_role(Role.MINISTRY_STAFF, organisation=MinistryFactory(name="RVO"))
    company = CompanyFactory(name="Nieuw Idee B.V.", verified_at=None)

    log_in(page, staff, reverse("identity:companies"))
    assert page.get_by_test_id(f"company-{company.pk}").is_visible()
    assert axe_violations(page) == []

    page.goto(reverse("identity:company", args=[company.pk]))
    assert axe_violations(page) == []
    page.locator("#id_evidence").fill("Uittreksel Handelsregister 3 maart 2026")
    page.locator("#id_checked").check()
    submit(page, "main form.utrecht-form")

    page.wait_for_url(f"**{reverse('identity:company', args=[company.pk])}")
    assert page.get_by_test_id(f"verified-{company.pk}").is_visible()
    assert axe_violations(page) == []
