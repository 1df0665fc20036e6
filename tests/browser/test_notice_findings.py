"""The officer reads a notice's findings in words with where each is fixed, the technical
detail collapsed, and confirms before sending; in Dutch and English, wide and narrow, with
axe-core. Screenshots go to NOTICE_SHOTS_DIR when it is set (for a person to look at)."""

import os
from pathlib import Path

import pytest

from calls.services.lifecycle import call_publish
from portal.models import Role
from reporting.eforms.validation import validate
from reporting.models import Notice
from tests.calls.factories import draft_call, ensure_missions
from tests.reporting.notices import complete_authority

from .conftest import axe_violations
from .test_officer import log_in_as_officer

pytestmark = pytest.mark.django_db(transaction=True)
SHOTS = os.environ.get("NOTICE_SHOTS_DIR", "")


def _shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def _call_with_findings(officer):
    membership = officer.memberships.get(role=Role.PROCUREMENT_OFFICER)
    membership.organisation = complete_authority()
    membership.save(update_fields=["organisation"])
    call = draft_call(
        officer=officer, cpv_code="73100000", place_of_performance_nuts="NL350", tender_validity=3
    )
    call_publish(call=call, actor=officer)
    notice = Notice.objects.get(call=call)
    # The authority's region as a made-up "NL" (as an old record could hold): the SDK's code
    # list refuses it, the XSD does not.
    xml = notice.xml.replace('listName="nuts">NL350<', 'listName="nuts">NL<', 1).encode()
    problems = [problem.as_dict() for problem in validate(xml, notice.subtype)]
    Notice.objects.filter(pk=notice.pk).update(xml=xml.decode(), problems=problems)
    return call, notice


@pytest.mark.parametrize("language", ["nl", "en"])
def test_findings_read_as_words_and_sending_asks_first(page, live_server, language):
    ensure_missions()
    officer = log_in_as_officer(page)
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    call, notice = _call_with_findings(officer)
    url = f"/officer/calls/{call.pk}/notices/"
    for width, height in ((1280, 900), (375, 800)):
        page.set_viewport_size({"width": width, "height": height})
        page.goto(url)
        findings = page.get_by_test_id("notice-rule-findings")
        text = findings.inner_text()
        assert "BR-BT-" not in text  # the technical detail is collapsed
        assert "/ContractNotice" not in text
        assert call.authority.name in text
        assert page.get_by_test_id("finding-where").count() >= 1
        # The page does not scroll sideways on a phone.
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert axe_violations(page) == []
        _shot(page, f"notices_{language}_{width}")
        detail = page.get_by_test_id("finding-technical").first
        detail.locator("summary").click()
        assert "BR-BT-00507-0205" in detail.inner_text()
        _shot(page, f"notices_{language}_{width}_technical")

    send = "Verzenden naar TenderNed" if language == "nl" else "Send to TenderNed"
    page.get_by_role("button", name=send, exact=True).click()
    page.wait_for_load_state()
    assert str(notice.notice_id) in page.get_by_test_id("confirm-summary").inner_text()
    assert axe_violations(page) == []
    _shot(page, f"notices_{language}_375_confirm")
    page.set_viewport_size({"width": 1280, "height": 900})
    _shot(page, f"notices_{language}_1280_confirm")
    notice.refresh_from_db()
    assert notice.status == Notice.Status.VALIDATED
    page.get_by_test_id("confirm").click()
    page.wait_for_load_state()
    notice.refresh_from_db()
    assert notice.status in (Notice.Status.SENT, Notice.Status.REJECTED, Notice.Status.PUBLISHED)
    _shot(page, f"notices_{language}_1280_after_send")
