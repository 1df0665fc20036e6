import pytest
from django_otp.oath import totp

from portal.models import Role
from tests.factories import PASSWORD, confirmed_totp_device, person_with_role

from .conftest import axe_violations

pytestmark = pytest.mark.django_db(transaction=True)


def test_home_page_in_dutch_then_english_via_the_switch(page):
    page.goto("/")
    # The browser asks for English, but a Dutch public service speaks Dutch first.
    assert page.locator("html").get_attribute("lang") == "nl"
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Publieke organisaties als eerste klant van innovatie"
    )

    page.get_by_role("button", name="English").click()

    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Public bodies as launching customer for innovation"
    )


@pytest.mark.parametrize("language", ["nl", "en"])
def test_home_page_passes_axe(page, live_server, language):
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == language
    assert axe_violations(page) == []


def test_skip_link_is_the_first_stop_and_moves_focus_to_the_content(page):
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Naar de hoofdinhoud")
    assert skip.evaluate("element => element === document.activeElement")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_officer_logs_in_with_password_and_authenticator_code(page):
    officer = person_with_role(Role.PROCUREMENT_OFFICER, email="inkoper@example.org")
    device = confirmed_totp_device(officer)

    page.goto("/account/login/")
    page.get_by_label("E-mailadres").fill("inkoper@example.org")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()

    page.wait_for_url("**/account/two-factor/**")
    assert axe_violations(page) == []
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    page.get_by_label("Verificatiecode").fill(code)
    page.get_by_role("button", name="Controleren").click()

    page.wait_for_url("**/dashboard/")
    assert officer.full_name.split(" ")[0] in page.get_by_role("heading", level=1).inner_text()


@pytest.mark.parametrize(
    "path", ["/account/login/", "/account/register/", "/accessibility/", "/open-data/"]
)
def test_public_forms_and_pages_pass_axe(page, path):
    page.goto(path)
    assert axe_violations(page) == []


def test_registration_errors_are_summarised_and_pass_axe(page):
    page.goto("/account/register/")
    page.get_by_role("button", name="Registreren").click()
    summary = page.get_by_role("alert")
    assert summary.is_visible()
    assert axe_violations(page) == []
