"""The outside review of the notices page: nothing made up, a change notice the rules accept,
findings in words with where they are fixed, a confirmation before sending, and a stand-in
for TenderNed that refuses what TED would refuse."""

import pytest
from django.utils import translation
from lxml import etree

from calls.services.lifecycle import call_amend
from reporting.models import Notice

from .notices import notice_ready_call


def _root(notice: Notice) -> etree._Element:
    return etree.fromstring(notice.xml.encode("utf-8"))


def _codes(notice: Notice) -> set[str]:
    return {problem["code"] for problem in notice.problems}


# --- 1. An empty place of performance is not made up --------------------------------------------


@pytest.mark.django_db
def test_an_empty_place_of_performance_is_left_out_and_named_as_missing():
    call = notice_ready_call(place_of_performance_nuts="")
    notice = Notice.objects.get(call=call)
    root = _root(notice)
    # Neither a region nor a country is assumed for the place of performance.
    assert not root.xpath("//*[local-name()='RealizedLocation']")
    assert "no_nuts" in _codes(notice)
    with translation.override("nl"):
        assert "De oproep heeft geen plaats van uitvoering (NUTS-regio)." in (
            notice.problem_messages
        )


@pytest.mark.django_db
def test_a_chosen_place_of_performance_is_the_region_and_its_country():
    notice = Notice.objects.get(call=notice_ready_call(place_of_performance_nuts="NL350"))
    root = _root(notice)
    codes = root.xpath(
        "//*[local-name()='RealizedLocation']//*[local-name()='CountrySubentityCode']/text()"
    )
    assert set(codes) == {"NL350"}
    countries = root.xpath(
        "//*[local-name()='RealizedLocation']//*[local-name()='IdentificationCode']/text()"
    )
    assert set(countries) == {"NLD"}
    assert not {"BR-BT-05071-0154", "BR-BT-05071-0156"} & _codes(notice)


# --- 3. A change notice the rules accept ---------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "sections"),
    [
        ({"title": "Nieuwe titel van de oproep"}, ["PROCEDURE"]),
        ({"deadline": None}, ["LOT-0001"]),
        ({"deadline": None, "contact_name": "Mw. de Vries"}, ["LOT-0001", "PROCEDURE"]),
    ],
)
def test_a_change_notice_names_the_sections_its_description_is_about(changes, sections):
    call = notice_ready_call()
    if "deadline" in changes:
        changes["deadline"] = call.deadline + (call.deadline - call.questions_deadline)
    call_amend(call=call, actor=call.officer, reason="Verduidelijking.", changes=changes)
    change = Notice.objects.get(call=call, kind=Notice.Kind.CHANGE)
    root = _root(change)
    assert root.xpath("//*[local-name()='ChangeDescription']")
    assert root.xpath("//*[local-name()='ChangedSectionIdentifier']/text()") == sections
    # BT-141 is allowed beside the sections it describes (the SDK's BR-BT-00141-0022).
    assert "BR-BT-00141-0022" not in _codes(change)
    assert not [code for code in _codes(change) if code.startswith("BR-BT-0013716")]
    assert change.blocking_problems == []
