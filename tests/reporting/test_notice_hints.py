"""A finding says what is wrong (not only which field), and its hint points only to what the
officer can do now: the amend page while the call may be amended (the amend page's own
question), a phase's page while its deadline may still be set or extended, and otherwise
says honestly that the portal cannot change it."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from calls.models import Call, Phase
from reporting.models import Notice
from reporting.selectors.findings import CallPhases, findings, notice_findings
from reporting.services.notices import notice_prepare_again
from tests.conftest import login_verified

from .notices import notice_ready_call, rule_clean_call

LOT = "/ContractNotice[1]/cac:ProcurementProjectLot[{}]/cac:TenderingProcess[1]"


def _past_deadlines(status: str) -> tuple[Call, Notice]:
    """A call whose deadlines (the call's and phase 2's) have passed, in ``status``, and its
    contract notice prepared again now: both deadlines lie before the notice's date."""
    call = rule_clean_call()
    past = timezone.now() - timedelta(days=30)
    Call.objects.filter(pk=call.pk).update(
        deadline=past, questions_deadline=past - timedelta(days=7), status=status
    )
    Phase.objects.filter(call=call, order=1).update(deadline=past)
    Phase.objects.filter(call=call, order=2).update(deadline=past + timedelta(days=10))
    Phase.objects.filter(call=call, order__gt=2).update(deadline=None)
    notice = Notice.objects.get(call=call, kind=Notice.Kind.COMPETITION)
    officer = call.officer
    call = Call.objects.get(pk=call.pk)
    call.officer = officer
    notice_prepare_again(notice=notice, actor=officer)
    return call, Notice.objects.get(pk=notice.pk)


def _by_phase(call: Call, notice: Notice, code: str) -> dict[int, object]:
    found = notice_findings(notice, call, user=call.officer)["rules"]
    return {
        int(each.technical[0].split("ProcurementProjectLot[")[1][0]): each
        for each in found
        if any(code in line for line in each.technical)
    }


@pytest.mark.django_db
def test_an_open_calls_past_deadline_says_so_and_points_to_the_amendment(client):
    call, notice = _past_deadlines(Call.Status.PUBLISHED)
    with translation.override("en"):
        late = _by_phase(call, notice, "BR-BT-00131-0151")
    first, second = late[1], late[2]
    assert first.words == (
        "The deadline for receipt of tenders of phase 1 lies on or before the date of the "
        "notice; it must lie after it."
    )
    assert second.words != first.words  # two findings never read the same
    assert "phase 2" in second.words
    assert first.link == reverse("calls:officer_amend", kwargs={"pk": call.pk}) + "#id_deadline"
    assert first.where == (
        "Amend the call to give it a later deadline, then prepare the notice again."
    )
    # Phase 2 has its deadline: the hint says it has passed, never "give it its deadline".
    assert "Give phase 2 its deadline" not in second.where
    assert second.where.startswith("Phase 2's deadline has passed")
    phase = call.phases.get(order=2)
    assert second.link == reverse("proposals:officer_phase", kwargs={"phase_pk": phase.pk}) + (
        "#deadline"
    )
    # The amend page the hint points to does take the amendment.
    login_verified(client, call.officer)
    page = client.get(first.link).content.decode()
    assert 'data-testid="amend-form"' in page


@pytest.mark.django_db
@pytest.mark.parametrize("status", [Call.Status.UNDER_ASSESSMENT, Call.Status.AWARDED])
def test_a_call_no_longer_open_gets_no_link_to_an_amendment_it_would_refuse(client, status):
    call, notice = _past_deadlines(status)
    with translation.override("en"):
        late = _by_phase(call, notice, "BR-BT-00131-0151")
    first, second = late[1], late[2]
    amend = reverse("calls:officer_amend", kwargs={"pk": call.pk})
    assert first.link == first.url == ""
    assert first.where.startswith("The call is no longer open, so the portal cannot change this")
    assert "TenderNed" in first.where
    # The phase's deadline can still be extended on its page (the page's own condition).
    assert second.link.endswith("#deadline")
    assert "Give phase 2 its deadline" not in second.where
    # The page and the API say the same, and link no amendment.
    login_verified(client, call.officer)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("notices:officer", kwargs={"pk": call.pk})).content.decode()
    assert amend not in page
    assert "The call is no longer open" in page
    body = client.get(f"/api/v1/calls/{call.pk}/notices/{notice.pk}/").json()
    (api_first,) = [each for each in body["findings"]["rules"] if each["words"] == first.words]
    assert (api_first["place"], api_first["url"]) == ("call", None)
    # What the amend page itself answers for this call.
    assert "Only a call that is open can be amended." in client.get(amend).content.decode()


@pytest.mark.django_db
def test_once_the_call_has_ended_no_phase_deadline_is_offered():
    call, notice = _past_deadlines(Call.Status.COMPLETED)
    with translation.override("en"):
        second = _by_phase(call, notice, "BR-BT-00131-0151")[2]
    assert second.link == ""
    assert "ended" in second.where


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_known_rules_say_what_is_wrong_in_the_readers_language(language):
    call = notice_ready_call()
    problems = [
        {
            "source": "rules",
            "code": code,
            "params": {"kind": "rule", "field": field, "location": LOT.format(2)},
        }
        for code, field in (
            ("BR-BT-00131-0022", "BT-131(d)-Lot"),
            ("BR-BT-00131-0151", "BT-131(d)-Lot"),
            ("BR-BT-01311-0022", "BT-1311(d)-Lot"),
            ("BR-BT-01311-0156", "BT-1311(d)-Lot"),
            ("BR-OPT-00322-0053", "OPT-322-LotResult"),
        )
    ]
    with translation.override(language):
        found = findings(call, problems, user=call.officer)
    words = [each.words for each in found]
    assert len(set(words)) == len(problems)  # five rules, five different sentences
    for each in words:
        assert "BR-" not in each
        assert "business rule" not in each
        assert "bedrijfsregel" not in each
    if language == "nl":
        assert words[1] == (
            "De uiterste datum voor de ontvangst van inschrijvingen van fase 2 ligt op of vóór "
            "de datum van de aankondiging; die moet erna liggen."
        )
    # The participation deadline is the call's, which an amendment cannot change.
    participation = found[3]
    assert (participation.place, participation.link) == ("call", "")
    # Several contracts in one result: how the portal reports, nothing to fix.
    assert (found[4].place, found[4].link) == ("portal", "")


@pytest.mark.django_db
def test_an_unknown_rule_falls_back_to_the_generic_words_with_its_phase():
    call = notice_ready_call()
    problems = [
        {
            "source": "rules",
            "code": "BR-BT-00999-0001",
            "params": {"kind": "rule", "field": "BT-131(d)-Lot", "location": LOT.format(number)},
        }
        for number in (2, 3)
    ]
    with translation.override("en"):
        found = findings(call, problems, user=call.officer)
    assert [each.words for each in found] == [
        "Phase 2: 'Deadline for receipt of tenders' breaks a business rule of the eForms SDK.",
        "Phase 3: 'Deadline for receipt of tenders' breaks a business rule of the eForms SDK.",
    ]


@pytest.mark.django_db
def test_the_phases_are_read_once_for_every_phase_finding_of_every_notice():
    call = notice_ready_call()
    problems = [
        {
            "source": "rules",
            "code": "BR-BT-00131-0022",
            "params": {"field": "BT-131(d)-Lot", "location": LOT.format(n)},
        }
        for n in (2, 3)
    ]
    phases = CallPhases(call)
    with CaptureQueriesContext(connection) as queries:
        for _notice in range(3):
            findings(call, problems, user=None, phases=phases)
    read = [each["sql"] for each in queries.captured_queries if '"calls_phase"' in each["sql"]]
    assert len(read) == 1
    # A draft too: once.
    draft = notice_ready_call(publish=False)
    with CaptureQueriesContext(connection) as queries:
        found = findings(draft, problems, user=draft.officer)
    assert len([q for q in queries.captured_queries if '"calls_phase"' in q["sql"]]) == 1
    assert found[0].link == reverse("calls:officer_phases", kwargs={"pk": draft.pk})


@pytest.mark.django_db
def test_a_term_no_amendment_changes_gets_no_link_to_the_amendment():
    """The award criteria of an open call are frozen once published: the hint says so, and
    never sends the officer to an amendment that cannot change them."""
    call = notice_ready_call()
    assert call.is_open
    problem = {"source": "data", "code": "no_criteria", "params": {"number": 1}}
    with translation.override("en"):
        (finding,) = findings(call, [problem], user=call.officer)
    assert finding.link == finding.url == ""
    assert finding.where.startswith("An amendment cannot change this part of a published call")
    # A term an amendment does change still links to its field.
    deadline = {"source": "data", "code": "no_deadline", "params": {}}
    (finding,) = findings(call, [deadline], user=call.officer)
    assert finding.link == reverse("calls:officer_amend", kwargs={"pk": call.pk}) + "#id_deadline"
