"""The real eHerkenning code path: django-digid-eherkenning and python3-saml against a local
broker in its own process (tests/identity_providers/saml_idp.py). The AuthnRequest is signed,
the artifact is resolved over SOAP, the assertion's signature is checked and the person's
pseudonym decrypted, exactly as with a real broker. No network beyond 127.0.0.1."""

import re
import urllib.request
from html import unescape
from urllib.parse import urlsplit

import pytest
import requests
from django.core.management import call_command
from django.urls import reverse

from portal.identity.models import CompanyVerification, EherkenningLink, VerificationMethod
from portal.identity.services.saml_config import EherkenningSettings, eherkenning_configure
from portal.models import Organisation, User
from tests.factories import CompanyFactory
from tests.identity_providers.support import Provider, key_pair

pytestmark = pytest.mark.django_db

SP_ENTITY = "urn:etoegang:DV:00000001234567890000:entities:0001"
# The address the broker sends people back to; the test client then asks the portal for it.
PORTAL = "http://innovatieloket.test"


@pytest.fixture(scope="session")
def saml_keys(tmp_path_factory):
    directory = tmp_path_factory.mktemp("saml-keys")
    return {"sp": key_pair("innovatieloket-sp", directory), "idp": key_pair("broker", directory)}


@pytest.fixture(scope="session")
def broker(saml_keys, tmp_path_factory):
    idp_key, idp_cert = saml_keys["idp"]
    _sp_key, sp_cert = saml_keys["sp"]
    provider = Provider(
        "tests.identity_providers.saml_idp",
        ["--key", str(idp_key), "--cert", str(idp_cert), "--sp-cert", str(sp_cert)],
        tmp_path_factory.mktemp("saml-log") / "broker.log",
    ).start()
    yield provider
    provider.stop()


@pytest.fixture
def configured(settings, tmp_path, broker, saml_keys):
    settings.EHERKENNING_MODE = "saml"
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path)
    sp_key, sp_cert = saml_keys["sp"]
    with urllib.request.urlopen(f"{broker.url}/metadata") as response:
        metadata = response.read()
    return eherkenning_configure(
        EherkenningSettings(
            certificate_pem=sp_cert.read_bytes(),
            private_key_pem=sp_key.read_bytes(),
            idp_metadata=metadata,
            base_url=PORTAL,
            entity_id=SP_ENTITY,
            oin="00000001234567890000",
            broker_id="00000003244440010000",
            privacy_policy="https://innovatieloket.example/privacy",
        )
    )


def through_broker(client, broker, *, cancel=False, next_url="", **person) -> str:
    """A browser: the portal's form posts to the broker, the person logs in there, and the
    broker redirects back with an artifact. Returns the portal path to follow."""
    start = client.get(
        reverse("identity:eherkenning_login"), {"next": next_url} if next_url else {}
    )
    assert start.status_code == 200, start.content
    html = start.content.decode()
    action = unescape(re.search(r'<form method="post" action="([^"]+)"', html)[1])
    fields = dict(re.findall(r'name="(SAMLRequest|RelayState)" value="([^"]*)"', html))
    assert action == f"{broker.url}/sso"
    login_page = requests.post(action, data=fields, timeout=10)
    assert login_page.status_code == 200, login_page.text
    request_id = re.search(r'name="request_id" value="([^"]+)"', login_page.text)[1]
    form = {
        "request_id": request_id,
        "relay_state": "",
        "action": "cancel" if cancel else "login",
        "kvk_number": "12345678",
        "acting_subject": "persoon-1",
        "loa": "urn:etoegang:core:assurance-class:loa3",
        **person,
    }
    back = requests.post(f"{broker.url}/login", data=form, allow_redirects=False, timeout=10)
    assert back.status_code == 302
    location = urlsplit(back.headers["Location"])
    assert f"{location.scheme}://{location.netloc}" == PORTAL
    return f"{location.path}?{location.query}"


def test_the_authn_request_is_signed_and_goes_to_the_broker(client, configured, broker):
    page = client.get(reverse("identity:eherkenning_login"))

    html = page.content.decode()
    assert f'action="{broker.url}/sso"' in html
    # Works without JavaScript: a visible button posts the form.
    assert 'type="submit"' in html


def test_a_first_login_creates_the_verified_company_from_the_assertion(client, configured, broker):
    acs = through_broker(client, broker, company_name="Slimme Sluizen B.V.")

    response = client.get(acs)

    assert response["Location"] == reverse("identity:eherkenning_details")
    client.post(
        reverse("identity:eherkenning_details"),
        {"full_name": "Eva de Boer", "email": "eva@slimmesluizen.example"},
    )
    company = Organisation.objects.get(kvk_number="12345678")
    assert company.name == "Slimme Sluizen B.V."  # the CompanyName attribute
    verification = CompanyVerification.objects.get(company=company)
    assert verification.method == VerificationMethod.EHERKENNING
    assert verification.level_of_assurance.endswith("loa3")
    # The decrypted pseudonym identifies the person next time.
    link = EherkenningLink.objects.get()
    assert link.acting_subject_id == "persoon-1"
    assert link.user == User.objects.get(email="eva@slimmesluizen.example")


def test_a_known_person_joins_straight_away_and_the_artifact_works_once(client, configured, broker):
    company = CompanyFactory(kvk_number="12345678")
    user = User.objects.create_user(email="bram@example.org", full_name="Bram")
    EherkenningLink.objects.create(user=user, company=company, acting_subject_id="persoon-7")

    acs = through_broker(client, broker, acting_subject="persoon-7")
    response = client.get(acs)

    assert response["Location"] == reverse("dashboard")
    assert int(client.session["_auth_user_id"]) == user.pk
    client.logout()
    replay = client.get(acs)
    assert replay["Location"] == reverse("login")
    assert "_auth_user_id" not in client.session


def test_a_tampered_assertion_is_refused(client, configured, broker):
    acs = through_broker(client, broker, tamper="1")

    response = client.get(acs)

    assert response["Location"] == reverse("login")
    assert not Organisation.objects.filter(kvk_number__in=["12345678", "99999999"]).exists()
    assert "_auth_user_id" not in client.session


def test_cancelling_at_the_broker_logs_nobody_in(client, configured, broker):
    acs = through_broker(client, broker, cancel=True)

    response = client.get(acs, follow=True)

    assert "_auth_user_id" not in client.session
    assert "geannuleerd" in response.content.decode() or "cancelled" in response.content.decode()


def test_an_artifact_for_a_request_this_portal_never_made_is_refused(
    client, configured, broker, django_capture_on_commit_callbacks
):
    acs = through_broker(client, broker)
    from django.core.cache import cache

    cache.clear()  # the portal forgets the AuthnRequest it sent

    assert client.get(acs)["Location"] == reverse("login")
    assert not EherkenningLink.objects.exists()


def test_a_company_from_abroad_through_eidas(client, configured, broker):
    acs = through_broker(
        client, broker, kvk_number="", euid="DEK1101R.HRB116737", company_name="Brücken GmbH"
    )
    client.get(acs)
    client.post(
        reverse("identity:eherkenning_details"),
        {"full_name": "Anna Schmidt", "email": "anna@bruecken.example"},
    )

    company = Organisation.objects.get(euid="DEK1101R.HRB116737")
    assert (company.country, company.name) == ("DE", "Brücken GmbH")
    assert company.verifications.get().method == VerificationMethod.EIDAS


def test_the_service_provider_metadata_is_published_for_the_broker(client, configured):
    response = client.get(reverse("eherkenning:metadata"))

    assert response.status_code == 200
    assert SP_ENTITY in response.content.decode()


def test_the_configuration_command_reads_the_environment(
    settings, tmp_path, broker, saml_keys, monkeypatch
):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path)
    sp_key, sp_cert = saml_keys["sp"]
    metadata = tmp_path / "broker.xml"
    with urllib.request.urlopen(f"{broker.url}/metadata") as response:
        metadata.write_bytes(response.read())
    for name, value in {
        "EHERKENNING_CERTIFICATE_FILE": str(sp_cert),
        "EHERKENNING_PRIVATE_KEY_FILE": str(sp_key),
        "EHERKENNING_IDP_METADATA": str(metadata),
        "EHERKENNING_ENTITY_ID": SP_ENTITY,
        "EHERKENNING_OIN": "00000001234567890000",
        "EHERKENNING_BROKER_ID": "00000003244440010000",
        "EHERKENNING_PRIVACY_POLICY_URL": "https://innovatieloket.example/privacy",
        "EHERKENNING_BASE_URL": "https://innovatieloket.example",
    }.items():
        monkeypatch.setenv(name, value)

    call_command("eherkenning_configure")

    from digid_eherkenning.models import EherkenningConfiguration

    config = EherkenningConfiguration.get_solo()
    assert (config.entity_id, config.base_url) == (SP_ENTITY, "https://innovatieloket.example")
    assert config.idp_service_entity_id.startswith("urn:etoegang:HM:")


def test_without_a_configuration_the_login_says_eherkenning_is_unavailable(client, settings):
    settings.EHERKENNING_MODE = "saml"

    response = client.get(reverse("identity:eherkenning_login"), follow=True)

    assert response.redirect_chain[-1][0] == reverse("login")
    assert "eHerkenning" in response.content.decode()
    assert response.status_code == 200
