"""Registering a company with the form: a confirmed address, a valid number, and an answer that
tells a stranger nothing about which addresses or numbers are known."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from portal.identity.models import EmailConfirmation
from portal.models import Membership, Organisation, Role, TeamRole, User
from tests.factories import PASSWORD, CompanyFactory, UserFactory, person_with_role

pytestmark = pytest.mark.django_db

VALID = {
    "company_name": "Slimme Sluizen B.V.",
    "country": "NL",
    "kvk_number": "12345678",
    "is_sme": "on",
    "full_name": "Eva de Boer",
    "email": "Eva@SlimmeSluizen.example",
    "password": "Viaduct-van-morgen-42",
    "password_again": "Viaduct-van-morgen-42",
}


@pytest.fixture
def register(client, django_capture_on_commit_callbacks):
    def post(**changes):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("register"), {**VALID, **changes})

    return post


def confirmation_link(message) -> str:
    return re.search(r"https?://[^/\s]+(/account/confirm/\S+/)", message.body).group(1)


def test_company_registers_unverified_and_acts_after_confirming_the_address(client, register):
    response = register()

    assert response["Location"] == reverse("identity:registration_sent")
    user = User.objects.get(email="eva@slimmesluizen.example")
    company = Organisation.objects.get(kvk_number="12345678")
    assert company.kind == Organisation.Kind.COMPANY
    assert company.is_sme is True
    assert company.verified_at is None  # a self-declared number proves nothing
    membership = Membership.objects.get(user=user, organisation=company)
    assert (membership.role, membership.team_role) == (Role.APPLICANT, TeamRole.ADMINISTRATOR)
    assert [m.to for m in mail.outbox] == [["eva@slimmesluizen.example"]]

    # Logged in before confirming: every page sends them to the confirmation page.
    client.post(reverse("login"), {"username": user.email, "password": VALID["password"]})
    assert client.get(reverse("dashboard"))["Location"] == reverse("identity:email_unconfirmed")
    assert client.get(reverse("api-me")).status_code == 403

    client.get(confirmation_link(mail.outbox[0]))

    assert not EmailConfirmation.objects.get(user=user).is_pending
    assert client.get(reverse("dashboard")).status_code == 200


def test_confirmation_link_that_was_tampered_with_is_refused(client, register):
    register()
    link = confirmation_link(mail.outbox[0])

    response = client.get(link.replace("/confirm/", "/confirm/x"))

    assert response.status_code == 400
    assert EmailConfirmation.objects.get().is_pending


def test_confirmation_link_expires(client, register, settings, time_machine):
    time_machine.move_to("2026-06-01 12:00 +02:00")
    register()
    link = confirmation_link(mail.outbox[0])
    time_machine.shift(settings.EMAIL_CONFIRMATION_DAYS * 86400 + 60)

    response = client.get(link)

    assert response.status_code == 400
    assert EmailConfirmation.objects.get().is_pending


def test_the_link_can_be_sent_again_but_not_in_a_flood(
    client, register, django_capture_on_commit_callbacks
):
    register()
    client.post(reverse("login"), {"username": VALID["email"], "password": VALID["password"]})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("identity:email_confirm_resend"))
        client.post(reverse("identity:email_confirm_resend"))

    assert len(mail.outbox) == 2  # the first e-mail and one resend


@pytest.mark.parametrize(
    ("kvk_number", "message"),
    [
        ("1234567", "precies 8 cijfers"),
        ("123456789", "precies 8 cijfers"),
        ("1234567a", "alleen uit cijfers"),
        ("", "KvK-nummer van uw bedrijf"),
        ("00000000", "geen KvK-nummer"),
        ("123456780001", "vestigingsnummer"),
    ],
)
def test_kvk_number_must_be_a_kvk_number(register, kvk_number, message):
    response = register(kvk_number=kvk_number)

    assert response.status_code == 200
    assert message in str(response.context["form"].errors["kvk_number"])
    assert not User.objects.exists()


def test_kvk_number_may_be_typed_with_spaces_or_dots(register):
    register(kvk_number="12 34.56 78")
    assert Organisation.objects.filter(kvk_number="12345678").exists()


def test_company_from_abroad_registers_with_its_vat_number(register):
    register(country="DE", kvk_number="", vat_number="de 136 695 976")

    company = Organisation.objects.get(vat_number="DE136695976")
    assert (company.country, company.kvk_number) == ("DE", "")


def test_company_from_abroad_registers_with_its_euid(register):
    register(country="BE", kvk_number="", euid="bekbobce.0403170701")
    assert Organisation.objects.filter(euid="BEKBOBCE.0403170701", country="BE").exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"country": "DE", "kvk_number": "", "vat_number": "DE136695977"}, "vat_number"),
        ({"country": "DE", "kvk_number": "", "vat_number": ""}, "vat_number"),
        ({"country": "DE", "kvk_number": "12345678"}, "kvk_number"),
        ({"country": "FR", "kvk_number": "", "euid": "DEK1101R.HRB116737"}, "euid"),
        ({"country": "FR", "kvk_number": "", "euid": "not an euid"}, "euid"),
        ({"country": "XX"}, "country"),
    ],
)
def test_identifiers_from_abroad_are_checked(register, changes, field):
    response = register(**changes)

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Organisation.objects.filter(kind=Organisation.Kind.COMPANY).exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"password_again": "something-else-entirely"}, "password_again"),
        ({"password": "kort", "password_again": "kort"}, "password"),
        ({"password": "12345678901234", "password_again": "12345678901234"}, "password"),
        ({"email": "not-an-address"}, "email"),
        ({"company_name": ""}, "company_name"),
    ],
)
def test_bad_input_keeps_what_was_typed(register, changes, field):
    response = register(**changes)

    assert response.status_code == 200
    assert field in response.context["form"].errors
    html = response.content.decode()
    assert 'value="Slimme Sluizen B.V."' in html or changes.get("company_name") == ""
    assert "portal-error-summary" in html
    assert f'href="#id_{field}"' in html
    assert 'aria-invalid="true"' in html
    assert not User.objects.exists()


# --- No account enumeration -------------------------------------------------------------


def test_a_known_address_gets_the_same_answer_and_its_owner_an_e_mail(client, register):
    owner = UserFactory(email="eva@slimmesluizen.example")

    response = register()

    assert response["Location"] == reverse("identity:registration_sent")
    assert User.objects.count() == 1
    assert not Organisation.objects.filter(kvk_number="12345678").exists()
    assert [m.to for m in mail.outbox] == [[owner.email]]
    assert "hebt al een account" in mail.outbox[0].subject.lower()
    # The owner's password and account are untouched.
    owner.refresh_from_db()
    assert owner.check_password(PASSWORD)


def test_a_known_kvk_number_gets_the_same_answer_and_the_company_hears_of_it(register):
    company = CompanyFactory(kvk_number="12345678", name="Echte Sluizen B.V.")
    admin = person_with_role(Role.APPLICANT, organisation=company)
    Membership.objects.filter(user=admin).update(team_role=TeamRole.ADMINISTRATOR)

    response = register()

    assert response["Location"] == reverse("identity:registration_sent")
    newcomer = User.objects.get(email="eva@slimmesluizen.example")
    assert not newcomer.memberships.exists()  # not in someone else's company
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted([admin.email, newcomer.email])
    to_newcomer = next(m for m in mail.outbox if m.to == [newcomer.email])
    assert "Echte Sluizen B.V." in to_newcomer.body
    assert "/account/confirm/" in to_newcomer.body


def without_csrf_token(html: bytes) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="\w+"', "", html.decode())


def test_the_pages_shown_are_identical_whatever_exists(client, register):
    fresh = register()
    fresh_page = client.get(fresh["Location"]).content
    User.objects.all().delete()
    UserFactory(email="eva@slimmesluizen.example")

    known = register()

    assert (fresh.status_code, fresh["Location"]) == (known.status_code, known["Location"])
    assert without_csrf_token(fresh_page) == without_csrf_token(
        client.get(known["Location"]).content
    )


def test_logged_in_person_is_sent_to_dashboard_instead_of_registering(client):
    client.force_login(UserFactory())
    assert client.get(reverse("register"))["Location"] == reverse("dashboard")


def test_the_company_s_size_is_asked_on_registration_and_kept(register):
    register(company_size="micro", is_sme="")
    company = Organisation.objects.get(kvk_number="12345678")
    assert (company.company_size, company.is_sme) == ("micro", True)


def test_a_large_enterprise_cannot_also_be_an_sme(register):
    response = register(company_size="large")
    assert response.status_code == 200
    assert "Een grote onderneming is geen mkb-bedrijf." in response.content.decode()
    assert not Organisation.objects.filter(kvk_number="12345678").exists()
