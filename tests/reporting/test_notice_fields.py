"""The data notices need that the portal now asks for: telephone, postcode and NUTS 2024 region
of organisations, company size, tender validity and the minimum number of candidates. Each is
in the notice when entered, named in words when not, and bad input is refused."""

import re
import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from lxml import etree

from calls.models import Call
from calls.services.lifecycle import call_update_draft
from portal.nuts import REGIONS, RENAMED
from reporting.eforms import SDK_DIR
from reporting.eforms.builder import Award, Criterion, Lot, NoticeSource, Party, build_notice
from reporting.eforms.validation import describe, validate
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


def _result_source(*, size: str, subcontracting: str, statistics: dict) -> NoticeSource:
    now = timezone.now()
    winner = Party(
        ref="ORG-0003", name="Slimme Sluizen B.V.", identifier="70000100", city="Utrecht",
        postal_code="3511 AB", nuts="NL350", size=size,
    )  # fmt: skip
    lot = Lot(
        number=1, name="Haalbaarheid", description="Fase 1", budget=Decimal("100000.00"),
        duration_months=6, deadline=now - timedelta(days=30), participation_deadline=None,
        criteria=[Criterion("Innovatie", "Hoe nieuw", 100)], tenders=3, closed=True,
        statistics=statistics,
        awards=[
            Award(
                tender_ref="TEN-0001", party_ref="ORG-0003", contract_ref="CON-0001",
                reference="IL-2026-00001", amount=Decimal("45000.00"), contract_date=now,
                decided_at=now, subcontracting=subcontracting,
                subcontracting_share=Decimal("15") if subcontracting == "yes" else None,
            )
        ],
    )  # fmt: skip
    return NoticeSource(
        kind="result", notice_id=str(uuid.uuid4()), folder_id=str(uuid.uuid4()), issued=now,
        procedure="open", title="Sluizen", description="Slimme sluizen.", cpv="73100000",
        nuts="NL350", call_url="https://example.org/calls/1/",
        documents_url="https://example.org/calls/1/#documents",
        buyer=Party(ref="ORG-0001", name="Rijkswaterstaat", identifier="00000001900000000001",
                    city="Utrecht", postal_code="3526 LA", nuts="NL350", telephone="088-7972950",
                    email="inkoop@rws.example"),
        buyer_legal_type="cga", buyer_activity="econ", central_government=True,
        review_body=Party(ref="ORG-0002", name="Rechtbank Midden-Nederland",
                          identifier="00000001900000000101", city="Utrecht",
                          postal_code="3511 EP", nuts="NL350"),
        lots=[lot], winners=[winner],
    )  # fmt: skip


STATISTICS = {
    "t-micro": 1, "t-small": 1, "t-med": 1, "t-large": 0, "t-oth-eea": 1, "t-no-eea": 0,
    "t-esubm": 3,
}  # fmt: skip


def test_the_result_notice_states_size_subcontracting_and_the_proposals_by_size_and_origin():
    xml, gaps = build_notice(
        _result_source(size="small", subcontracting="yes", statistics=STATISTICS)
    )
    root = etree.fromstring(xml)
    assert gaps == []
    assert root.xpath("//*[local-name()='CompanySizeCode']/text()") == ["small"]
    term = root.xpath("//*[local-name()='SubcontractingTerm']")[0]
    assert term.xpath("*[local-name()='TermCode']/text()") == ["yes"]
    assert term.xpath("*[local-name()='TermPercent']/text()") == ["15.0"]
    codes = root.xpath("//*[local-name()='StatisticsCode']/text()")
    assert set(codes) == {"tenders", *STATISTICS}
    problems = validate(xml, "29", gaps)
    assert not [p for p in problems if p.source != "rules"]
    assert {p.code for p in problems} <= {"BR-OPT-00322-0053"}


def test_a_result_notice_without_them_says_so_in_words():
    xml, gaps = build_notice(_result_source(size="", subcontracting="", statistics={}))
    with translation.override("nl"):
        words = [describe(gap.as_dict()) for gap in gaps]
    assert "De grootte van Slimme Sluizen B.V. (micro, klein, middelgroot of groot) ontbreekt." in (
        words
    )
    assert (
        "Voorstel IL-2026-00001 zegt niet of het bedrijf werk uitbesteedt aan onderaannemers."
        in (words)
    )
    assert any(word.startswith("Fase 1: de grootte van een bedrijf") for word in words)
    assert b"CompanySizeCode" not in xml
    assert b"SubcontractingTerm" not in xml


@pytest.mark.parametrize(
    ("tenders", "reason", "statistics_shown"), [(0, "no-rece", False), (3, "all-rej", True)]
)
def test_a_closed_phase_without_a_winner_says_why(tenders, reason, statistics_shown):
    data = _result_source(size="small", subcontracting="no", statistics=STATISTICS)
    phase = data.lots[0]
    later = Lot(
        number=2, name="Prototype", description="Fase 2", budget=Decimal("300000.00"),
        duration_months=12, deadline=data.issued - timedelta(days=1), participation_deadline=None,
        criteria=phase.criteria, tenders=tenders, closed=True, no_award_reason=reason,
        statistics=STATISTICS if tenders else {},
    )  # fmt: skip
    data.lots.append(later)
    xml, gaps = build_notice(data)
    root = etree.fromstring(xml)
    second = root.xpath("//*[local-name()='LotResult']")[1]
    assert second.xpath("*[local-name()='TenderResultCode']/text()") == ["clos-nw"]
    assert second.xpath(".//*[local-name()='DecisionReasonCode']/text()") == [reason]
    assert bool(second.xpath("*[local-name()='ReceivedSubmissionsStatistics']")) is statistics_shown
    problems = validate(xml, "29", gaps)
    assert {p.code for p in problems} <= {"BR-OPT-00322-0053"}
