import pytest
from django.urls import reverse

from portal.models import Role
from tests.factories import person_with_role

pytestmark = pytest.mark.django_db


def test_account_page_shows_roles_and_saves_name(client):
    applicant = person_with_role(Role.APPLICANT, full_name="Lotte Jansen")
    client.force_login(applicant)

    page = client.get(reverse("account"))
    assert page.status_code == 200
    assert "aanvrager" in page.content.decode()

    client.post(reverse("account"), {"full_name": "Lotte Jansen-de Wit"})
    applicant.refresh_from_db()
    assert applicant.full_name == "Lotte Jansen-de Wit"


def test_empty_name_is_refused(client):
    applicant = person_with_role(Role.APPLICANT, full_name="Lotte Jansen")
    client.force_login(applicant)

    response = client.post(reverse("account"), {"full_name": ""})

    assert response.status_code == 200
    applicant.refresh_from_db()
    assert applicant.full_name == "Lotte Jansen"


def test_account_pages_need_login(client):
    for name in ["account", "dashboard", "two_factor_setup", "two_factor_verify"]:
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
