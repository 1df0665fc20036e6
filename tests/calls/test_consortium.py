"""Whether a call allows consortium partners: set by the officer, shown on the call's page,
and respected by the proposal form and the service behind it."""

import pytest
from django.test import Client
from django.urls import reverse

from portal.exceptions import DomainError
from proposals.services.submission import proposal_save_draft, proposal_start
from tests.conftest import login_verified
from tests.proposals.factories import applicant

from .factories import draft_call, published_call
from .test_officer_pages import form_data

pytestmark = pytest.mark.django_db


def test_the_officer_sets_it_on_the_draft_and_the_api_shows_it():
    call = draft_call()
    assert call.consortium_allowed  # the default: partners allowed
    client = login_verified(Client(), call.officer)
    address = reverse("calls:officer_edit", args=[call.pk])
    data = form_data(client.get(address).context["form"])
    del data["consortium_allowed"]  # an unticked box sends nothing
    assert client.post(address, data).status_code == 302
    call.refresh_from_db()
    assert not call.consortium_allowed

    data["consortium_allowed"] = "on"
    client.post(address, data)
    call.refresh_from_db()
    assert call.consortium_allowed


@pytest.mark.parametrize("allowed", [True, False])
def test_the_call_page_and_api_say_whether_partners_are_allowed(allowed):
    call = published_call(consortium_allowed=allowed)
    html = Client().get(call.get_absolute_url()).content.decode()
    assert 'data-testid="consortium"' in html
    api = Client().get(reverse("api-call-detail", args=[call.pk])).json()
    assert api["consortium_allowed"] is allowed


@pytest.mark.parametrize("allowed", [True, False])
def test_the_proposal_form_offers_partners_only_when_the_call_allows_them(allowed):
    call = published_call(consortium_allowed=allowed)
    person = applicant()
    proposal = proposal_start(phase=call.phases.get(order=1), actor=person, title="Pont")
    client = login_verified(Client(), person)
    address = reverse("proposals:edit", args=[proposal.pk])
    form = client.get(address).context["form"]
    assert ("consortium_partners" in form.fields) is allowed

    data = form_data(form)
    data["consortium_partners"] = "Werf B.V. (Dordrecht)"
    data["summary"] = "Een emissievrije pont."
    response = client.post(address, data)
    assert response.status_code in (200, 302)
    proposal.refresh_from_db()
    assert proposal.summary == "Een emissievrije pont."  # the rest is saved either way
    assert proposal.consortium_partners == ("Werf B.V. (Dordrecht)" if allowed else "")


def test_the_service_refuses_partners_when_the_call_does_not_allow_them():
    call = published_call(consortium_allowed=False)
    person = applicant()
    proposal = proposal_start(phase=call.phases.get(order=1), actor=person, title="Pont")
    with pytest.raises(DomainError) as refused:
        proposal_save_draft(
            proposal=proposal, actor=person, fields={"consortium_partners": "Werf B.V."}
        )
    assert refused.value.code == "consortium_partners"
    proposal.refresh_from_db()
    assert proposal.consortium_partners == ""
    # Emptying the field is fine.
    proposal_save_draft(proposal=proposal, actor=person, fields={"consortium_partners": " "})
