"""How long a proposal stays valid (BT-98) on a call published before the portal asked for it.

The contract notice of an SBIR needs it. It binds every company to its proposal, so once the
call is published it is set by an amendment (with its reason, to every follower, before the
deadline), not among the publication details; the finding on the notices page links to that
field of the amendment form.
"""

import re
from datetime import timedelta
from html import unescape

import pytest
from django import forms
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation
from lxml import etree

from calls.models import Amendment, Call, Follower
from calls.services.lifecycle import call_amend
from portal.exceptions import DomainError
from portal.models import Role
from reporting.models import Notice
from reporting.selectors.findings import findings, notice_findings
from reporting.services.notices import notice_record_outcome, notice_send
from reporting.services.publishers import Outcome
from tests.conftest import login_verified
from tests.factories import person_with_role

from .notices import notice_ready_call, rule_clean_call

pytestmark = pytest.mark.django_db

LACKS = "The call does not say how long a proposal must remain valid."
LACKS_NL = "De oproep zegt niet hoe lang een voorstel geldig moet blijven."
MINUTE = "%Y-%m-%dT%H:%M"


def _published_before_the_field(**fields) -> Call:
    """An SBIR whose contract notice is published, whose validity is empty (as for every call
    published before migration calls 0018 added it) and whose deadline was then extended."""
    call = rule_clean_call(**fields)
    officer = call.officer
    competition = notice_send(notice=Notice.objects.get(call=call), actor=officer)
    notice_record_outcome(
        notice_id=competition.pk, outcome=Outcome(accepted=True, publication_id="TN-1")
    )
    Call.objects.filter(pk=call.pk).update(tender_validity=None)
    call.refresh_from_db()
    call_amend(
        call=call,
        actor=officer,
        reason="Meer tijd voor consortia.",
        changes={"deadline": call.deadline + timedelta(days=7)},
    )
    call.refresh_from_db()
    call.officer = officer
    return call


def _form_data(form) -> dict:
    """What the browser sends for the form as the page shows it."""
    data = {}
    for bound in form:
        value = bound.field.widget.format_value(bound.value())
        data[bound.html_name] = "" if value is None else value
    return data


def _validity_links(html: str) -> list[str]:
    return re.findall(r'href="([^"]*#id_tender_validity)"', unescape(html))


def test_the_officer_follows_the_finding_sets_the_validity_and_sends_the_change_notice(
    client, django_capture_on_commit_callbacks
):
    call = _published_before_the_field()
    follower = person_with_role(Role.APPLICANT)
    Follower.objects.create(call=call, user=follower)
    blocked = Notice.objects.get(call=call, kind=Notice.Kind.CHANGE)
    assert "no_tender_validity" in {problem["code"] for problem in blocked.blocking_problems}
    # Every point it causes (the gap, and the SDK's rules on BT-98 and its number) is fixed
    # at the same field.
    found = notice_findings(blocked, call, user=call.officer)
    assert {finding.link.split("#")[-1] for finding in found["blocking"] + found["rules"]} == {
        "id_tender_validity"
    }
    login_verified(client, call.officer)
    notices_url = reverse("notices:officer", kwargs={"pk": call.pk})
    page = client.get(notices_url).content.decode()
    assert LACKS_NL in unescape(page)
    send_blocked = reverse("notices:send", kwargs={"pk": call.pk, "notice_pk": blocked.pk})
    assert send_blocked not in page

    # The finding links to the field on the amendment form, and the field is there.
    (link,) = set(_validity_links(page))
    path, anchor = link.split("#")
    assert path == reverse("calls:officer_amend", kwargs={"pk": call.pk})
    form_page = client.get(path)
    assert f'id="{anchor}"' in form_page.content.decode()

    data = _form_data(form_page.context["form"])
    data.update(
        reason="De termijn waarbinnen een voorstel geldig blijft, ontbrak.",
        tender_validity="3",
        tender_validity_unit=Call.ValidityUnit.MONTH,
    )
    asked = client.post(path, data)
    assert asked.status_code == 200
    assert "3 maanden" in asked.content.decode()  # the confirmation names the period
    assert Amendment.objects.filter(call=call).count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(path, {**data, "confirmed": "1"})
    assert done.status_code == 302

    call.refresh_from_db()
    assert (call.tender_validity, call.tender_validity_unit) == (3, "MONTH")
    amendment = Amendment.objects.get(call=call, number=2)
    # Stored as a value with its unit, read in the reader's language.
    assert amendment.changes == {"tender_validity": ["", "3 MONTH"]}
    with translation.override("nl"):
        (change,) = amendment.described_changes()
    assert (change.old, change.new) == ("–", "3 maanden")
    assert [message.to for message in mail.outbox] == [[follower.email]]
    assert "gedurende: – → 3 maanden" in mail.outbox[0].body
    # The amendment's change notice carries the period and may be sent.
    change = Notice.objects.get(call=call, amendment=amendment)
    assert change.status == Notice.Status.VALIDATED
    assert change.blocking_problems == []
    assert 'unitCode="MONTH">3</cbc:DurationMeasure>' in change.xml
    # It names every lot as changed (each carries the period) and says what changed.
    sections = etree.fromstring(change.xml.encode()).xpath(
        "//*[local-name()='ChangedSectionIdentifier']/text()"
    )
    assert sections == [f"LOT-{phase.order:04d}" for phase in call.phases.order_by("order")]
    assert "Voorstellen blijven geldig gedurende: – → 3 maanden" in change.xml
    rules = {problem["code"] for problem in change.problems}
    assert not {
        code for code in rules if code.startswith(("BR-BT-00141", "BR-BT-00140", "BR-BT-0013716"))
    }

    # The earlier change notice, prepared again, has it too; the finding is gone.
    client.post(reverse("notices:prepare_again", kwargs={"pk": call.pk, "notice_pk": blocked.pk}))
    blocked.refresh_from_db()
    assert blocked.status == Notice.Status.VALIDATED
    page = client.get(notices_url).content.decode()
    assert LACKS_NL not in unescape(page)
    assert not _validity_links(page)
    assert send_blocked in page
    sent = client.post(send_blocked, {"confirmed": "1"})
    assert sent.status_code == 302
    blocked.refresh_from_db()
    assert blocked.status == Notice.Status.SENT
    # Companies read the period on the call's page.
    public = client.get(call.get_absolute_url()).content.decode()
    assert "3 maanden na de deadline" in public


def test_the_publication_details_do_not_set_the_validity(client):
    call = _published_before_the_field()
    login_verified(client, call.officer)
    client.post(
        reverse("notices:details", kwargs={"pk": call.pk}),
        {"cpv_code": "73100000", "place_of_performance_nuts": "NL350", "tender_validity": "3"},
    )
    call.refresh_from_db()
    assert call.tender_validity is None


@pytest.mark.parametrize(
    ("value", "unit", "says"),
    [
        ("13", "MONTH", "een jaar"),  # more than a year
        ("53", "WEEK", "een jaar"),
        ("", "WEEK", "Geef het aantal"),  # a unit without a period
    ],
)
def test_a_bad_validity_is_refused_at_the_field_and_nothing_is_recorded(client, value, unit, says):
    call = _published_before_the_field()
    login_verified(client, call.officer)
    path = reverse("calls:officer_amend", kwargs={"pk": call.pk})
    data = _form_data(client.get(path).context["form"])
    data.update(reason="Geldigheid.", tender_validity=value, tender_validity_unit=unit)
    for confirmed in ("", "1"):
        response = client.post(path, {**data, "confirmed": confirmed})
        assert response.status_code == 200
        errors = response.context["form"].errors
        assert list(errors) == ["tender_validity"]
        assert says in errors["tender_validity"][0]
    call.refresh_from_db()
    assert call.tender_validity is None
    assert Amendment.objects.filter(call=call).count() == 1


def test_an_amendment_changes_a_validity_but_never_removes_it():
    call = _published_before_the_field()
    Call.objects.filter(pk=call.pk).update(tender_validity=3)
    call.refresh_from_db()
    with pytest.raises(DomainError) as refused:
        call_amend(call=call, actor=call.officer, reason="Weg.", changes={"tender_validity": None})
    assert refused.value.code == "tender_validity"
    amendment = call_amend(
        call=call,
        actor=call.officer,
        reason="Korter.",
        changes={"tender_validity": 8, "tender_validity_unit": "WEEK"},
    )
    assert amendment.changes == {"tender_validity": ["3 MONTH", "8 WEEK"]}
    with translation.override("en"):
        (change,) = amendment.described_changes()
    assert (change.old, change.new) == ("3 months", "8 weeks")
    call.refresh_from_db()
    assert (call.tender_validity, call.tender_validity_unit) == (8, "WEEK")


def test_after_the_deadline_the_validity_no_longer_changes_and_the_finding_says_so(client):
    call = _published_before_the_field()
    now = timezone.now()
    Call.objects.filter(pk=call.pk).update(
        questions_deadline=now - timedelta(minutes=2), deadline=now - timedelta(minutes=1)
    )
    call.refresh_from_db()
    with pytest.raises(DomainError) as refused:
        call_amend(call=call, actor=call.officer, reason="Te laat.", changes={"tender_validity": 3})
    assert refused.value.code == "tender_validity"
    problem = {"source": "data", "code": "no_tender_validity", "params": {}}
    with translation.override("en"):
        (finding,) = findings(call, [problem], user=call.officer)
    assert finding.link == ""  # no page where it could be set
    assert finding.where.startswith("The deadline has passed")


def test_a_prize_competition_has_no_validity_to_amend(client):
    call = notice_ready_call(instrument=Call.Instrument.PRIZE_COMPETITION, tender_validity=None)
    officer = call.officer
    with pytest.raises(DomainError) as refused:
        call_amend(call=call, actor=officer, reason="Geldigheid.", changes={"tender_validity": 3})
    assert refused.value.code == "frozen"
    login_verified(client, officer)
    form = client.get(reverse("calls:officer_amend", kwargs={"pk": call.pk})).context["form"]
    assert not {"tender_validity", "tender_validity_unit"} & set(form.fields)
    assert isinstance(form.fields["title"], forms.CharField)


def test_on_a_draft_the_finding_links_to_the_field_of_the_calls_form(client):
    call = notice_ready_call(publish=False, tender_validity=None)
    (finding,) = findings(
        call, [{"source": "data", "code": "no_tender_validity", "params": {}}], user=call.officer
    )
    path, anchor = finding.link.split("#")
    assert path == reverse("calls:officer_edit", kwargs={"pk": call.pk})
    login_verified(client, call.officer)
    assert f'id="{anchor}"' in client.get(path).content.decode()
