"""Sending notices: a Celery task asks the publisher (here the local stand-in for TenderNed, a
real HTTP service) and stores its answer: the publication id, or the reason for a rejection."""

import re
import time

import pytest
from django.urls import reverse

from portal.models import OutboxMessage
from reporting.models import Notice
from reporting.selectors.notices import above_eu_threshold
from reporting.services.notices import notice_send
from reporting.services.publishers import LocalPublisher
from tests.conftest import login_verified

from .notices import notice_ready_call, rule_clean_call


def _wait_for(notice: Notice, *, seconds: float = 30) -> Notice:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        notice.refresh_from_db()
        if not notice.awaits_publisher:
            return notice
        time.sleep(0.2)
    raise AssertionError("the worker did not answer in time")


@pytest.mark.live_worker
def test_a_worker_sends_the_notice_and_stores_the_id_or_the_reason_for_a_rejection(
    live_worker, client
):
    call = rule_clean_call()
    notice = Notice.objects.get(call=call)
    login_verified(client, call.officer)
    send_url = reverse("notices:send", kwargs={"pk": call.pk, "notice_pk": notice.pk})
    asked = client.post(send_url)  # the portal asks first (portal.confirm)
    assert asked.status_code == 200
    notice.refresh_from_db()
    assert notice.status == Notice.Status.VALIDATED
    response = client.post(send_url, {"confirmed": "1"})
    assert response.status_code == 302
    notice = _wait_for(notice)
    assert notice.status == Notice.Status.PUBLISHED
    assert notice.publication_id.startswith("LOCAL-")
    assert notice.published_at is not None
    # Above the EU threshold TenderNed forwards it to TED: its publication number is kept.
    assert above_eu_threshold(call)
    assert re.fullmatch(r"\d{6}-\d{4}", notice.ted_id)
    officer_page = client.get(reverse("notices:officer", kwargs={"pk": call.pk})).content.decode()
    assert notice.ted_id in officer_page
    # The public call page links the published notice.
    client.logout()
    page = client.get(call.get_absolute_url()).content.decode()
    assert notice.publication_id in page
    assert notice.ted_id in page
    xml_url = reverse("notices:published_xml", kwargs={"pk": call.pk, "notice_pk": notice.pk})
    assert xml_url in page
    assert client.get(xml_url).content.decode() == notice.xml

    # A rejected notice shows the publisher's reason. The notice breaks a business rule that
    # TED applies (a region outside the NUTS 2024 code list), which the XSD does not see and
    # the portal does not block on (NOTICE_RULES_BLOCK is off): the stand-in refuses it as
    # TenderNed would, with the rule and the place; the officer reads why.
    other = rule_clean_call()
    rejected = Notice.objects.get(call=other)
    Notice.objects.filter(pk=rejected.pk).update(
        xml=rejected.xml.replace('listName="nuts">NL350<', 'listName="nuts">NL<', 1)
    )
    notice_send(notice=rejected, actor=other.officer)
    rejected = _wait_for(rejected, seconds=90)  # the stand-in compiles the rules once
    assert rejected.status == Notice.Status.REJECTED
    assert rejected.rejection_reason.startswith("Validation failed (eForms SDK 1.15.1")
    assert "BR-BT-00507-0205" in rejected.rejection_reason
    login_verified(client, other.officer)
    page = client.get(reverse("notices:officer", kwargs={"pk": other.pk})).content.decode()
    assert 'data-testid="rejection-reason"' in page
    assert "BR-BT-00507-0205" in page
    assert "Prepare the notice again" in page or "opnieuw op" in page


@pytest.mark.django_db
def test_without_an_answer_the_task_retries_and_after_the_last_attempt_gives_up(settings):
    from celery.exceptions import Retry

    from reporting.tasks import NOTICE_MAX_RETRIES, send_notice

    settings.NOTICE_PUBLISHER_URL = "http://127.0.0.1:9/notices"  # nothing listens there
    call = notice_ready_call()
    notice = Notice.objects.get(call=call)
    notice_send(notice=notice, actor=call.officer)  # the task waits for the commit
    with pytest.raises(Retry):
        send_notice.apply(args=[notice.pk], retries=0, throw=True)
    notice.refresh_from_db()
    assert notice.status == Notice.Status.SENT  # still waiting for the publisher
    send_notice.apply(args=[notice.pk], retries=NOTICE_MAX_RETRIES)
    notice.refresh_from_db()
    assert notice.status == Notice.Status.REJECTED
    assert "niet bereikbaar" in notice.rejection_reason


@pytest.mark.django_db
def test_the_stand_in_gives_a_ted_number_only_to_a_notice_forwarded_to_ted(publishing_service):
    call = rule_clean_call()
    notice = Notice.objects.get(call=call)
    publisher = LocalPublisher(endpoint=publishing_service.url)
    national = publisher.publish(
        xml=notice.xml.encode(),
        notice_id=str(notice.notice_id),
        authority_id="",
        forward_to_ted=False,
    )
    assert national.accepted
    assert national.publication_id.startswith("LOCAL-")
    assert national.ted_id == ""
    european = publisher.publish(
        xml=notice.xml.encode(),
        notice_id=str(notice.notice_id),
        authority_id="",
        forward_to_ted=True,
    )
    assert european.accepted
    assert european.publication_id != national.publication_id
    assert re.fullmatch(r"\d{6}-\d{4}", european.ted_id)


# --- Without a broker (no REDIS_URL: runserver, a shell): the task runs after the commit -----


@pytest.fixture
def unreachable_publisher(settings, monkeypatch):
    """Nothing listens at the publisher's address; counts the attempts to reach it."""
    from tests.portal.test_redis_outage import free_port

    settings.NOTICE_PUBLISHER_URL = f"http://127.0.0.1:{free_port()}/notices"
    attempts: list[str] = []
    publish = LocalPublisher.publish

    def counted(self, **kwargs):
        attempts.append(kwargs["notice_id"])
        return publish(self, **kwargs)

    monkeypatch.setattr(LocalPublisher, "publish", counted)
    return attempts


def _assert_given_up_as_a_worker_would(notice: Notice, attempts: list[str]) -> None:
    from reporting.tasks import NOTICE_MAX_RETRIES

    notice.refresh_from_db()
    # Every attempt a worker makes, straight away; then the record a worker's last leaves.
    assert attempts == [str(notice.notice_id)] * (NOTICE_MAX_RETRIES + 1)
    assert notice.status == Notice.Status.REJECTED
    assert notice.sent_at is not None
    assert notice.rejection_reason.startswith("De publicatiedienst was niet bereikbaar")
    message = OutboxMessage.objects.get(task="reporting.send_notice", args=[notice.pk])
    assert message.sent_at is not None
    assert message.last_error == ""  # the task recorded its failure on the notice


# As in a request: no transaction around the test, so the task runs at the service's commit.
@pytest.mark.django_db(transaction=True)
def test_without_a_broker_sending_through_the_api_answers_and_the_notice_says_what_happened(
    client, unreachable_publisher
):
    from portal.celery import app

    assert app.conf.task_always_eager
    call = notice_ready_call()
    notice = Notice.objects.get(call=call)
    login_verified(client, call.officer)
    url = f"/api/v1/calls/{call.pk}/notices/{notice.pk}/send/"
    response = client.post(url)
    assert response.status_code == 202
    _assert_given_up_as_a_worker_would(notice, unreachable_publisher)
    # The answer is the notice as it now is, and so is what the API says of it afterwards.
    sent = response.json()
    assert sent["status"] == "rejected"
    assert sent["rejection_reason"] == notice.rejection_reason
    again = client.get(f"/api/v1/calls/{call.pk}/notices/{notice.pk}/").json()
    assert (again["status"], again["rejection_reason"]) == ("rejected", notice.rejection_reason)


@pytest.mark.django_db(transaction=True)
def test_without_a_broker_sending_from_the_page_answers_and_the_page_shows_the_reason(
    client, unreachable_publisher
):
    call = notice_ready_call()
    notice = Notice.objects.get(call=call)
    login_verified(client, call.officer)
    send_url = reverse("notices:send", kwargs={"pk": call.pk, "notice_pk": notice.pk})
    response = client.post(send_url, {"confirmed": "1"})
    assert response.status_code == 302
    _assert_given_up_as_a_worker_would(notice, unreachable_publisher)
    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="rejection-reason"' in page
    assert "De publicatiedienst was niet bereikbaar" in page
