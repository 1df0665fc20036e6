import pytest
from django.urls import reverse

from portal.models import Membership, Organisation, Role, User
from tests.factories import CompanyFactory, UserFactory

pytestmark = pytest.mark.django_db

VALID = {
    "company_name": "Slimme Sluizen B.V.",
    "kvk_number": "12345678",
    "is_sme": "on",
    "full_name": "Eva de Boer",
    "email": "Eva@SlimmeSluizen.example",
    "password": "Viaduct-van-morgen-42",
    "password_again": "Viaduct-van-morgen-42",
}


def register(client, **changes):
    return client.post(reverse("register"), {**VALID, **changes})


def test_company_registers_itself_and_is_logged_in_as_applicant(client):
    response = register(client)

    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")
    user = User.objects.get(email="eva@slimmesluizen.example")
    company = Organisation.objects.get(kvk_number="12345678")
    assert company.kind == Organisation.Kind.COMPANY
    assert company.is_sme is True
    assert company.is_startup is False
    assert Membership.objects.filter(user=user, organisation=company, role=Role.APPLICANT).exists()
    # Applicants need no second factor: the dashboard opens straight away.
    assert client.get(reverse("dashboard")).status_code == 200


@pytest.mark.parametrize("kvk_number", ["1234567", "123456789", "1234567a", "abcdefgh", ""])
def test_kvk_number_must_be_eight_digits(client, kvk_number):
    response = register(client, kvk_number=kvk_number)

    assert response.status_code == 200
    assert "kvk_number" in response.context["form"].errors
    assert not User.objects.exists()


def test_kvk_number_of_a_registered_company_is_refused(client):
    CompanyFactory(kvk_number="12345678")

    response = register(client)

    assert response.status_code == 200
    assert "al een bedrijf met dit KvK-nummer" in str(response.context["form"].errors["kvk_number"])
    assert not User.objects.filter(email="eva@slimmesluizen.example").exists()


def test_existing_email_is_refused_whatever_its_case(client):
    UserFactory(email="eva@slimmesluizen.example")

    response = register(client)

    assert response.status_code == 200
    assert response.context["form"].errors["email"]
    assert not Organisation.objects.filter(kvk_number="12345678").exists()


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
def test_bad_input_keeps_what_was_typed(client, changes, field):
    response = register(client, **changes)

    assert response.status_code == 200
    assert field in response.context["form"].errors
    html = response.content.decode()
    assert 'value="Slimme Sluizen B.V."' in html or changes.get("company_name") == ""
    assert "portal-error-summary" in html
    assert f'href="#id_{field}"' in html
    assert 'aria-invalid="true"' in html
    assert not User.objects.exists()


def test_logged_in_person_is_sent_to_dashboard_instead_of_registering(client):
    client.force_login(UserFactory())
    assert client.get(reverse("register"))["Location"] == reverse("dashboard")
