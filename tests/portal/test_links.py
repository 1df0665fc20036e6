"""Absolute links point to where the portal was asked (any host, any port); only work without
a request (beat, a management command) falls back to SITE_URL."""

import time

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from calls.models import Call, Follower
from calls.tasks import notify_followers
from portal.models import Role
from tests.calls.factories import published_call
from tests.factories import person_with_role

# Not SITE_URL's port 8000: as with `make run PORT=8010`.
HOST = "127.0.0.1:8010"
ORIGIN = f"http://{HOST}"


def followed_call() -> Call:
    call = published_call()
    Follower.objects.create(call=call, user=person_with_role(Role.APPLICANT))
    return call


def cancel_on_the_page(verified_client, call: Call):
    client = verified_client(call.officer)
    return client.post(
        reverse("calls:officer_cancel", kwargs={"pk": call.pk}),
        {"reason": "Budget ingetrokken."},
        headers={"host": HOST},
    )


@pytest.mark.django_db
def test_the_feed_links_to_the_host_and_port_it_was_read_on(client):
    call = published_call()

    response = client.get(
        reverse("calls:feed"), headers={"host": "portal.example:8443"}, secure=True
    )

    body = response.content.decode()
    assert f'href="https://portal.example:8443{call.get_absolute_url()}"' in body
    assert settings.SITE_URL not in body


@pytest.mark.django_db
def test_the_calendar_links_to_the_host_and_port_it_was_read_on(client):
    call = published_call()

    response = client.get(reverse("calls:ical", kwargs={"pk": call.pk}), headers={"host": HOST})

    unfolded = response.content.decode().replace("\r\n ", "")  # iCalendar folds long lines
    assert f"URL:{ORIGIN}{call.get_absolute_url()}" in unfolded
    assert settings.SITE_URL not in unfolded


@pytest.mark.django_db(transaction=True)  # the e-mail task runs when the request commits
def test_an_email_that_a_request_causes_links_to_where_the_request_came_from(verified_client):
    call = followed_call()

    response = cancel_on_the_page(verified_client, call)

    assert response.status_code == 302
    (message,) = mail.outbox
    assert f"{ORIGIN}{call.get_absolute_url()}" in message.body
    assert settings.SITE_URL not in message.body


@pytest.mark.django_db
def test_work_without_a_request_links_to_site_url(settings):
    settings.SITE_URL = "https://innovatieloket.example.org"
    call = followed_call()

    notify_followers.delay(call.pk, "cancelled")  # as beat or a management command would

    (message,) = mail.outbox
    assert f"https://innovatieloket.example.org{call.get_absolute_url()}" in message.body


@pytest.mark.live_worker
def test_a_workers_email_links_to_where_the_request_came_from(live_worker, verified_client):
    """Over Redis the task carries the request's origin in its message to the worker."""
    call = followed_call()
    call.title = f"Herkenbare oproep {call.pk}"
    call.save(update_fields=["title"])

    assert cancel_on_the_page(verified_client, call).status_code == 302

    deadline = time.monotonic() + 30
    while True:
        mails = [
            path.read_text()
            for path in live_worker["mail_dir"].iterdir()
            if call.title in path.read_text()
        ]
        if mails or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    (body,) = mails
    assert f"{ORIGIN}{call.get_absolute_url()}" in body
    assert settings.SITE_URL not in body
