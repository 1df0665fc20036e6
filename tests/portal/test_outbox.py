"""The outbox: what a transaction asks for after its commit is stored with it and sent again
by the periodic job when the broker could not take it (in-process; the real Redis outage is
in test_redis_outage.py)."""

import logging
from datetime import timedelta

import pytest
from celery import shared_task
from django.conf import settings
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from portal.celery import app
from portal.models import OutboxMessage
from portal.services.outbox import outbox_dispatch, outbox_enqueue, outbox_send
from portal.tasks import outbox_dispatch as outbox_dispatch_task
from proposals.models import Proposal
from proposals.services.submission import proposal_submit
from tests.proposals.factories import complete_draft

pytestmark = pytest.mark.django_db


class Broker:
    """Stands in for the broker of a worker setup (tasks not run in-process): records what
    it was given, or refuses like a Redis that is down."""

    def __init__(self):
        self.down = False
        self.received: list[tuple[str, list, dict]] = []

    def apply_async(self, task, args=None, kwargs=None, **options):
        if self.down:
            raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")
        assert options["ignore_result"] is True
        self.received.append((task.name, list(args or []), dict(kwargs or {})))


@pytest.fixture
def broker(monkeypatch):
    fake = Broker()
    from celery.app.task import Task

    monkeypatch.setattr(
        Task,
        "apply_async",
        lambda task, args=None, kwargs=None, **o: fake.apply_async(task, args, kwargs, **o),
    )
    app.conf.task_always_eager = False
    yield fake
    app.conf.task_always_eager = True


def test_a_task_is_sent_only_after_the_commit_and_then_marked_sent(
    broker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message = outbox_enqueue("portal.ping")
        assert broker.received == []

    assert broker.received == [("portal.ping", [], {})]
    message.refresh_from_db()
    assert message.sent_at is not None
    assert message.attempts == 1


def test_a_rolled_back_transaction_leaves_no_task(broker, django_capture_on_commit_callbacks):
    def refused_service():
        with transaction.atomic():
            outbox_enqueue("portal.ping")
            raise RuntimeError("the service refused")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        refused_service()

    assert not OutboxMessage.objects.exists()
    assert broker.received == []


def test_a_broker_that_is_down_leaves_the_task_pending_and_the_job_sends_it_later(
    broker, django_capture_on_commit_callbacks, caplog
):
    broker.down = True
    logger = logging.getLogger("portal.services.outbox")
    logger.addHandler(caplog.handler)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            message = outbox_enqueue("proposals.send_receipt", 12)
    finally:
        logger.removeHandler(caplog.handler)

    message.refresh_from_db()
    assert message.sent_at is None
    assert message.attempts == 1
    assert "Connection refused" in message.last_error
    assert message.available_at > timezone.now()
    assert "The periodic job sends it again" in caplog.text

    broker.down = False
    assert outbox_dispatch() == 0  # not yet: it waits a little before trying again
    OutboxMessage.objects.update(available_at=timezone.now())
    assert outbox_dispatch_task() == 1

    assert broker.received == [("proposals.send_receipt", [12], {})]
    message.refresh_from_db()
    assert message.sent_at is not None
    assert message.attempts == 2


def test_the_job_stops_at_the_first_refusal_and_keeps_the_order(broker):
    _first, second = (OutboxMessage.objects.create(task="portal.ping", args=[n]) for n in (1, 2))
    broker.down = True
    assert outbox_dispatch() == 0
    second.refresh_from_db()
    assert second.attempts == 0  # not tried: the broker had just refused the first

    broker.down = False
    OutboxMessage.objects.update(available_at=timezone.now() - timedelta(seconds=1))
    assert outbox_dispatch() == 2
    assert [args for _name, args, _kwargs in broker.received] == [[1], [2]]


def test_a_message_is_sent_once(broker):
    message = OutboxMessage.objects.create(task="portal.ping")
    assert outbox_send(message.pk) == "sent"
    assert outbox_send(message.pk) == "skipped"
    assert outbox_dispatch() == 0
    assert len(broker.received) == 1


def test_secret_arguments_are_erased_once_sent_and_old_messages_forgotten(broker):
    message = OutboxMessage.objects.create(
        task="identity.send_team_invitation", args=[3, "token"], secret=True
    )
    outbox_send(message.pk)
    message.refresh_from_db()
    assert broker.received == [("identity.send_team_invitation", [3, "token"], {})]
    assert (message.args, message.kwargs) == ([], {})

    OutboxMessage.objects.update(
        sent_at=timezone.now() - timedelta(days=settings.OUTBOX_KEEP_DAYS, minutes=1)
    )
    outbox_dispatch()
    assert not OutboxMessage.objects.exists()


def test_without_a_worker_the_task_runs_in_process_as_before(django_capture_on_commit_callbacks):
    draft = complete_draft()
    with django_capture_on_commit_callbacks(execute=True):
        proposal = proposal_submit(proposal=draft, actor=draft.person, declaration_accepted=True)

    assert len(mail.outbox) == 1
    message = OutboxMessage.objects.get(task="proposals.send_receipt")
    assert message.args == [proposal.pk]
    assert message.sent_at is not None


@shared_task(name="tests.outbox.broken")
def broken_task(number: int) -> None:
    raise RuntimeError(f"broken {number}")


@shared_task(name="tests.outbox.unanswered", autoretry_for=(ConnectionError,), max_retries=2)
def unanswered_task(number: int) -> None:
    unanswered_calls.append(number)
    raise ConnectionError(f"no answer {number}")


unanswered_calls: list[int] = []


@pytest.mark.parametrize(
    ("task", "attempts", "error"),
    [
        ("tests.outbox.broken", 1, "RuntimeError: broken 7"),
        # Retried straight away as a worker would after each pause, up to its max_retries.
        ("tests.outbox.unanswered", 3, "ConnectionError: no answer 7"),
    ],
)
def test_without_a_worker_a_failing_task_is_logged_and_kept_never_raised_into_the_request(
    task, attempts, error, django_capture_on_commit_callbacks, caplog
):
    """A worker runs the task after the answer, so its error never reaches the person who
    asked; in-process it must not either (it used to become the request's 500)."""
    unanswered_calls.clear()
    logger = logging.getLogger("portal.services.outbox")
    logger.addHandler(caplog.handler)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            message = outbox_enqueue(task, 7)
    finally:
        logger.removeHandler(caplog.handler)

    message.refresh_from_db()
    assert message.sent_at is not None
    assert (message.attempts, message.last_error) == (attempts, error)
    assert "failed in-process" in caplog.text
    expected = [7] * attempts if task == "tests.outbox.unanswered" else []
    assert unanswered_calls == expected


def test_the_html_submit_succeeds_while_the_broker_is_down(
    broker, client, django_capture_on_commit_callbacks
):
    draft = complete_draft()
    client.force_login(draft.person)
    broker.down = True

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("proposals:submit", args=[draft.pk]), {"declaration": "on"}, follow=True
        )

    assert response.status_code == 200
    draft.refresh_from_db()
    assert draft.status == Proposal.Status.SUBMITTED
    assert draft.submission_number in response.content.decode()
    assert OutboxMessage.objects.get(task="proposals.send_receipt").sent_at is None


def test_beat_runs_the_outbox_job_every_minute():
    entry = settings.CELERY_BEAT_SCHEDULE["outbox-dispatch"]
    assert entry["task"] == "portal.outbox_dispatch"
    assert entry["schedule"] == 60
