"""API tokens that behave: only after the second factor, named and scoped, expiring, listed
and revocable by their owner, ended by a password change or a membership that ends."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from portal.exceptions import NotAllowed
from portal.identity.models import ApiToken
from portal.identity.services.tokens import api_token_create
from portal.models import Membership, Role
from proposals.models import CommitteeMember
from tests.factories import PASSWORD, UserFactory, api_key_for, person_with_role
from tests.proposals.factories import complete_draft

pytestmark = pytest.mark.django_db


def api(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def create_on_page(client, **data):
    values = {"name": "Tenderbeheer", "scope": "read", "days": "90", **data}
    return client.post(reverse("identity:api_tokens"), values)


def test_a_token_is_made_named_shown_once_and_only_its_fingerprint_kept(client):
    applicant = person_with_role(Role.APPLICANT)
    client.force_login(applicant)

    page = create_on_page(client, scope="read_write")

    key = page.context["key"]
    token = ApiToken.objects.get(user=applicant)
    assert (token.name, token.scope) == ("Tenderbeheer", "read_write")
    assert key not in str(token.__dict__)  # only the hash and the first characters
    assert token.prefix == key[:8]
    assert abs(token.expires_at - (timezone.now() + timedelta(days=90))) < timedelta(minutes=1)
    assert key not in client.get(reverse("account")).content.decode()
    assert api(key).get(reverse("api-me")).json()["email"] == applicant.email


@pytest.mark.parametrize(
    "role",
    [Role.PROCUREMENT_OFFICER, Role.ASSESSOR, Role.COMMITTEE_CHAIR, Role.MINISTRY_STAFF],
)
def test_roles_with_a_second_factor_make_tokens_only_after_passing_it(client, role):
    person = person_with_role(role)
    client.force_login(person)  # password only: the middleware sends them to the 2FA pages

    response = create_on_page(client)

    assert response.status_code == 302
    assert not ApiToken.objects.exists()
    with pytest.raises(NotAllowed):
        api_token_create(
            actor=person, name="x", scope="read", days=30, second_factor_verified=False
        )


def test_an_independent_expert_makes_tokens_only_after_the_second_factor(client):
    """An expert holds no role in any organisation, only a committee seat."""
    from tests.calls.factories import published_call

    phase = published_call().phases.get(order=1)
    from proposals.models import Committee

    committee = Committee.objects.create(phase=phase, code_of_conduct="Vertrouwelijk.")
    expert = UserFactory()
    CommitteeMember.objects.create(committee=committee, user=expert, is_independent=True)
    client.force_login(expert)

    response = create_on_page(client)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor_setup"))
    assert not ApiToken.objects.exists()
    with pytest.raises(NotAllowed):
        api_token_create(
            actor=expert, name="x", scope="read", days=30, second_factor_verified=False
        )


def test_after_the_second_factor_an_officer_makes_a_token(verified_client):
    officer = person_with_role(Role.PROCUREMENT_OFFICER)
    response = create_on_page(verified_client(officer))
    assert response.status_code == 200
    assert ApiToken.objects.filter(user=officer).count() == 1


def test_someone_who_switched_the_second_factor_on_must_pass_it_too():
    applicant = person_with_role(Role.APPLICANT)
    from tests.factories import confirmed_totp_device

    confirmed_totp_device(applicant)
    with pytest.raises(NotAllowed):
        api_token_create(
            actor=applicant, name="x", scope="read", days=30, second_factor_verified=False
        )


@pytest.mark.parametrize(
    ("data", "field"),
    [({"name": ""}, "name"), ({"scope": "admin"}, "scope"), ({"days": "9999"}, "days")],
)
def test_bad_token_requests_are_refused(client, data, field):
    client.force_login(person_with_role(Role.APPLICANT))
    response = create_on_page(client, **data)
    assert response.status_code == 400
    assert field in response.context["api_token_form"].errors
    assert not ApiToken.objects.exists()


def test_a_read_only_token_reads_but_never_writes():
    applicant = person_with_role(Role.APPLICANT)
    draft = complete_draft(person=applicant)
    reader = api(api_key_for(applicant, scope="read"))

    assert reader.get(f"/api/v1/proposals/{draft.pk}/").status_code == 200
    response = reader.post(f"/api/v1/proposals/{draft.pk}/submit/")

    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_a_token_expires(time_machine):
    time_machine.move_to(timezone.now())
    key = api_key_for(person_with_role(Role.APPLICANT))
    assert api(key).get(reverse("api-me")).status_code == 200

    time_machine.shift(timedelta(days=90, minutes=1))

    assert api(key).get(reverse("api-me")).status_code == 401


def test_last_use_is_recorded_and_shown(client):
    applicant = person_with_role(Role.APPLICANT)
    key = api_key_for(applicant)
    api(key).get(reverse("api-me"), REMOTE_ADDR="192.0.2.7")

    token = ApiToken.objects.get(user=applicant)
    assert token.last_used_at is not None
    assert token.last_used_ip == "192.0.2.7"
    client.force_login(applicant)
    assert "192.0.2.7" in client.get(reverse("account")).content.decode()


def test_the_owner_lists_and_revokes_tokens_on_the_page_and_in_the_api(client):
    applicant = person_with_role(Role.APPLICANT)
    first, second = api_key_for(applicant), api_key_for(applicant)
    client.force_login(applicant)
    token = ApiToken.objects.filter(user=applicant).order_by("pk").first()

    listed = api(second).get("/api/v1/tokens/").json()
    assert listed["count"] == 2
    client.post(reverse("identity:api_token_revoke", args=[token.pk]))

    assert api(first).get(reverse("api-me")).status_code == 401
    assert api(second).get(reverse("api-me")).status_code == 200
    other = ApiToken.objects.exclude(pk=token.pk).get()
    assert api(second).post(f"/api/v1/tokens/{other.pk}/revoke/").status_code == 200
    assert api(second).get(reverse("api-me")).status_code == 401


def test_nobody_revokes_or_lists_someone_else_s_tokens(client):
    owner = person_with_role(Role.APPLICANT)
    api_key_for(owner)
    token = ApiToken.objects.get(user=owner)
    stranger = person_with_role(Role.APPLICANT)
    client.force_login(stranger)

    assert client.post(reverse("identity:api_token_revoke", args=[token.pk])).status_code == 404
    assert api(api_key_for(stranger)).get("/api/v1/tokens/").json()["count"] == 1
    token.refresh_from_db()
    assert token.revoked_at is None


def test_changing_the_password_revokes_every_token(client):
    applicant = person_with_role(Role.APPLICANT)
    key = api_key_for(applicant)
    client.force_login(applicant)

    client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Nieuw-wachtwoord-2026",
            "new_password2": "Nieuw-wachtwoord-2026",
        },
    )

    assert api(key).get(reverse("api-me")).status_code == 401
    assert ApiToken.objects.get().revoke_reason == ApiToken.RevokeReason.PASSWORD_CHANGED


def test_a_password_reset_revokes_every_token(client, django_capture_on_commit_callbacks):
    applicant = person_with_role(Role.APPLICANT)
    key = api_key_for(applicant)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("password_reset"), {"email": applicant.email})
    link = re.search(r"https?://[^/]+(/account/password/reset/\S+)", mail.outbox[0].body)[1]
    form = client.get(link, follow=True)
    client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "Nieuw-wachtwoord-2026", "new_password2": "Nieuw-wachtwoord-2026"},
    )

    assert api(key).get(reverse("api-me")).status_code == 401


def test_a_password_changed_outside_the_pages_also_ends_the_tokens():
    """The admin and the shell call no service: the token knows its password's fingerprint."""
    applicant = person_with_role(Role.APPLICANT)
    key = api_key_for(applicant)
    applicant.set_password("Door-de-beheerder-2026")
    applicant.save()

    assert api(key).get(reverse("api-me")).status_code == 401
    assert ApiToken.objects.get().revoke_reason == ApiToken.RevokeReason.PASSWORD_CHANGED


def test_a_membership_ended_outside_the_team_pages_also_ends_the_tokens():
    officer = person_with_role(Role.PROCUREMENT_OFFICER)
    key = api_key_for(officer)
    Membership.objects.filter(user=officer).delete()  # e.g. in the admin

    assert api(key).get(reverse("api-me")).status_code == 401
    assert ApiToken.objects.get().revoke_reason == ApiToken.RevokeReason.MEMBERSHIP_ENDED


def test_a_new_membership_keeps_the_token():
    applicant = person_with_role(Role.APPLICANT)
    key = api_key_for(applicant)
    from tests.factories import CompanyFactory, MembershipFactory

    MembershipFactory(user=applicant, organisation=CompanyFactory(), role=Role.APPLICANT)
    assert api(key).get(reverse("api-me")).status_code == 200


def test_a_wrong_or_malformed_token_is_refused():
    assert api("not-a-real-token").get(reverse("api-me")).status_code == 401
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token two parts")
    assert client.get(reverse("api-me")).status_code == 401
