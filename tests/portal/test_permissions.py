"""Who may reach which page: every role against every page of the portal app."""

import pytest
from django.urls import reverse

from portal.models import Role
from tests.factories import UserFactory, person_with_role

pytestmark = pytest.mark.django_db

PUBLIC = ["home", "accessibility", "login", "register", "password_reset", "api-docs", "health"]
LOGGED_IN = ["dashboard", "account", "password_change"]
STAFF_ONLY = ["audit_trail", "system_status"]

ROLES = [
    Role.APPLICANT,
    Role.PROCUREMENT_OFFICER,
    Role.ASSESSOR,
    Role.COMMITTEE_CHAIR,
    Role.MINISTRY_STAFF,
]


@pytest.mark.parametrize("name", PUBLIC)
def test_public_pages_open_for_anonymous(client, name):
    assert client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize("name", LOGGED_IN + STAFF_ONLY)
def test_anonymous_is_sent_to_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", LOGGED_IN)
def test_every_role_reaches_its_own_pages(verified_client, role, name):
    client = verified_client(person_with_role(role))
    assert client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", STAFF_ONLY)
def test_no_role_but_staff_reaches_staff_pages(verified_client, role, name):
    client = verified_client(person_with_role(role))
    assert client.get(reverse(name)).status_code == 403


@pytest.mark.parametrize("name", STAFF_ONLY)
def test_staff_reach_staff_pages_after_second_factor(client, verified_client, name):
    staff = UserFactory(is_staff=True)
    client.force_login(staff)
    # Password alone is not enough for an administrator.
    assert client.get(reverse(name))["Location"].startswith(reverse("two_factor_setup"))

    assert verified_client(staff).get(reverse(name)).status_code == 200


@pytest.mark.parametrize("role", ROLES)
def test_admin_site_is_closed_to_non_staff(verified_client, role):
    client = verified_client(person_with_role(role))
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_navigation_shows_staff_links_only_to_staff(verified_client):
    officer_page = verified_client(person_with_role(Role.PROCUREMENT_OFFICER)).get("/")
    assert reverse("audit_trail") not in officer_page.content.decode()

    staff_page = verified_client(UserFactory(is_staff=True)).get("/")
    assert reverse("audit_trail") in staff_page.content.decode()
