"""The data notices need that the portal now asks for: telephone, postcode and NUTS 2024 region
of organisations, company size, tender validity and the minimum number of candidates. Each is
in the notice when entered, named in words when not, and bad input is refused."""

import re

import pytest
from django.core.exceptions import ValidationError
from lxml import etree

from calls.models import Call
from calls.services.lifecycle import call_update_draft
from portal.nuts import REGIONS, RENAMED
from reporting.eforms import SDK_DIR
from reporting.models import Notice

from .notices import complete_authority, notice_ready_call


def _root(notice: Notice):
    return etree.fromstring(notice.xml.encode())


def test_the_nuts_choices_are_the_dutch_level_3_codes_the_eforms_rules_accept():
    rules = (SDK_DIR / "schematrons" / "static" / "validation-stage-3b.sch").read_text()
    test = re.search(r'id="BR-BT-00507-0205"[^>]*test="([^"]*)"', rules).group(1)
    accepted = set(re.findall(r"'(NL[0-9A-Z]{3})'", test)) - {"NLZZZ"}
    assert set(REGIONS) == accepted
    assert set(RENAMED.values()) <= accepted
    assert not set(RENAMED) & accepted  # every renamed NUTS 2021 code is gone in 2024


@pytest.mark.django_db
def test_the_contract_notice_carries_telephone_postcode_regions_and_tender_validity():
    call = notice_ready_call()
    notice = Notice.objects.get(call=call)
    root = _root(notice)
    assert root.xpath("//*[local-name()='Telephone']/text()") == ["088-7972950"]
    assert {"3526 LA", "3511 EP"} <= set(root.xpath("//*[local-name()='PostalZone']/text()"))
    assert "NL350" in root.xpath("//*[local-name()='CountrySubentityCode']/text()")
    validity = root.xpath("//*[local-name()='TenderValidityPeriod']/*")
    assert {(v.text, v.get("unitCode")) for v in validity} == {("3", "MONTH")}
    assert len(validity) == call.phases.count()  # one per phase (lot)
    assert not [p for p in notice.problems if p["source"] == "data"]


@pytest.mark.django_db
def test_missing_telephone_postcode_region_and_validity_are_named_in_words():
    authority = complete_authority(telephone="", review_body_postal_code="")
    authority.review_body_nuts_code = ""
    authority.save()
    from calls.services.lifecycle import call_publish
    from tests.calls.factories import draft_call, officer_of

    officer = officer_of(authority)
    call = draft_call(officer=officer, cpv_code="73100000", place_of_performance_nuts="NL350")
    call_publish(call=call, actor=officer)
    notice = Notice.objects.get(call=call)
    messages = notice.problem_messages
    assert f"Het telefoonnummer van {authority.name} ontbreekt." in messages
    assert "De postcode van Rechtbank Midden-Nederland ontbreekt." in messages
    assert "De regio (NUTS 2024) van Rechtbank Midden-Nederland ontbreekt." in messages
    assert "De oproep zegt niet hoe lang een voorstel geldig moet blijven." in messages
    assert notice.status == Notice.Status.DRAFT
    assert "TenderValidityPeriod" not in notice.xml


@pytest.mark.django_db
def test_an_innovation_partnership_notice_names_its_minimum_of_candidates():
    call = notice_ready_call(instrument=Call.Instrument.INNOVATION_PARTNERSHIP)
    root = _root(Notice.objects.get(call=call))
    assert root.xpath("//*[local-name()='MinimumQuantity']/text()")[0] == "3"
    assert "TenderValidityPeriod" not in etree.tostring(root).decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("postal_code", "3526la"),
        ("postal_code", "0526 LA"),
        ("telephone", "call us"),
        ("nuts_code", "NL310"),  # NUTS 2021: gone in 2024
        ("review_body_postal_code", "3511EP"),
    ],
)
def test_bad_organisation_details_are_refused(field, value):
    authority = complete_authority()
    setattr(authority, field, value)
    with pytest.raises(ValidationError) as refused:
        authority.full_clean()
    assert field in refused.value.message_dict


@pytest.mark.django_db
def test_a_validity_beyond_a_year_is_refused_on_the_call():
    call = notice_ready_call(publish=False)
    with pytest.raises(ValidationError) as refused:
        call_update_draft(
            call=call,
            actor=call.officer,
            data={"tender_validity": 13, "tender_validity_unit": Call.ValidityUnit.MONTH},
        )
    assert "tender_validity" in refused.value.message_dict
    call_update_draft(
        call=call, actor=call.officer, data={"tender_validity": 8, "tender_validity_unit": "WEEK"}
    )
    call.refresh_from_db()
    assert (call.tender_validity, call.tender_validity_unit) == (8, "WEEK")
