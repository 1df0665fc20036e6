import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from portal.models import Organisation, Role
from tests.factories import (
    AuthorityFactory,
    CompanyFactory,
    MinistryFactory,
    api_key_for,
    person_with_role,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def test_public_organisation_list_shows_public_bodies_not_companies(api):
    AuthorityFactory(name="Provincie Zuid-Holland", authority_tier="province")
    MinistryFactory(name="Ministerie van EZK")
    CompanyFactory(name="Geheim B.V.")

    response = api.get(reverse("api-organisation-list"))

    assert response.status_code == 200
    names = [item["name"] for item in response.json()["results"]]
    assert names == ["Ministerie van EZK", "Provincie Zuid-Holland"]


def test_the_list_gives_the_address_and_region_that_notices_state(api):
    AuthorityFactory(
        name="Provincie Zuid-Holland",
        authority_tier="province",
        street_address="Zuid-Hollandplein 1",
        postal_code="2596 AW",
        city="Den Haag",
        nuts_code="NL361",
        telephone="070-4416611",
    )

    item = api.get(reverse("api-organisation-list")).json()["results"][0]

    assert (item["postal_code"], item["nuts_code"], item["telephone"]) == (
        "2596 AW",
        "NL361",
        "070-4416611",
    )


def test_organisation_list_filters_by_kind_and_tier(api):
    AuthorityFactory(name="Provincie Zuid-Holland", authority_tier="province")
    AuthorityFactory(name="Gemeente Delft", authority_tier="municipality")
    MinistryFactory()

    response = api.get(reverse("api-organisation-list"), {"authority_tier": "province"})

    assert [item["name"] for item in response.json()["results"]] == ["Provincie Zuid-Holland"]


def test_bad_filter_value_gets_a_clear_400(api):
    response = api.get(reverse("api-organisation-list"), {"kind": "spaceship"})
    assert response.status_code == 400
    assert "kind" in response.json()


def test_organisation_list_is_paginated_with_constant_queries(api, django_assert_num_queries):
    for _ in range(30):
        AuthorityFactory()
    with django_assert_num_queries(2):  # count + page
        response = api.get(reverse("api-organisation-list"))
    body = response.json()
    assert body["count"] == 30
    assert len(body["results"]) == 25
    assert body["next"]


def test_me_with_token(api):
    applicant = person_with_role(Role.APPLICANT, email="lotte@example.org")
    api.credentials(HTTP_AUTHORIZATION=f"Token {api_key_for(applicant)}")

    body = api.get(reverse("api-me")).json()

    assert body["email"] == "lotte@example.org"
    assert body["memberships"][0]["role"] == Role.APPLICANT
    assert body["memberships"][0]["organisation"]["kind"] == Organisation.Kind.COMPANY
    assert body["memberships"][0]["team_role"] == "member"


def test_me_needs_authentication(api):
    assert api.get(reverse("api-me")).status_code == 401


def test_me_refuses_a_wrong_token(api):
    api.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert api.get(reverse("api-me")).status_code == 401


def test_openapi_schema_and_docs_are_served_locally(client):
    schema = client.get(reverse("api-schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    assert "/api/v1/organisations/" in schema.json()["paths"]

    docs = client.get(reverse("api-docs")).content.decode()
    assert "swagger-ui" in docs
    assert "cdn." not in docs
    assert "unpkg" not in docs


def test_api_throttles_anonymous_floods(api, settings):
    from rest_framework.settings import api_settings
    from rest_framework.throttling import AnonRateThrottle

    AnonRateThrottle.THROTTLE_RATES = {**api_settings.DEFAULT_THROTTLE_RATES, "anon": "3/minute"}
    try:
        codes = [api.get(reverse("api-organisation-list")).status_code for _ in range(4)]
    finally:
        AnonRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
    assert codes == [200, 200, 200, 429]


@pytest.mark.parametrize(
    ("language", "intro", "other"),
    [("nl", "Oproepen, voorstellen", "Calls, proposals"), ("en", "Calls, proposals", "Oproepen")],
)
def test_the_api_docs_speak_one_language_and_need_no_inline_style(client, language, intro, other):
    client.cookies["django_language"] = language
    schema = client.get(reverse("api-schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")
    description = schema.json()["info"]["description"]
    assert description.startswith(intro)
    assert other not in description
    summaries = [
        operation.get("summary") or operation.get("description") or ""
        for path in schema.json()["paths"].values()
        for operation in path.values()
        if isinstance(operation, dict)
    ]
    assert any(summaries)

    docs = client.get(reverse("api-docs"))
    page = docs.content.decode()
    assert "<style" not in page
    assert " style=" not in page
    assert f'lang="{language}"' in page
    assert "css/api-docs.css" in page
    assert "'unsafe-inline'" not in docs["Content-Security-Policy"]
