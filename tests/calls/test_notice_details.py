"""What the call's procurement notice needs from the officer: how long a proposal remains valid
(an SBIR) and the minimum number of candidates of an innovation partnership, with their checks."""

import pytest
from django.test import Client
from django.urls import reverse

from calls.models import Call
from calls.services.selection import selection_minimum_set
from portal.exceptions import DomainError
from tests.conftest import login_verified

from .factories import draft_call
from .test_officer_pages import form_data

pytestmark = pytest.mark.django_db


def test_the_officer_sets_the_validity_of_proposals_on_the_draft():
    call = draft_call()
    client = login_verified(Client(), call.officer)
    address = reverse("calls:officer_edit", args=[call.pk])
    data = form_data(client.get(address).context["form"])
    data.update(tender_validity="6", tender_validity_unit="WEEK")
    assert client.post(address, data).status_code == 302
    call.refresh_from_db()
    assert (call.tender_validity, call.tender_validity_unit) == (6, "WEEK")


@pytest.mark.parametrize(
    ("validity", "unit"), [("13", "MONTH"), ("400", "DAY"), ("0", "MONTH"), ("3", "YEAR")]
)
def test_a_validity_of_more_than_a_year_or_none_at_all_is_refused_on_the_page(validity, unit):
    call = draft_call()
    client = login_verified(Client(), call.officer)
    address = reverse("calls:officer_edit", args=[call.pk])
    data = form_data(client.get(address).context["form"])
    data.update(tender_validity=validity, tender_validity_unit=unit)
    response = client.post(address, data)
    assert response.status_code in (200, 400)
    assert response.context["form"].errors.keys() & {"tender_validity", "tender_validity_unit"}
    call.refresh_from_db()
    assert call.tender_validity is None


def test_a_prize_competition_is_not_asked_for_a_validity():
    call = draft_call(instrument=Call.Instrument.PRIZE_COMPETITION)
    client = login_verified(Client(), call.officer)
    form = client.get(reverse("calls:officer_edit", args=[call.pk])).context["form"]
    assert "tender_validity" not in form.fields


def test_the_minimum_of_candidates_is_at_least_three_and_not_below_the_partners():
    call = draft_call(instrument=Call.Instrument.INNOVATION_PARTNERSHIP, max_partners=4)
    with pytest.raises(DomainError):
        selection_minimum_set(call=call, actor=call.officer, minimum=2)
    with pytest.raises(DomainError) as refused:
        selection_minimum_set(call=call, actor=call.officer, minimum=3)
    assert "(4)" in refused.value.message
    selection_minimum_set(call=call, actor=call.officer, minimum=5)
    call.refresh_from_db()
    assert call.min_invitations == 5
