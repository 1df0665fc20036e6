import re

import pytest
from django.core import mail
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.models import Role
from tests.factories import PASSWORD, UserFactory, confirmed_totp_device, person_with_role

pytestmark = pytest.mark.django_db


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def log_in(client, user, password=PASSWORD, **extra):
    return client.post(reverse("login"), {"username": user.email, "password": password, **extra})


def test_applicant_logs_in_with_password_alone(client):
    applicant = person_with_role(Role.APPLICANT)

    response = log_in(client, applicant)

    assert response["Location"] == reverse("dashboard")
    assert client.get(reverse("dashboard")).status_code == 200


def test_login_is_case_insensitive_on_email(client):
    person_with_role(Role.APPLICANT, email="lotte@example.org")
    response = client.post(
        reverse("login"), {"username": "Lotte@Example.ORG", "password": PASSWORD}
    )
    assert response["Location"] == reverse("dashboard")


@pytest.mark.parametrize(
    "role",
    [Role.PROCUREMENT_OFFICER, Role.ASSESSOR, Role.COMMITTEE_CHAIR, Role.MINISTRY_STAFF],
)
def test_roles_that_decide_must_set_up_two_factor_before_anything_else(client, role):
    person = person_with_role(role)
    log_in(client, person)

    response = client.get(reverse("dashboard"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor_setup"))
    # The API refuses too, rather than redirecting a machine to an HTML page.
    assert client.get(reverse("api-me")).status_code == 403


def test_two_factor_setup_with_authenticator_app(client):
    officer = person_with_role(Role.PROCUREMENT_OFFICER)
    log_in(client, officer)

    page = client.get(reverse("two_factor_setup"))
    assert page.status_code == 200
    assert 'src="data:image/svg+xml' in page.content.decode()
    device = TOTPDevice.objects.get(user=officer, confirmed=False)

    wrong = client.post(reverse("two_factor_setup"), {"otp_token": "000000"})
    assert wrong.status_code == 200
    assert wrong.context["form"].errors["otp_token"]

    done = client.post(reverse("two_factor_setup"), {"otp_token": current_code(device)})
    assert done.status_code == 200
    codes = done.context["codes"]
    assert len(codes) == 10
    assert StaticToken.objects.filter(device__user=officer).count() == 10
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("dashboard")).status_code == 200


def test_officer_with_device_must_give_code_after_password(client):
    officer = person_with_role(Role.PROCUREMENT_OFFICER)
    device = confirmed_totp_device(officer)

    log_in(client, officer, next="/account/")
    blocked = client.get(reverse("account"))
    assert blocked["Location"].startswith(reverse("two_factor_verify"))

    wrong = client.post(reverse("two_factor_verify"), {"otp_token": "123456", "next": "/account/"})
    assert wrong.status_code == 200
    assert client.get(reverse("account")).status_code == 302

    right = client.post(
        reverse("two_factor_verify"), {"otp_token": current_code(device), "next": "/account/"}
    )
    assert right["Location"] == "/account/"
    assert client.get(reverse("account")).status_code == 200


def test_backup_code_works_once(client):
    officer = person_with_role(Role.MINISTRY_STAFF)
    confirmed_totp_device(officer)
    from portal.services.twofactor import backup_codes_renew

    code = backup_codes_renew(officer)[0]
    log_in(client, officer)
    assert client.post(reverse("two_factor_verify"), {"otp_token": code}).status_code == 302

    client.logout()
    log_in(client, officer)
    again = client.post(reverse("two_factor_verify"), {"otp_token": code})
    assert again.status_code == 200
    assert again.context["form"].errors


def test_verify_page_refuses_an_offsite_next(client):
    officer = person_with_role(Role.PROCUREMENT_OFFICER)
    device = confirmed_totp_device(officer)
    log_in(client, officer)

    response = client.post(
        reverse("two_factor_verify"),
        {"otp_token": current_code(device), "next": "https://evil.example/steal"},
    )

    assert response["Location"] == reverse("dashboard")


def test_replacing_the_authenticator_needs_the_current_one(client):
    officer = person_with_role(Role.PROCUREMENT_OFFICER)
    confirmed_totp_device(officer)
    log_in(client, officer)

    response = client.get(reverse("two_factor_setup"))

    assert response["Location"].startswith(reverse("two_factor_verify"))


def test_applicant_may_switch_two_factor_on_and_off_but_officer_may_not_switch_off(
    client, verified_client
):
    applicant = person_with_role(Role.APPLICANT)
    verified_client(applicant)
    client.post(reverse("two_factor_disable"))
    assert not TOTPDevice.objects.filter(user=applicant).exists()

    officer = person_with_role(Role.PROCUREMENT_OFFICER)
    verified_client(officer)
    client.post(reverse("two_factor_disable"))
    assert TOTPDevice.objects.filter(user=officer).exists()


def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(client):
    applicant = person_with_role(Role.APPLICANT)
    for _attempt in range(5):
        response = log_in(client, applicant, password="wrong password")
        assert response.status_code in (200, 429)

    locked = log_in(client, applicant)

    assert locked.status_code == 429
    assert "Te veel mislukte pogingen" in locked.content.decode()
    assert client.get(reverse("dashboard")).status_code == 302


def test_wrong_password_shows_a_clear_error(client):
    applicant = person_with_role(Role.APPLICANT)
    response = log_in(client, applicant, password="wrong password")
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()


def test_password_reset_by_email(client, django_capture_on_commit_callbacks):
    person = UserFactory(email="vergeten@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("password_reset"), {"email": "vergeten@example.org"})

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["vergeten@example.org"]
    link = re.search(r"https?://[^/]+(/account/password/reset/\S+)", message.body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"]
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Nieuw-wachtwoord-2026", "new_password2": "Nieuw-wachtwoord-2026"},
    )
    person.refresh_from_db()
    assert person.check_password("Nieuw-wachtwoord-2026")


def test_password_reset_for_unknown_address_reveals_nothing_and_tells_the_address_owner(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": "niemand@example.org"})
    assert response["Location"] == reverse("password_reset_done")
    # Not a reset link (there is no account), but a note to whoever owns the address.
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["niemand@example.org"]
    assert "/account/password/reset/" not in mail.outbox[0].body
    assert "/account/register/" in mail.outbox[0].body


def test_logout_needs_post_and_ends_the_session(client):
    applicant = person_with_role(Role.APPLICANT)
    client.force_login(applicant)

    client.post(reverse("logout"))

    assert client.get(reverse("dashboard")).status_code == 302


def test_wrong_codes_slow_down_guessing(client, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 1
    officer = person_with_role(Role.PROCUREMENT_OFFICER)
    device = confirmed_totp_device(officer)
    log_in(client, officer)

    client.post(reverse("two_factor_verify"), {"otp_token": "000000"})
    # Right after a wrong guess even the right code is refused for a moment.
    refused = client.post(reverse("two_factor_verify"), {"otp_token": current_code(device)})

    assert refused.status_code == 200
    device.refresh_from_db()
    assert device.throttling_failure_count >= 1
