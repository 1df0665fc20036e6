"""A worker that dies while it makes a report or export: the record says so, a person can try
again at once, and however the job is started again it is made exactly once.

The first tests run in-process; the last ones kill a real worker process over Redis."""

import json
import os
import signal
import time
from datetime import date, timedelta

import pytest
import time_machine
from auditlog.models import LogEntry
from django.core.files.storage import storages
from django.urls import reverse
from django.utils import timezone

from portal.celery import app as celery_app
from portal.templatetags.portal import moment
from reporting.models import Export, ParliamentReport
from reporting.services.jobs import (
    JobBusy,
    JobTakenOver,
    job_begin,
    job_finish,
    job_heartbeat,
    job_progress,
)
from reporting.tasks import generate_parliament_report
from tests.calls.factories import officer_of

from .scenario import ministry_staff, scenario

RUNNING = ParliamentReport.Status.RUNNING


def running_report(staff, *, last_sign_of_life: timedelta, attempts: int = 1):
    """A report that a worker began, whose last heartbeat was this long ago."""
    now = timezone.now()
    return ParliamentReport.objects.create(
        period_start=date(2021, 1, 1),
        period_end=timezone.localdate(),
        requested_by=staff,
        status=RUNNING,
        progress=60,
        progress_message="layout",
        attempts=attempts,
        started_at=now - last_sign_of_life - timedelta(seconds=30),
        heartbeat_at=now - last_sign_of_life,
    )


def report_page(client, report) -> str:
    return client.get(reverse("reporting:report", kwargs={"pk": report.pk})).content.decode()


# --- In-process ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_report_whose_worker_stopped_says_so_and_is_made_again_on_request(
    verified_client, django_capture_on_commit_callbacks, settings
):
    settings.REDIS_URL = "redis://127.0.0.1:6379/0"  # Redis redelivers by itself, later
    story = scenario(trajectories=1)
    report = running_report(story.staff, last_sign_of_life=timedelta(minutes=5))
    client = verified_client(story.staff)

    page = report_page(client, report)

    assert 'data-testid="worker-lost"' in page
    assert moment(report.heartbeat_at) in page
    timeout = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert moment(report.started_at + timedelta(seconds=timeout)) in page
    retry = reverse("reporting:report_retry", kwargs={"pk": report.pk})
    assert retry in page
    assert "(worker gestopt)" in client.get(reverse("reporting:reports")).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(retry)

    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ParliamentReport.Status.DONE
    assert report.attempts == 2
    assert report.file.read().startswith(b"%PDF")


@pytest.mark.django_db
def test_a_report_whose_worker_still_gives_signs_of_life_is_not_lost_nor_retried(
    verified_client, django_capture_on_commit_callbacks, settings
):
    staff = ministry_staff()
    # Three missed beats are not yet four.
    report = running_report(
        staff, last_sign_of_life=timedelta(seconds=3 * settings.JOB_HEARTBEAT_SECONDS)
    )
    client = verified_client(staff)

    page = report_page(client, report)

    assert 'data-testid="worker-lost"' not in page
    assert "60%" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reporting:report_retry", kwargs={"pk": report.pk}), follow=True
        )
    assert "Alleen een mislukt rapport" in response.content.decode()
    report.refresh_from_db()
    assert (report.status, report.attempts) == (RUNNING, 1)


@pytest.mark.django_db
def test_without_redis_the_page_promises_no_redelivery(verified_client, settings):
    settings.REDIS_URL = ""  # the embedded broker of `make run`, which does not redeliver
    staff = ministry_staff()
    report = running_report(staff, last_sign_of_life=timedelta(minutes=5))
    page = report_page(verified_client(staff), report)
    assert 'data-testid="worker-lost"' in page
    assert "hands it to another worker" not in page
    assert "aan een andere worker" not in page


@pytest.mark.django_db
def test_a_second_delivery_waits_while_the_first_worker_lives_and_takes_over_once_it_is_lost(
    settings,
):
    story = scenario(trajectories=1)
    report = running_report(story.staff, last_sign_of_life=timedelta(seconds=0))
    beat = settings.JOB_HEARTBEAT_SECONDS

    with pytest.raises(JobBusy) as busy:
        job_begin(ParliamentReport, report.pk)
    # It looks again just after the first worker would count as lost.
    assert 4 * beat - 1 < busy.value.retry_in <= 4 * beat + 1
    # In-process the duplicate message does nothing at all.
    generate_parliament_report.delay(report.pk)
    report.refresh_from_db()
    assert (report.status, report.attempts) == (RUNNING, 1)

    with time_machine.travel(timezone.now() + timedelta(seconds=busy.value.retry_in)):
        taken = job_begin(ParliamentReport, report.pk)
    assert taken.attempts == 2


@pytest.mark.django_db
def test_the_lost_attempt_can_write_neither_progress_nor_a_file_once_another_took_over():
    staff = ministry_staff()
    report = ParliamentReport.objects.create(
        period_start=date(2021, 1, 1), period_end=date(2021, 3, 31), requested_by=staff
    )
    first = job_begin(ParliamentReport, report.pk)
    with time_machine.travel(timezone.now() + timedelta(minutes=5)):
        second = job_begin(ParliamentReport, report.pk)

    with pytest.raises(JobTakenOver):
        job_progress(first, 60, "layout")
    with pytest.raises(JobTakenOver):
        job_finish(first, filename="first.pdf", content=b"%PDF first", page_count=1)
    job_finish(second, filename="second.pdf", content=b"%PDF second", page_count=1)

    report.refresh_from_db()
    assert report.attempts == 2
    assert report.file.read() == b"%PDF second"
    assert not [name for name in storages["private"].listdir("")[1] if name.startswith("first")]


@pytest.mark.django_db(transaction=True)
def test_the_heartbeat_writes_signs_of_life_while_the_job_runs_and_stops_after(settings):
    settings.JOB_HEARTBEAT_SECONDS = 0.05
    report = ParliamentReport.objects.create(
        period_start=date(2021, 1, 1), period_end=date(2021, 3, 31), requested_by=None
    )
    job = job_begin(ParliamentReport, report.pk)

    with job_heartbeat(job):
        time.sleep(0.5)
        report.refresh_from_db()
        during = report.heartbeat_at
    report.refresh_from_db()
    after = report.heartbeat_at
    time.sleep(0.3)
    report.refresh_from_db()

    assert during > job.heartbeat_at
    assert report.heartbeat_at == after  # it stopped with the job


@pytest.mark.django_db
def test_an_export_whose_worker_stopped_is_made_again_by_its_owner_only(
    verified_client, client, django_capture_on_commit_callbacks
):
    officer = officer_of()
    stale = timezone.now() - timedelta(minutes=5)
    export = Export.objects.create(
        requested_by=officer,
        kind=Export.Kind.CALLS,
        format=Export.Format.CSV,
        organisation=officer.memberships.get().organisation,
        status=Export.Status.RUNNING,
        attempts=1,
        started_at=stale,
        heartbeat_at=stale,
    )
    retry = reverse("reporting:export_retry", kwargs={"pk": export.pk})
    verified_client(officer_of(export.organisation))
    assert client.post(retry).status_code == 404
    client.logout()
    owner = verified_client(officer)

    page = owner.get(reverse("reporting:export", kwargs={"pk": export.pk})).content.decode()
    assert 'data-testid="worker-lost"' in page
    assert retry in page
    with django_capture_on_commit_callbacks(execute=True):
        assert owner.post(retry).status_code == 302

    export.refresh_from_db()
    assert (export.status, export.attempts) == (Export.Status.DONE, 2)
    # Done now: nothing to try again.
    response = owner.post(retry, follow=True)
    assert "Alleen een export" in response.content.decode()


# --- A real worker, killed mid-report -------------------------------------------------------


def redeliver_unacknowledged(task_id: str) -> int:
    """Do now what Redis does once the visibility timeout has passed: put the message of a
    task that a worker took but never acknowledged back on its queue. Only that message, so
    that other test processes' workers are left alone."""
    with celery_app.connection_for_write() as connection:
        channel = connection.default_channel
        client = channel.client
        restored = 0
        for tag, stored in client.hgetall(channel.unacked_key).items():
            message, _exchange, _routing_key = json.loads(stored)
            if message["headers"].get("id") == task_id:
                channel.qos.restore_by_tag(tag, client)
                restored += 1
        return restored


def unfinished_messages(queue: str) -> int:
    with celery_app.connection_for_write() as connection:
        channel = connection.default_channel
        client = channel.client
        waiting = client.llen(queue)
        taken = sum(json.loads(stored)[2] == queue for stored in client.hvals(channel.unacked_key))
        return waiting + taken


def queue_quiet(queue: str, *, for_seconds: float = 2) -> bool:
    """No message waiting or being worked on, and still none a little later (a worker that
    has just popped a message holds it for a moment before Redis lists it as taken)."""
    deadline = time.monotonic() + for_seconds
    while time.monotonic() < deadline:
        if unfinished_messages(queue):
            return False
        time.sleep(0.1)
    return True


def wait_for(condition, *, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.02)
    raise AssertionError(f"gave up waiting for {what}")


def kill_mid_report(own_workers, monkeypatch, settings):
    """Ask for a report, let a worker begin it, and kill that worker (SIGKILL: no goodbye,
    as when a machine dies) while the report is half made."""
    settings.JOB_HEARTBEAT_SECONDS = 0.5
    sent = []

    publish = generate_parliament_report.apply_async

    def to_own_queue(args=None, kwargs=None, **options):
        result = publish(args, kwargs, **{**options, "queue": own_workers.queue})
        sent.append(result.id)
        return result

    # The request goes through the normal service and its outbox; its message to this test's
    # own queue (not to the session's shared worker, which would make it meanwhile).
    monkeypatch.setattr(generate_parliament_report, "apply_async", to_own_queue)
    first = own_workers(JOB_HEARTBEAT_SECONDS="0.5")
    story = scenario(trajectories=3)
    report, created = report_request_now(story.staff)
    assert created

    def half_made():
        report.refresh_from_db()
        return report.status == RUNNING and report.progress >= 10

    wait_for(half_made, seconds=60, what="the worker to begin the report")
    os.kill(first.pid, signal.SIGKILL)
    first.wait()
    report.refresh_from_db()
    assert report.status == RUNNING, "the report was finished before the worker was killed"
    assert report.attempts == 1
    (killed_task,) = sent
    return story, report, killed_task


def report_request_now(staff):
    from reporting.services.reports import report_request

    return report_request(
        actor=staff, period_start=date(2021, 1, 1), period_end=timezone.localdate()
    )


def assert_made_exactly_once(own_workers, report):
    # The "report ready" e-mail is the last thing a made report causes; after it, nothing more
    # may happen: no message left for the workers, and still one e-mail.
    wait_for(lambda: list(own_workers.mail_dir.iterdir()), seconds=60, what="the e-mail")
    wait_for(lambda: queue_quiet(own_workers.queue), seconds=60, what="a quiet queue")
    report.refresh_from_db()
    assert report.status == ParliamentReport.Status.DONE, report.error
    assert report.attempts == 2  # the killed one and the one that made it
    files = list((own_workers.files_dir / "private").rglob("voortgangsrapportage-*.pdf"))
    assert [path.name for path in files] == [report.file.name.rsplit("/", 1)[-1]]
    assert files[0].read_bytes().startswith(b"%PDF")
    # One completion: one "report ready" e-mail, one move to "done" in the audit trail.
    mails = list(own_workers.mail_dir.iterdir())
    assert len(mails) == 1, [path.read_text() for path in mails]
    assert reverse("reporting:report", kwargs={"pk": report.pk}) in mails[0].read_text()
    done = [
        entry
        for entry in LogEntry.objects.get_for_object(report)
        if entry.changes_dict.get("status", [None, None])[1] == "done"
    ]
    assert len(done) == 1


@pytest.mark.live_worker
def test_a_killed_workers_report_is_retried_on_the_page_and_made_exactly_once(
    own_workers, monkeypatch, settings, verified_client
):
    story, report, killed_task = kill_mid_report(own_workers, monkeypatch, settings)
    client = verified_client(story.staff)

    # Four missed heartbeats later the page says what happened and offers to try again.
    wait_for(
        lambda: 'data-testid="worker-lost"' in report_page(client, report),
        seconds=10,
        what="the page to say the worker was lost",
    )
    own_workers(JOB_HEARTBEAT_SECONDS="0.5")
    response = client.post(reverse("reporting:report_retry", kwargs={"pk": report.pk}))
    assert response.status_code == 302
    wait_for(
        lambda: ParliamentReport.objects.get(pk=report.pk).status == "done",
        seconds=120,
        what="the retried report",
    )
    # Much later Redis hands the killed worker's message out again: it must change nothing.
    wait_for(lambda: list(own_workers.mail_dir.iterdir()), seconds=60, what="the e-mail")
    assert redeliver_unacknowledged(killed_task) == 1

    assert_made_exactly_once(own_workers, report)


@pytest.mark.live_worker
def test_a_killed_workers_report_is_made_exactly_once_by_the_brokers_redelivery(
    own_workers, monkeypatch, settings
):
    _story, report, killed_task = kill_mid_report(own_workers, monkeypatch, settings)
    own_workers(JOB_HEARTBEAT_SECONDS="0.5")

    # Nobody retries: Redis hands the unacknowledged message to the next worker (here at once
    # rather than after the visibility timeout). The dead worker's heartbeat is still fresh,
    # so the next worker looks again a little later, then takes over.
    assert redeliver_unacknowledged(killed_task) == 1

    wait_for(
        lambda: ParliamentReport.objects.get(pk=report.pk).status == "done",
        seconds=120,
        what="the redelivered report",
    )
    assert_made_exactly_once(own_workers, report)
