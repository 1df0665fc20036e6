"""Single sign-on for officials against a local OpenID Connect provider in its own process
(tests/identity_providers/oidc_provider.py): the real mozilla-django-oidc flow with state,
nonce and PKCE, ID tokens checked against the provider's published key. No network beyond
127.0.0.1."""

import re
from html import unescape
from urllib.parse import urlsplit

import pytest
import requests
from django.urls import reverse

from portal.identity.models import IdentityProvider, IdentityProviderDevice
from portal.models import Role
from proposals.models import Committee, CommitteeMember
from tests.calls.factories import published_call
from tests.factories import PASSWORD, AuthorityFactory, UserFactory, person_with_role
from tests.identity_providers.support import Provider

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="session")
def provider(tmp_path_factory):
    running = Provider(
        "tests.identity_providers.oidc_provider",
        ["--client-id", "innovatieloket", "--client-secret", "geheim"],
        tmp_path_factory.mktemp("oidc-log") / "provider.log",
    ).start("/health")
    yield running
    running.stop()


@pytest.fixture
def rws():
    return AuthorityFactory(name="Rijkswaterstaat")


@pytest.fixture
def configured(provider, rws):
    return IdentityProvider.objects.create(
        organisation=rws,
        slug="rws",
        name="RWS-account",
        issuer=provider.url,
        client_id="innovatieloket",
        client_secret="geheim",
    )


def sso(client, provider, *, email, mfa=False, acr="", trick="", cancel=False, slug="rws"):
    """A browser at the provider: portal → provider's login form → back with a code."""
    start = client.get(reverse("identity:oidc_login", args=[slug]))
    assert start.status_code == 302, start.content
    authorize = start["Location"]
    assert authorize.startswith(f"{provider.url}/authorize?")
    form_page = requests.get(authorize, timeout=10)
    fields = dict(re.findall(r'type="hidden" name="([^"]+)" value="([^"]*)"', form_page.text))
    fields = {k: unescape(v) for k, v in fields.items()}
    assert fields["code_challenge_method"] == "S256"
    assert fields["nonce"]
    data = {**fields, "email": email, "action": "cancel" if cancel else "login", "acr": acr}
    if mfa:
        data["mfa"] = "1"
    if trick:
        data["trick"] = trick
    back = requests.post(f"{provider.url}/authorize", data=data, allow_redirects=False, timeout=10)
    assert back.status_code == 302, back.text
    location = urlsplit(back.headers["Location"])
    return client.get(f"{location.path}?{location.query}")


def test_the_login_page_offers_the_organisation_s_provider(client, configured):
    html = client.get(reverse("login")).content.decode()
    assert 'data-testid="sso-rws"' in html
    assert "RWS-account" in html


def test_an_official_logs_in_with_mfa_asserted_by_the_provider_and_needs_no_totp(
    client, provider, configured, rws
):
    officer = person_with_role(
        Role.PROCUREMENT_OFFICER, organisation=rws, email="sanne@rws.example"
    )

    response = sso(client, provider, email="Sanne@RWS.example", mfa=True)

    assert response["Location"] == reverse("dashboard")
    assert int(client.session["_auth_user_id"]) == officer.pk
    assert client.get(reverse("dashboard")).status_code == 200  # no TOTP asked
    device = IdentityProviderDevice.objects.get(user=officer)
    assert device.provider_slug == "rws"


def test_without_an_mfa_claim_the_portal_asks_its_own_second_factor(
    client, provider, configured, rws
):
    person_with_role(Role.PROCUREMENT_OFFICER, organisation=rws, email="sanne@rws.example")

    sso(client, provider, email="sanne@rws.example", mfa=False)

    page = client.get(reverse("dashboard"))
    assert page.status_code == 302
    assert page["Location"].startswith(reverse("two_factor_setup"))


def test_an_acr_value_the_provider_is_configured_for_counts_as_mfa(
    client, provider, configured, rws
):
    configured.mfa_acr = "urn:rws:loa:substantial"
    configured.save()
    person_with_role(Role.ASSESSOR, organisation=rws, email="pieter@rws.example")

    sso(client, provider, email="pieter@rws.example", acr="urn:rws:loa:substantial")

    assert client.get(reverse("dashboard")).status_code == 200


def test_people_are_matched_by_e_mail_and_organisation(client, provider, configured):
    # The same address, but an official of another authority: the RWS provider cannot log
    # them in, whatever it says about the address.
    person_with_role(
        Role.PROCUREMENT_OFFICER, organisation=AuthorityFactory(), email="sanne@rws.example"
    )

    response = sso(client, provider, email="sanne@rws.example", mfa=True)

    assert response["Location"] == reverse("login")
    assert "_auth_user_id" not in client.session
    assert "sanne@rws.example" in client.get(reverse("login")).content.decode()


def test_an_unknown_official_is_not_created(client, provider, configured):
    from portal.models import User

    sso(client, provider, email="nieuw@rws.example", mfa=True)

    assert not User.objects.filter(email="nieuw@rws.example").exists()
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("trick", ["audience", "issuer", "key"])
def test_an_id_token_for_someone_else_from_someone_else_or_badly_signed_is_refused(
    client, provider, configured, rws, trick
):
    person_with_role(Role.PROCUREMENT_OFFICER, organisation=rws, email="sanne@rws.example")

    response = sso(client, provider, email="sanne@rws.example", mfa=True, trick=trick)

    assert response["Location"] == reverse("login")
    assert "_auth_user_id" not in client.session


def test_cancelling_at_the_provider_logs_nobody_in(client, provider, configured, rws):
    person_with_role(Role.PROCUREMENT_OFFICER, organisation=rws, email="sanne@rws.example")
    response = sso(client, provider, email="sanne@rws.example", cancel=True)
    assert response["Location"] == reverse("login")
    assert "_auth_user_id" not in client.session


def test_a_callback_without_a_login_started_here_is_refused(client, configured):
    response = client.get(reverse("identity:oidc_callback"), {"code": "x", "state": "forged"})
    assert response["Location"] == reverse("login")
    assert "_auth_user_id" not in client.session


def test_a_provider_from_the_environment(client, provider, rws, settings):
    settings.OIDC_PROVIDERS = [
        {
            "slug": "rws-env",
            "name": "RWS (omgeving)",
            "organisation": "Rijkswaterstaat",
            "issuer": provider.url,
            "client_id": "innovatieloket",
        }
    ]
    import os

    os.environ["OIDC_CLIENT_SECRET_RWS_ENV"] = "geheim"
    try:
        person_with_role(Role.PROCUREMENT_OFFICER, organisation=rws, email="sanne@rws.example")
        response = sso(client, provider, email="sanne@rws.example", mfa=True, slug="rws-env")
    finally:
        del os.environ["OIDC_CLIENT_SECRET_RWS_ENV"]

    assert response["Location"] == reverse("dashboard")


def test_officials_of_an_organisation_with_a_provider_do_not_use_a_password(
    client, configured, rws
):
    officer = person_with_role(Role.PROCUREMENT_OFFICER, organisation=rws)

    response = client.post(reverse("login"), {"username": officer.email, "password": PASSWORD})

    assert response.status_code == 200
    assert "RWS-account" in str(response.context["form"].errors)
    assert "_auth_user_id" not in client.session


def test_a_wrong_password_says_nothing_about_single_sign_on(client, configured, rws):
    officer = person_with_role(Role.PROCUREMENT_OFFICER, organisation=rws)
    response = client.post(reverse("login"), {"username": officer.email, "password": "fout-12345"})
    assert "RWS-account" not in str(response.context["form"].errors)


def test_password_login_stays_where_no_provider_is_configured(client, configured):
    officer = person_with_role(Role.PROCUREMENT_OFFICER)  # another authority
    response = client.post(reverse("login"), {"username": officer.email, "password": PASSWORD})
    assert response.status_code == 302


def test_password_login_stays_for_independent_experts(client, configured):
    expert = UserFactory()
    committee = Committee.objects.create(
        phase=published_call().phases.get(order=1), code_of_conduct="Vertrouwelijk."
    )
    CommitteeMember.objects.create(committee=committee, user=expert, is_independent=True)

    response = client.post(reverse("login"), {"username": expert.email, "password": PASSWORD})

    assert response.status_code == 302
    assert client.get(reverse("dashboard"))["Location"].startswith(reverse("two_factor_setup"))


def test_password_login_can_be_allowed_alongside_the_provider(client, configured, rws, settings):
    settings.OIDC_ALLOW_PASSWORD_LOGIN = True
    officer = person_with_role(Role.PROCUREMENT_OFFICER, organisation=rws)
    response = client.post(reverse("login"), {"username": officer.email, "password": PASSWORD})
    assert response.status_code == 302


def test_an_unreachable_provider_gives_a_clear_message(client, rws):
    IdentityProvider.objects.create(
        organisation=rws,
        slug="weg",
        name="Weg",
        issuer="http://127.0.0.1:9",
        client_id="x",
        client_secret="y",
    )
    response = client.get(reverse("identity:oidc_login", args=["weg"]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("login")
    assert "Weg" in response.content.decode()
