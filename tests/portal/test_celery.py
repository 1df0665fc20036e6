import os

import pytest
from django.urls import reverse

from calls.tasks import RETRY
from portal.celery import app
from portal.tasks import ping
from reporting.tasks import MAX_RETRIES, backoff
from tests.factories import UserFactory


def test_celery_is_configured_to_lose_no_task():
    conf = app.conf
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.worker_prefetch_multiplier == 1
    assert conf.task_time_limit > conf.task_soft_time_limit > 0


def test_redis_never_hands_out_a_task_that_may_still_be_running():
    """Redis gives an unacknowledged task to another worker after the visibility timeout: it
    must outlast every task's own time limit, or a long report is made twice."""
    app.loader.import_default_modules()
    limits = {
        name: task.time_limit or app.conf.task_time_limit
        for name, task in app.tasks.items()
        if not name.startswith("celery.")
    }
    longest = max(limits, key=limits.get)
    timeout = app.conf.broker_transport_options["visibility_timeout"]

    assert longest in {"reporting.generate_parliament_report", "reporting.build_export"}
    assert limits[longest] > app.conf.task_time_limit
    assert timeout > limits[longest]
    # A retry waiting for its countdown is an unacknowledged message too.
    assert timeout > backoff(MAX_RETRIES - 1)
    assert timeout > RETRY["retry_backoff_max"]


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
