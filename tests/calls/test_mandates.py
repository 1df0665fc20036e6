"""RVO acts for Rijkswaterstaat: a mandate, general or for one call, lets another
organisation's officers run the authority's calls; records show on whose behalf."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from calls.models import Call, Mandate
from calls.services.lifecycle import call_create
from calls.services.mandates import mandate_grant, mandate_revoke
from portal.exceptions import DomainError, NotAllowed
from portal.models import Role
from portal.permissions import can
from tests.calls.factories import draft_call, officer_of
from tests.factories import AuthorityFactory, MinistryFactory, person_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def rws_officer():
    return officer_of(AuthorityFactory(name="Rijkswaterstaat"))


@pytest.fixture
def rvo_officer():
    rvo = MinistryFactory(name="RVO")
    return person_with_role(Role.PROCUREMENT_OFFICER, organisation=rvo)


def _org(user):
    return user.memberships.get().organisation


def _fresh(user):
    from portal.models import User

    return User.objects.get(pk=user.pk)  # the permission cache lives on the instance


def test_a_general_mandate_lets_rvo_draft_and_publish_for_the_authority(rws_officer, rvo_officer):
    rws = _org(rws_officer)
    with pytest.raises(NotAllowed):
        call_create(actor=rvo_officer, authority=rws, instrument=Call.Instrument.SBIR, title="x")
    mandate_grant(actor=rws_officer, principal=rws, agent=_org(rvo_officer))
    call = call_create(
        actor=_fresh(rvo_officer),
        authority=rws,
        instrument=Call.Instrument.SBIR,
        title="Circulaire viaducten",
        challenge="Hergebruik.",
        contact_name="RVO",
        contact_email="sbir@rvo.example",
        total_budget=draft_call(officer=rws_officer).total_budget,
        deadline=timezone.now() + timedelta(days=60),
        questions_deadline=timezone.now() + timedelta(days=40),
    )
    assert call.authority_id == rws.pk
    assert call.agent_id == _org(rvo_officer).pk
    with translation.override("en"):
        assert call.authority_display == "RVO on behalf of Rijkswaterstaat"
    assert can(_fresh(rvo_officer), "calls.manage_call", call)
    assert can(_fresh(rws_officer), "calls.manage_call", call)


def test_a_mandate_for_one_call_covers_that_call_only(rws_officer, rvo_officer, verified_client):
    one = draft_call(officer=rws_officer, title="Circulaire viaducten")
    other = draft_call(officer=rws_officer, title="Iets anders")
    mandate = mandate_grant(
        actor=rws_officer, principal=_org(rws_officer), agent=_org(rvo_officer), call=one
    )
    one.refresh_from_db()
    with translation.override("en"):
        assert one.authority_display == "RVO on behalf of Rijkswaterstaat"
    rvo = _fresh(rvo_officer)
    assert can(rvo, "calls.manage_call", one)
    assert not can(rvo, "calls.manage_call", other)
    client = verified_client(rvo_officer)
    page = client.get(reverse("calls:officer_list")).content.decode()
    assert "Circulaire viaducten" in page
    assert "Iets anders" not in page
    assert client.get(reverse("calls:officer_manage", args=[one.pk])).status_code == 200
    assert client.get(reverse("calls:officer_manage", args=[other.pk])).status_code == 404
    mandate_revoke(actor=rws_officer, mandate=mandate)
    assert not can(_fresh(rvo_officer), "calls.manage_call", one)
    one.refresh_from_db()
    assert one.agent_id is None


def test_only_the_authority_itself_grants_and_revokes(rws_officer, rvo_officer):
    rws = _org(rws_officer)
    mandate = mandate_grant(actor=rws_officer, principal=rws, agent=_org(rvo_officer))
    with pytest.raises(NotAllowed):  # RVO cannot pass the mandate on
        mandate_grant(actor=_fresh(rvo_officer), principal=rws, agent=AuthorityFactory())
    with pytest.raises(NotAllowed):
        mandate_revoke(actor=rvo_officer, mandate=mandate)
    with pytest.raises(DomainError):
        mandate_grant(actor=rws_officer, principal=rws, agent=_org(rvo_officer))  # twice
    with pytest.raises(DomainError):
        mandate_grant(actor=rws_officer, principal=rws, agent=rws)
    assert Mandate.objects.count() == 1


def test_the_mandates_page(rws_officer, rvo_officer, verified_client):
    client = verified_client(rws_officer)
    url = reverse("calls:mandates")
    assert client.get(url).status_code == 200
    response = client.post(url, {"principal": _org(rws_officer).pk, "agent": _org(rvo_officer).pk})
    assert response.status_code == 302
    mandate = Mandate.objects.get()
    rvo_client = verified_client(rvo_officer)
    rvo_client.cookies["django_language"] = "en"
    page = rvo_client.get(url).content.decode()
    assert "RVO on behalf of Rijkswaterstaat" in page
    # RVO cannot revoke; the authority can.
    assert (
        verified_client(rvo_officer)
        .post(reverse("calls:mandate_revoke", args=[mandate.pk]))
        .status_code
        == 302
    )
    mandate.refresh_from_db()
    assert mandate.is_active
    verified_client(rws_officer).post(reverse("calls:mandate_revoke", args=[mandate.pk]))
    mandate.refresh_from_db()
    assert not mandate.is_active
    applicant = person_with_role(Role.APPLICANT)
    assert verified_client(applicant).get(url).status_code == 403


# --- The API -------------------------------------------------------------------------------------


def _api(user):
    from rest_framework.test import APIClient

    from tests.factories import api_key_for

    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Token {api_key_for(user)}")
    return client


def test_the_api_grants_lists_and_revokes_a_mandate(rws_officer, rvo_officer):
    rws, rvo = _org(rws_officer), _org(rvo_officer)
    call = draft_call(officer=rws_officer)
    url = reverse("api-mandate-list")
    response = _api(rws_officer).post(
        url, {"principal": rws.pk, "agent": rvo.pk, "call": call.pk}, format="json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["principal_name"], body["agent_name"], body["call"]) == (
        "Rijkswaterstaat",
        "RVO",
        call.pk,
    )
    assert body["active"] is True
    call.refresh_from_db()
    assert call.agent_id == rvo.pk
    # Both sides see it: the authority that gave it and the organisation that holds it.
    for user in (rws_officer, rvo_officer):
        listed = _api(user).get(url).json()["results"]
        assert [m["id"] for m in listed] == [body["id"]]
    # Another authority's officer sees nothing of it.
    other = officer_of()
    assert _api(other).get(url).json()["results"] == []
    revoke = reverse("api-mandate-revoke", args=[body["id"]])
    assert _api(other).post(revoke).status_code == 404
    # RVO holds the mandate but cannot revoke it; the authority can, once.
    refused = _api(rvo_officer).post(revoke)
    assert refused.status_code == 403
    assert set(refused.json()) >= {"code", "detail"}
    revoked = _api(rws_officer).post(revoke)
    assert revoked.status_code == 200
    assert revoked.json()["active"] is False
    call.refresh_from_db()
    assert call.agent_id is None
    again = _api(rws_officer).post(revoke)
    assert (again.status_code, again.json()["code"]) == (400, "revoked")


def test_the_mandates_api_is_for_officers_only(rws_officer, rvo_officer):
    url = reverse("api-mandate-list")
    mandate = mandate_grant(actor=rws_officer, principal=_org(rws_officer), agent=_org(rvo_officer))
    revoke = reverse("api-mandate-revoke", args=[mandate.pk])
    assert _api(None).get(url).status_code == 401
    assert _api(None).post(revoke).status_code == 401
    for role in (Role.APPLICANT, Role.MINISTRY_STAFF):
        person = person_with_role(role)
        assert _api(person).get(url).status_code == 403
        assert _api(person).post(url, {}, format="json").status_code == 403
        assert _api(person).post(revoke).status_code == 403
    assert Mandate.objects.get().is_active


def test_the_mandates_api_refuses_bad_input(rws_officer, rvo_officer):
    rws, rvo = _org(rws_officer), _org(rvo_officer)
    url = reverse("api-mandate-list")
    client = _api(rws_officer)
    other = officer_of()
    foreign_call = draft_call(officer=other)
    cases = [
        ({}, "principal"),
        ({"principal": "x", "agent": rvo.pk}, "principal"),
        # Not my authority: it does not exist for me.
        ({"principal": _org(other).pk, "agent": rvo.pk}, "principal"),
        ({"principal": rws.pk, "agent": rws.pk}, "agent"),
        ({"principal": rws.pk, "agent": 999_999}, "agent"),
        ({"principal": rws.pk, "agent": rvo.pk, "call": foreign_call.pk}, "call"),
    ]
    for data, field in cases:
        response = client.post(url, data, format="json")
        assert response.status_code == 400, (data, response.json())
        assert field in response.json(), (data, response.json())
    assert (
        client.post(url, {"principal": rws.pk, "agent": rvo.pk}, format="json").status_code == 201
    )
    twice = client.post(url, {"principal": rws.pk, "agent": rvo.pk}, format="json")
    assert (twice.status_code, twice.json()["code"]) == (400, "agent")
    assert Mandate.objects.count() == 1
    assert client.post(reverse("api-mandate-revoke", args=[999_999])).status_code == 404


def test_the_mandates_page_takes_typed_names_and_references_without_javascript(
    rws_officer, rvo_officer, verified_client, django_assert_max_num_queries
):
    """No select of every organisation and call: text fields whose suggestions the server
    chose, as a datalist (the browser offers them without JavaScript)."""
    AuthorityFactory.create_batch(30)
    client = verified_client(rws_officer)
    url = reverse("calls:mandates")
    rvo = _org(rvo_officer)
    call = draft_call(officer=rws_officer, title="Slimme sluizen")
    html = client.get(url).content.decode()
    assert '<select name="agent"' not in html
    assert 'list="id_agent-suggestions"' in html
    assert html.count("<option", html.index('id="id_agent-suggestions"')) >= 20

    # A part of the name that only one organisation has, and the call's reference.
    response = client.post(
        url, {"principal": _org(rws_officer).pk, "agent": rvo.name[:6], "call": call.reference}
    )
    assert response.status_code == 302
    mandate = Mandate.objects.get()
    assert (mandate.agent, mandate.call) == (rvo, call)

    # Nothing that matches: the form says so, and suggests what the text comes close to.
    response = client.post(url, {"principal": _org(rws_officer).pk, "agent": "Onbekende dienst"})
    assert response.status_code == 200
    assert response.context["form"].errors["agent"]

    # The list of mandates is paginated: the same queries for 1 or 60.
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    for authority in AuthorityFactory.create_batch(59):
        mandate_grant(actor=rws_officer, principal=_org(rws_officer), agent=authority)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url)
    assert len(page.context["mandates"]) == 50
    assert "page=2" in page.content.decode()
