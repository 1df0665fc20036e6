"""Notices are sent in order: a change notice after the published notice it changes (and after
the change notices of earlier amendments), a contract award notice after the published contract
notice. Refused by the send service in words, on the page (no send button, the order said) and
in the API (400)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from calls.services.lifecycle import call_amend
from portal.exceptions import DomainError
from reporting.models import Notice
from reporting.services.notices import notice_send
from tests.conftest import login_verified

from .notices import notice_ready_call


def _amended(call, days: int = 7) -> Notice:
    call.refresh_from_db()
    amendment = call_amend(
        call=call,
        actor=call.officer,
        reason="Meer tijd voor de voorstellen.",
        changes={"deadline": call.deadline + timedelta(days=days)},
    )
    return Notice.objects.get(amendment=amendment)


def _published(notice: Notice) -> None:
    Notice.objects.filter(pk=notice.pk).update(
        status=Notice.Status.PUBLISHED, published_at=timezone.now(), publication_id="X-1"
    )


def _result_of(competition: Notice) -> Notice:
    """A validated contract award notice of the same procedure (the order is the point here,
    not its content)."""
    return Notice.objects.create(
        call=competition.call,
        kind=Notice.Kind.RESULT,
        subtype="29",
        folder_id=competition.folder_id,
        xml=competition.xml,
        problems=[],
        validated_at=timezone.now(),
        status=Notice.Status.VALIDATED,
    )


def _send_url(notice: Notice) -> str:
    return reverse("notices:send", kwargs={"pk": notice.call_id, "notice_pk": notice.pk})


@pytest.mark.django_db
def test_a_change_notice_waits_for_the_contract_notice_on_the_page(client):
    call = notice_ready_call()
    competition = Notice.objects.get(call=call, kind=Notice.Kind.COMPETITION)
    change = _amended(call)
    assert (competition.status, change.status) == (Notice.Status.VALIDATED,) * 2
    login_verified(client, call.officer)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("notices:officer", kwargs={"pk": call.pk})).content.decode()
    # The order is said beside the change notice, and only the contract notice can be sent.
    assert page.count('data-testid="notice-waits"') == 1
    assert (
        "Send the contract notice first: this change notice (amendment 1) follows it and can be "
        "sent once TenderNed has published it." in page
    )
    assert _send_url(competition) in page
    assert _send_url(change) not in page

    # Posting anyway: refused with the same words, without the confirmation page.
    for data in ({}, {"confirmed": "1"}):
        response = client.post(_send_url(change), data, follow=True)
        html = response.content.decode()
        assert 'name="confirmed"' not in html
        assert "Send the contract notice first" in html
    change.refresh_from_db()
    assert change.status == Notice.Status.VALIDATED

    # The contract notice is sent, not yet published: the change notice still waits.
    notice_send(notice=competition, actor=call.officer)
    client.cookies["django_language"] = "nl"
    page = client.get(reverse("notices:officer", kwargs={"pk": call.pk})).content.decode()
    with translation.override("nl"):
        assert (
            translation.gettext(
                "The %(previous)s is sent but not yet published: send this %(kind)s once "
                "TenderNed has published it."
            )
            % {
                "previous": "aankondiging van de opdracht",
                "kind": "aankondiging van wijziging (rectificatie 1)",
            }
            in page
        )
    assert _send_url(change) not in page

    # Published: now the change notice may be sent (asked first, then sent).
    _published(competition)
    page = client.get(reverse("notices:officer", kwargs={"pk": call.pk})).content.decode()
    assert 'data-testid="notice-waits"' not in page
    assert _send_url(change) in page
    assert 'name="confirmed"' in client.post(_send_url(change)).content.decode()
    client.post(_send_url(change), {"confirmed": "1"})
    change.refresh_from_db()
    assert change.status == Notice.Status.SENT


@pytest.mark.django_db
def test_the_api_refuses_a_change_notice_before_the_contract_notice_is_published(client):
    call = notice_ready_call()
    competition = Notice.objects.get(call=call, kind=Notice.Kind.COMPETITION)
    change = _amended(call)
    login_verified(client, call.officer)
    client.cookies["django_language"] = "en"
    url = f"/api/v1/calls/{call.pk}/notices/{change.pk}/send/"
    response = client.post(url)
    assert response.status_code == 400
    assert response.json() == {
        "code": "order",
        "detail": "Send the contract notice first: this change notice (amendment 1) follows it "
        "and can be sent once TenderNed has published it.",
    }
    change.refresh_from_db()
    assert change.status == Notice.Status.VALIDATED
    _published(competition)
    response = client.post(url)
    assert response.status_code == 202
    assert response.json()["status"] in ("sent", "published", "rejected")


@pytest.mark.django_db
def test_a_later_amendments_change_notice_waits_for_the_earlier_one():
    call = notice_ready_call()
    competition = Notice.objects.get(call=call, kind=Notice.Kind.COMPETITION)
    _published(competition)
    first = _amended(call)
    second = _amended(call, days=14)
    with translation.override("en"), pytest.raises(DomainError) as refused:
        notice_send(notice=second, actor=call.officer)
    assert refused.value.code == "order"
    assert str(refused.value.message) == (
        "Send the change notice (amendment 1) first: this change notice (amendment 2) follows "
        "it and can be sent once TenderNed has published it."
    )
    notice_send(notice=first, actor=call.officer)
    with pytest.raises(DomainError):
        notice_send(notice=second, actor=call.officer)  # sent is not yet published
    _published(first)
    assert notice_send(notice=second, actor=call.officer).status == Notice.Status.SENT


@pytest.mark.django_db
def test_a_contract_award_notice_waits_for_the_published_contract_notice(client):
    call = notice_ready_call()
    competition = Notice.objects.get(call=call, kind=Notice.Kind.COMPETITION)
    result = _result_of(competition)
    login_verified(client, call.officer)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("notices:officer", kwargs={"pk": call.pk})).content.decode()
    assert "Send the contract notice first: this contract award notice follows it" in page
    assert _send_url(result) not in page
    response = client.post(f"/api/v1/calls/{call.pk}/notices/{result.pk}/send/")
    assert (response.status_code, response.json()["code"]) == (400, "order")
    # Another officer's call: still 404, not the order.
    other = notice_ready_call().officer
    client.logout()
    login_verified(client, other)
    assert client.post(f"/api/v1/calls/{call.pk}/notices/{result.pk}/send/").status_code == 404
    _published(competition)
    assert notice_send(notice=result, actor=call.officer).status == Notice.Status.SENT


@pytest.mark.django_db
def test_a_contract_notice_waits_for_nothing():
    call = notice_ready_call()
    competition = Notice.objects.get(call=call, kind=Notice.Kind.COMPETITION)
    _amended(call)  # a change notice exists, unsent: it does not hold the contract notice back
    assert notice_send(notice=competition, actor=call.officer).status == Notice.Status.SENT
