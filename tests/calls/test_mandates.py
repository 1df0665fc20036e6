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
