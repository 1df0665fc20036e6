import os

import pytest
from django.urls import reverse

from portal.celery import app
from portal.tasks import ping
from tests.factories import UserFactory


def test_celery_is_configured_to_lose_no_task():
    conf = app.conf
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.worker_prefetch_multiplier == 1
    assert conf.task_time_limit > conf.task_soft_time_limit > 0
    # Redis must not hand a running task to a second worker before the first can finish.
    assert conf.broker_transport_options["visibility_timeout"] > conf.task_time_limit


@pytest.mark.django_db
def test_ping_runs_in_process_without_a_broker():
    result = ping.delay().get(timeout=1)
    assert result["pong"] is True
    assert result["pid"] == os.getpid()


@pytest.mark.live_worker
def test_ping_round_trip_through_a_real_worker(live_worker):
    result = ping.delay().get(timeout=20)
    assert result["pong"] is True
    # Answered by the worker process, not by this one.
    assert result["pid"] == live_worker["pid"]


@pytest.mark.live_worker
def test_status_page_shows_the_live_worker(live_worker, verified_client):
    client = verified_client(UserFactory(is_staff=True))

    page = client.get(reverse("system_status")).content.decode()

    assert live_worker["node"] in page
    assert page.count('data-check-ok="true"') == 3
    assert 'data-check-ok="false"' not in page


@pytest.mark.django_db
def test_status_page_without_broker_explains_in_process_mode(verified_client):
    client = verified_client(UserFactory(is_staff=True))
    page = client.get(reverse("system_status")).content.decode()
    assert page.count('data-check-ok="true"') == 3
