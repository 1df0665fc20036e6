"""The outside review of the notices page: nothing made up, a change notice the rules accept,
findings in words with where they are fixed, a confirmation before sending, and a stand-in
for TenderNed that refuses what TED would refuse."""

import re
from html import unescape

import pytest
from django.urls import reverse
from django.utils import translation
from lxml import etree

from calls.models import Call
from calls.services.lifecycle import call_amend
from reporting.eforms.validation import schema_problems, validate
from reporting.models import Notice
from reporting.publishing_service import refusal
from reporting.selectors.findings import findings, notice_findings
from reporting.services.notices import notice_prepare_again
from reporting.services.publishers import LocalPublisher
from tests.conftest import login_verified

from .notices import notice_ready_call, rule_clean_call


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


# --- 2. Help texts give codes the SDK accepts ----------------------------------------------------


def test_every_nuts_example_in_a_help_text_is_a_nuts_2024_region():
    import re

    from django.apps import apps

    from portal.nuts import NUTS_HELP, REGIONS

    texts = [str(NUTS_HELP)]
    for model in apps.get_models():
        for each in model._meta.get_fields():
            if "nuts" in each.name and getattr(each, "help_text", ""):
                texts.append(str(each.help_text))
    examples = {code for text in texts for code in re.findall(r"\bNL[0-9][0-9A-Z]{0,2}\b", text)}
    assert examples  # the help texts do give an example
    assert examples <= set(REGIONS), examples - set(REGIONS)


# --- 4. Findings in words, with where each is fixed ----------------------------------------------


def _visible(html: str) -> str:
    """The page's text without the collapsed technical details."""
    return unescape(re.sub(r"<details.*?</details>", "", html, flags=re.S))


def _with_code(notice: Notice, old: str, new: str, *, count: int = 1) -> None:
    """The notice as if the portal had written ``new`` for ``old``, checked again."""
    xml = notice.xml.replace(old, new, count).encode("utf-8")
    assert schema_problems(etree.fromstring(xml)) == []  # only the business rules object
    problems = [problem.as_dict() for problem in validate(xml, notice.subtype)]
    Notice.objects.filter(pk=notice.pk).update(xml=xml.decode(), problems=problems)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["nl", "en"])
def test_rule_findings_are_words_with_where_to_fix_them_and_xpaths_only_collapsed(client, language):
    call = notice_ready_call()
    notice = Notice.objects.get(call=call)
    # The buyer's region and the place of performance as a made-up "NL": the code list refuses.
    _with_code(notice, 'listName="nuts">NL350<', 'listName="nuts">NL<', count=-1)
    notice.refresh_from_db()
    codes = _codes(notice)
    assert "BR-BT-00507-0205" in codes  # an organisation's region
    assert {"BR-BT-05071-0154", "BR-BT-05071-0156"} & codes  # the place of performance

    login_verified(client, call.officer)
    client.cookies["django_language"] = language
    html = client.get(reverse("notices:officer", kwargs={"pk": call.pk})).content.decode()
    visible = _visible(html)
    # No XPath, element name or rule number in the words.
    for technical_text in ("/ContractNotice", "cbc:", "efac:", "BR-BT-"):
        assert technical_text not in visible, technical_text
    # ...but in the collapsed detail.
    assert "<details" in html
    assert "BR-BT-00507-0205" in html
    with translation.override(language):
        name = (
            "'Onderverdeling land (NUTS)'" if language == "nl" else "'Country subdivision (NUTS)'"
        )
        assert name in visible
        # The buyer's region: the authority's details, kept by the administrator.
        assert call.authority.name in visible
        kept = "beheerder van het portaal" if language == "nl" else "portal's administrator"
        assert kept in visible
    # The place of performance: a link to the field on this page.
    assert 'href="#id_place_of_performance_nuts"' in html
    # The page no longer sends every point to the publication details.
    assert "Vul de publicatiegegevens van de oproep aan" not in html


@pytest.mark.django_db
def test_what_the_portal_lacks_says_where_it_is_fixed(client):
    call = notice_ready_call(tender_validity=None, cpv_code="")
    authority = call.authority
    authority.telephone = ""
    authority.save(update_fields=["telephone"])
    notice = Notice.objects.get(call=call)
    notice_prepare_again(notice=notice, actor=call.officer)
    login_verified(client, call.officer)
    with translation.override("en"):
        found = {
            finding.words: finding
            for finding in notice_findings(
                Notice.objects.get(pk=notice.pk), call, user=call.officer
            )["blocking"]
        }
        cpv = found["The call has no CPV code."]
        assert cpv.link == "#id_cpv_code"
        validity = found["The call does not say how long a proposal must remain valid."]
        # The call is published: its terms change with an amendment, at the period's field
        # (tests/reporting/test_tender_validity.py follows the link).
        amend = reverse("calls:officer_amend", kwargs={"pk": call.pk})
        assert validity.link == amend + "#id_tender_validity"
        assert "amendment" in validity.where
        telephone = found[f"The telephone number of {authority.name} is missing."]
        assert telephone.link == ""
        assert "administrator" in telephone.where
    page = client.get(reverse("notices:officer", kwargs={"pk": call.pk})).content.decode()
    assert f'href="{amend}#id_tender_validity"' in page
    assert 'href="#id_cpv_code"' in page


@pytest.mark.django_db
def test_a_draft_calls_terms_are_fixed_on_the_call_form():
    call = notice_ready_call(publish=False, tender_validity=None)
    problem = {"source": "data", "code": "no_tender_validity", "params": {}}
    (finding,) = findings(call, [problem], user=call.officer)
    assert finding.link == reverse("calls:officer_edit", kwargs={"pk": call.pk}) + (
        "#id_tender_validity"
    )


def test_a_rule_at_an_organisation_names_it_and_says_whose_details_they_are():
    from reporting.models import Notice as NoticeModel

    call = type("C", (), {})()
    problem = {
        "source": "rules",
        "code": "BR-BT-00503-0022",
        "params": {
            "kind": "mandatory_condition",
            "field": "",
            "location": "/ContractAwardNotice[1]/ext:UBLExtensions[1]/ext:UBLExtension[1]/"
            "ext:ExtensionContent[1]/efext:EformsExtension[1]/efac:Organizations[1]/"
            "efac:Organization[3]/efac:Company[1]/cac:Contact[1]/cbc:Telephone[1]",
            "organisation": "Viaduct Circulair B.V.",
            "party": "winner",
        },
    }
    assert NoticeModel  # the model is not needed: words come from the stored report
    with translation.override("en"):
        (finding,) = findings(call, [problem], user=None)
    assert finding.words == "Viaduct Circulair B.V.: 'Telephone' is mandatory in this case."
    assert "company details page" in finding.where
    assert "Viaduct Circulair B.V." in finding.where
    assert "BR-BT-00503-0022" in finding.technical[0]
    assert "cbc:Telephone" in finding.technical[0]


# --- 4b. The same findings through the API ------------------------------------------------------


def _schema_of(component: str) -> dict:
    """The published schema's component as JSON Schema (references resolved, OpenAPI 3.0's
    ``nullable`` as a null type)."""
    from drf_spectacular.generators import SchemaGenerator

    components = SchemaGenerator().get_schema(request=None, public=True)["components"]["schemas"]

    def resolve(node):
        if isinstance(node, dict):
            if "$ref" in node:
                return resolve(components[node["$ref"].rsplit("/", 1)[1]])
            node = {key: resolve(value) for key, value in node.items()}
            if node.pop("nullable", False):
                node = {"anyOf": [node, {"type": "null"}]}
            return node
        if isinstance(node, list):
            return [resolve(item) for item in node]
        return node

    return resolve(components[component])


def _lacking_call():
    """A published call without CPV code and tender validity, its authority without telephone;
    its later phases have no deadline (a business rule's finding)."""
    call = notice_ready_call(tender_validity=None, cpv_code="")
    call.authority.telephone = ""
    call.authority.save(update_fields=["telephone"])
    notice = Notice.objects.get(call=call)
    notice_prepare_again(notice=notice, actor=call.officer)
    return call, Notice.objects.get(pk=notice.pk)


@pytest.mark.django_db
def test_the_api_gives_each_finding_with_where_it_is_fixed_as_the_page_does(client):
    import jsonschema

    call, notice = _lacking_call()
    login_verified(client, call.officer)
    client.cookies["django_language"] = "en"
    response = client.get(f"/api/v1/calls/{call.pk}/notices/{notice.pk}/")
    assert response.status_code == 200
    body = response.json()
    jsonschema.validate(body, _schema_of("Notice"))
    found = {each["words"]: each for each in body["findings"]["blocking"]}
    notices_page = reverse("notices:officer", kwargs={"pk": call.pk})
    assert found["The call has no CPV code."] | {"technical": []} == {
        "words": "The call has no CPV code.",
        "where": found["The call has no CPV code."]["where"],
        "place": "details",
        "field": "cpv_code",
        "phase": None,
        "url": f"{notices_page}#id_cpv_code",
        "technical": [],
    }
    validity = found["The call does not say how long a proposal must remain valid."]
    assert (validity["place"], validity["field"], validity["url"]) == (
        "call",
        None,
        reverse("calls:officer_amend", kwargs={"pk": call.pk}) + "#id_tender_validity",
    )
    telephone = found[f"The telephone number of {call.authority.name} is missing."]
    assert (telephone["place"], telephone["url"]) == ("authority", None)
    (later_phase,) = [each for each in body["findings"]["rules"] if each["place"] == "phase"]
    assert later_phase["phase"] == 2
    assert (
        later_phase["url"]
        == reverse("proposals:officer_phase", kwargs={"phase_pk": call.phases.get(order=2).pk})
        + "#deadline"
    )  # the phase's deadline section
    # One source: the page's selector, point for point, in the same words.
    with translation.override("en"):
        page = notice_findings(notice, call, user=call.officer)
    for kind in ("blocking", "rules"):
        assert [
            (each["words"], each["where"], each["place"], each["url"])
            for each in body["findings"][kind]
        ] == [(each.words, each.where, each.place, each.url or None) for each in page[kind]]
    # The list says the same.
    (listed,) = client.get(f"/api/v1/calls/{call.pk}/notices/").json()
    assert listed["findings"] == body["findings"]


@pytest.mark.django_db
def test_the_api_gives_no_address_of_a_page_the_requester_may_not_open(client, monkeypatch):
    """Every page where an officer fixes a value asks ``calls.manage_call`` today, as the
    notices API does, so no real reader of a notice differs: the test narrows the rule the
    fix pages ask (not the API's own) to say no."""
    import reporting.selectors.findings as selector

    call, notice = _lacking_call()
    asked: list[tuple[str, int]] = []

    def refuse(user, permission, obj=None):
        asked.append((permission, obj.pk))
        return False

    monkeypatch.setattr(selector, "can", refuse)
    login_verified(client, call.officer)
    body = client.get(f"/api/v1/calls/{call.pk}/notices/{notice.pk}/").json()
    every = body["findings"]["blocking"] + body["findings"]["rules"]
    assert {each["place"] for each in every} >= {"details", "call", "phase", "authority"}
    assert [each["url"] for each in every] == [None] * len(every)
    assert ("calls.manage_call", call.pk) in asked
    # The words still say where; the field is still named.
    assert any(each["field"] == "cpv_code" for each in every)
    # The page asks the same, and links nothing either.
    page = client.get(reverse("notices:officer", kwargs={"pk": call.pk})).content.decode()
    assert 'data-testid="finding-link"' not in page
    assert reverse("calls:officer_amend", kwargs={"pk": call.pk}) not in page


@pytest.mark.django_db
def test_once_the_call_has_ended_the_api_gives_no_address_to_fix_it(client):
    call, notice = _lacking_call()
    Call.objects.filter(pk=call.pk).update(status=Call.Status.COMPLETED)
    login_verified(client, call.officer)
    client.cookies["django_language"] = "en"
    body = client.get(f"/api/v1/calls/{call.pk}/notices/{notice.pk}/").json()
    cpv = next(each for each in body["findings"]["blocking"] if each["field"] == "cpv_code")
    assert cpv["place"] == "details"
    assert cpv["url"] is None
    assert "ended" in cpv["where"]


# --- 5. Sending asks first ------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["nl", "en"])
def test_sending_shows_what_will_be_sent_and_the_remaining_findings_before_it_acts(
    client, language
):
    call = notice_ready_call()
    notice = Notice.objects.get(call=call)
    _with_code(notice, 'listName="nuts">NL350<', 'listName="nuts">NL<', count=1)
    login_verified(client, call.officer)
    client.cookies["django_language"] = language
    url = reverse("notices:send", kwargs={"pk": call.pk, "notice_pk": notice.pk})
    page = client.post(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert str(notice.notice_id) in html
    assert 'name="confirmed" value="1"' in html
    assert "<script" not in html.split("<main", 1)[-1]  # no JavaScript needed
    with translation.override(language):
        assert translation.gettext("Remaining findings of the business rules") in html
        assert translation.gettext("Yes, send to TenderNed") in html
    assert "BR-BT-" not in _visible(html)
    notice.refresh_from_db()
    assert notice.status == Notice.Status.VALIDATED  # nothing sent yet

    response = client.post(url, {"confirmed": "1"})
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.status == Notice.Status.SENT


@pytest.mark.django_db
def test_a_notice_that_may_not_be_sent_is_not_asked_about_but_refused(client):
    call = notice_ready_call(cpv_code="")
    notice = Notice.objects.get(call=call)
    login_verified(client, call.officer)
    url = reverse("notices:send", kwargs={"pk": call.pk, "notice_pk": notice.pk})
    response = client.post(url, follow=True)
    assert response.redirect_chain
    notice.refresh_from_db()
    assert notice.status == Notice.Status.DRAFT
    other = notice_ready_call().officer
    client.logout()
    login_verified(client, other)
    assert client.post(url).status_code == 404
    assert client.post(url, {"confirmed": "1"}).status_code == 404


# --- 6. The stand-in refuses what TED would refuse -----------------------------------------------


@pytest.mark.django_db
def test_the_stand_in_refuses_a_broken_business_rule_with_the_rule_and_place(publishing_service):
    notice = Notice.objects.get(call=rule_clean_call())
    publisher = LocalPublisher(endpoint=publishing_service.url)
    broken = notice.xml.replace('listName="nuts">NL350<', 'listName="nuts">NL<', 1)
    assert schema_problems(etree.fromstring(broken.encode())) == []  # the XSD accepts it
    outcome = publisher.publish(
        xml=broken.encode(), notice_id=str(notice.notice_id), authority_id="", forward_to_ted=True
    )
    assert not outcome.accepted
    assert outcome.reason.startswith("Validation failed (eForms SDK 1.15.1 business rules)")
    assert "BR-BT-00507-0205" in outcome.reason
    assert "cbc:CountrySubentityCode" in outcome.reason
    # The report names every error; the notice as the portal made it is accepted.
    _reason, report = refusal(broken.encode())
    assert {each["ruleId"] for each in report} >= {"BR-BT-00507-0205"}
    assert all(each["severity"] == "ERROR" for each in report)
    assert refusal(notice.xml.encode()) == ("", [])


@pytest.mark.django_db
def test_the_stand_in_refuses_a_later_phase_without_its_deadline_as_ted_would():
    """The portal's known gap (KNOWN_RULE_FINDINGS): a later phase without a deadline yet.
    The officer page says where it is fixed; TenderNed would refuse the notice until then."""
    call = notice_ready_call()
    notice = Notice.objects.get(call=call)
    reason, _report = refusal(notice.xml.encode())
    assert "BR-BT-00131-0022" in reason
    with translation.override("en"):
        (finding,) = [
            each
            for each in notice_findings(notice, call, user=call.officer)["rules"]
            if any("BR-BT-00131-0022" in line for line in each.technical)
        ]
    phase = call.phases.get(order=2)
    url = reverse("proposals:officer_phase", kwargs={"phase_pk": phase.pk})
    assert finding.link == f"{url}#deadline"
    assert finding.words == (
        "Phase 2 has no deadline for receipt of tenders; in an open procedure every phase "
        "needs one."
    )
    assert finding.where.startswith("Give phase 2 its deadline on the phase's page")
