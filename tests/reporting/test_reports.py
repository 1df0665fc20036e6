"""Progress reports for parliament: asked for on the page, made by a Celery task (in-process
here; tests/reporting/test_worker.py uses a real worker), opened and checked against the ledger."""

import hashlib
import html
import io
import re
from datetime import date, timedelta

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import dateformat, timezone, translation
from pypdf import PdfReader

from funding.selectors.budget import fund_balances
from portal.models import Role
from portal.templatetags.portal import euro
from reporting.models import ParliamentReport
from reporting.rendering import report as rendering
from reporting.services.reports import report_request
from reporting.tasks import generate_parliament_report, quarterly_report
from tests.calls.factories import officer_of
from tests.concurrency import require_postgresql, run_at_once
from tests.factories import CompanyFactory, person_with_role

from .scenario import co_financed, ministry_staff, scenario

pytestmark = pytest.mark.django_db

REPORTS = reverse("reporting:reports")


def pdf_text(content: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return reader, re.sub(r"\s+", " ", text.replace("\xa0", " "))


def plain(amount) -> str:
    return euro(amount).replace("\xa0", " ")


def ask(client, **overrides):
    today = timezone.localdate()
    data = {
        "period_start": (today - timedelta(days=90)).isoformat(),
        "period_end": today.isoformat(),
        "language": "nl",
        **overrides,
    }
    return client.post(REPORTS, data)


def test_staff_ask_for_a_report_and_download_a_pdf_whose_figures_are_the_ledgers(
    verified_client, django_capture_on_commit_callbacks
):
    story = scenario(trajectories=3)
    client = verified_client(story.staff)

    with django_capture_on_commit_callbacks(execute=True):
        response = ask(client)

    report = ParliamentReport.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("reporting:report", kwargs={"pk": report.pk})
    assert report.status == ParliamentReport.Status.DONE
    assert report.requested_by == story.staff
    assert report.attempts == 1
    page = client.get(response.url)
    assert 'data-status="done"' in page.content.decode()
    download = client.get(reverse("reporting:report_download", kwargs={"pk": report.pk}))
    assert download["Content-Type"] == "application/pdf"
    assert "no-store" in download["Cache-Control"]
    content = b"".join(download.streaming_content)
    assert hashlib.sha256(content).hexdigest() == report.checksum
    reader, text = pdf_text(content)
    assert len(reader.pages) == report.page_count >= 6
    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=0.5)  # A4
    (balance,) = fund_balances()
    assert balance.appropriated == story.appropriated
    assert balance.committed == story.committed
    assert balance.paid == story.paid
    # The letter's key figures and the fund table are the ledger's balances.
    assert f"Van de {plain(balance.appropriated)}" in text
    assert plain(balance.committed + balance.paid) in text
    assert plain(balance.paid) in text
    assert plain(balance.available) in text
    for call in story.calls:
        assert call.title in text
    assert "3 trajecten" in text
    assert "pagina 1 van" in text  # page numbers
    assert "Inhoud" in text  # table of contents
    assert "<svg" not in text
    # Tagged PDF/UA: a structure tree and the PDF/UA identification in the metadata.
    assert "/StructTreeRoot" in reader.trailer["/Root"]
    assert b"pdfuaid" in reader.trailer["/Root"]["/Metadata"].get_object().get_data()


def test_the_report_in_english_on_request(verified_client, django_capture_on_commit_callbacks):
    story = scenario(trajectories=1)
    with django_capture_on_commit_callbacks(execute=True):
        ask(verified_client(story.staff), language="en")
    report = ParliamentReport.objects.get()
    _reader, text = pdf_text(report.file.read())
    assert "Progress report on launching customership" in text
    assert "Dear Speaker" in text
    assert "Geachte" not in text
    # The running header gives the period as the rest of the report does ("5 December 2026"),
    # never in the American order of SHORT_DATE_FORMAT.
    with translation.override("en"):
        start = dateformat.format(report.period_start, "j F Y")
        end = dateformat.format(report.period_end, "j F Y")
    assert text.count(f"{start} – {end}") >= 3  # title, and the header of every page
    assert report.period_end.strftime("%m/%d/%Y") not in text
    # The letter's words and the fund table agree: "committed" is what is not yet paid.
    (balance,) = fund_balances()
    with translation.override("en"):
        used, paid, committed = (
            plain(amount)
            for amount in (balance.committed + balance.paid, balance.paid, balance.committed)
        )
    assert (
        f"{used} had been put to use for trajectories: {paid} paid and {committed} committed "
        "but not yet paid"
    ) in text
    assert "Committed, not yet paid" in text


def test_the_reports_page_in_english_has_no_dutch_name_for_the_report(verified_client):
    story = scenario(trajectories=1)
    client = verified_client(story.staff)
    client.cookies["django_language"] = "en"
    page = client.get(REPORTS)
    text = page.content.decode()
    assert "The progress report for parliament:" in text
    assert "voortgangsrapportage" not in text.lower()


def test_a_funnel_of_one_reads_in_the_singular(django_capture_on_commit_callbacks):
    story = scenario(trajectories=1)  # its funnel: 3 proposals, 2 studies, no prototype
    co_financed(story.fund, story.staff, title="Single", requested="100000.00", funnel=(1, 1, 1))
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        report, _created = report_request(
            actor=story.staff,
            period_start=today.replace(month=1, day=1),
            period_end=today,
            language=ParliamentReport.Language.ENGLISH,
        )
    report.refresh_from_db()
    _reader, text = pdf_text(report.file.read())
    assert "supported calls with 4 proposals." in text
    assert "SBIR feasibility studies: 3; SBIR prototypes: 1;" in text
    assert "1 proposal was received by the end of the period." in text


def test_the_funnel_and_targets_are_in_the_report(django_capture_on_commit_callbacks):
    story = scenario(trajectories=2)
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        report, _created = report_request(
            actor=story.staff, period_start=today.replace(month=1, day=1), period_end=today
        )
    report.refresh_from_db()
    context = rendering.report_context(report, lambda percent, step: None)
    funnel = {
        t.call.title: (t.responses, t.feasibility, t.prototype) for t in context["trajectories"]
    }
    assert funnel == {"Trajectory 0": (3, 2, 0), "Trajectory 1": (0, 0, 0)}
    (target,) = context["targets"]
    assert target["achieved"] == 1
    assert target["percent"] == 25
    # Without a choice, the case that went furthest is highlighted, with its companies.
    (case,) = context["highlighted"]
    assert case.call == story.calls[0]
    assert len(case.awarded_companies) == 2
    _reader, text = pdf_text(report.file.read())
    assert case.awarded_companies[0] in text


def test_a_period_before_any_money_shows_empty_funds_not_todays():
    story = scenario(trajectories=1)
    # The fund's period had begun (1 January 2021), its money was booked only later.
    report = ParliamentReport.objects.create(
        period_start=date(2021, 1, 1), period_end=date(2021, 1, 31)
    )
    context = rendering.report_context(report, lambda percent, step: None)
    (item,) = context["positions"]
    assert item["position"].fund == story.fund
    assert item["position"].appropriated == 0
    assert context["trajectories"] == []
    # A fund whose period began after the report's period is not in it at all.
    earlier = ParliamentReport.objects.create(
        period_start=date(2020, 1, 1), period_end=date(2020, 12, 31)
    )
    assert rendering.report_context(earlier, lambda percent, step: None)["positions"] == []


def test_report_figures_take_the_same_queries_for_2_and_10_trajectories():
    story = scenario(trajectories=2)
    report = ParliamentReport.objects.create(
        period_start=date(2020, 1, 1), period_end=timezone.localdate(), status="done"
    )

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            rendering.report_html(report)
        return len(queries)

    few = count()
    for number in range(8):
        co_financed(story.fund, story.staff, title=f"Extra {number}", requested="10000.00")
    assert count() == few


# --- Asking twice, failing, retrying -------------------------------------------------------


def test_asking_twice_gives_the_same_report_and_a_new_version_only_on_request(
    verified_client, django_capture_on_commit_callbacks
):
    story = scenario(trajectories=1)
    client = verified_client(story.staff)
    with django_capture_on_commit_callbacks(execute=True):
        first = ask(client)
        second = ask(client)
    assert first.url == second.url
    assert ParliamentReport.objects.count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        ask(client, regenerate="on")
    assert ParliamentReport.objects.filter(status="done").count() == 2
    # Another language is another report.
    with django_capture_on_commit_callbacks(execute=True):
        ask(client, language="en")
    assert ParliamentReport.objects.count() == 3


def test_a_report_being_made_is_never_made_twice_even_with_regenerate():
    staff = ministry_staff()
    today = timezone.localdate()
    first, created = report_request(actor=staff, period_start=today, period_end=today)
    again, created_again = report_request(
        actor=staff, period_start=today, period_end=today, regenerate=True
    )
    assert created
    assert not created_again
    assert again == first


@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_make_one_report():
    require_postgresql()
    staff = ministry_staff()
    today = timezone.localdate()

    results = run_at_once(
        lambda: report_request(actor=staff, period_start=today, period_end=today), times=3
    )

    assert not [r for r in results if isinstance(r, Exception)], results
    assert len({report.pk for report, _created in results}) == 1
    assert sum(created for _report, created in results) == 1
    assert ParliamentReport.objects.count() == 1


def test_a_failing_render_is_retried_then_reported_and_can_be_tried_again(
    verified_client, django_capture_on_commit_callbacks, monkeypatch
):
    story = scenario(trajectories=1)
    client = verified_client(story.staff)
    real_render = rendering.html_to_pdf

    def broken(html):
        raise RuntimeError("font cache unavailable")

    monkeypatch.setattr(rendering, "html_to_pdf", broken)
    with django_capture_on_commit_callbacks(execute=True):
        ask(client)
    report = ParliamentReport.objects.get()
    assert report.status == ParliamentReport.Status.FAILED
    assert report.attempts == 1 + generate_parliament_report.max_retries
    assert "RuntimeError: font cache unavailable" in report.error
    page = client.get(reverse("reporting:report", kwargs={"pk": report.pk})).content.decode()
    assert "font cache unavailable" in page
    assert reverse("reporting:report_retry", kwargs={"pk": report.pk}) in page
    download = reverse("reporting:report_download", kwargs={"pk": report.pk})
    assert client.get(download).status_code == 404

    monkeypatch.setattr(rendering, "html_to_pdf", real_render)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reporting:report_retry", kwargs={"pk": report.pk}))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ParliamentReport.Status.DONE
    assert report.error == ""
    assert report.file.read().startswith(b"%PDF")
    # Only a failed report can be retried.
    response = client.post(reverse("reporting:report_retry", kwargs={"pk": report.pk}), follow=True)
    assert "Alleen een mislukt rapport" in response.content.decode()


def test_one_failed_attempt_is_retried_and_the_report_still_comes(
    django_capture_on_commit_callbacks, monkeypatch
):
    story = scenario(trajectories=1)
    real_render = rendering.html_to_pdf
    calls = []

    def flaky(html):
        calls.append(1)
        if len(calls) == 1:
            raise OSError("disk full")
        return real_render(html)

    monkeypatch.setattr(rendering, "html_to_pdf", flaky)
    with django_capture_on_commit_callbacks(execute=True):
        report, _created = report_request(
            actor=story.staff, period_start=date(2021, 1, 1), period_end=timezone.localdate()
        )
    report.refresh_from_db()
    assert report.status == ParliamentReport.Status.DONE
    assert report.attempts == 2


def test_a_worker_that_died_mid_report_leaves_it_running_and_the_redelivery_finishes_it():
    story = scenario(trajectories=1)
    report = ParliamentReport.objects.create(
        period_start=date(2021, 1, 1),
        period_end=timezone.localdate(),
        requested_by=story.staff,
        status=ParliamentReport.Status.RUNNING,
        progress=50,
        attempts=1,
    )
    generate_parliament_report.delay(report.pk)  # the broker hands the message out again
    report.refresh_from_db()
    assert report.status == ParliamentReport.Status.DONE
    assert report.attempts == 2
    # A duplicate message for a finished report does nothing.
    checksum = report.checksum
    generate_parliament_report.delay(report.pk)
    report.refresh_from_db()
    assert (report.attempts, report.checksum) == (2, checksum)


# --- Progress on the page ----------------------------------------------------------------


def test_the_page_polls_while_the_report_is_made_and_refreshes_without_javascript(verified_client):
    staff = ministry_staff()
    report = ParliamentReport.objects.create(
        period_start=date(2021, 1, 1),
        period_end=date(2021, 3, 31),
        requested_by=staff,
        status=ParliamentReport.Status.RUNNING,
        progress=60,
        progress_message="layout",
        started_at=timezone.now(),
        heartbeat_at=timezone.now(),  # its worker is alive
    )
    client = verified_client(staff)
    status_url = reverse("reporting:report_status", kwargs={"pk": report.pk})

    page = client.get(reverse("reporting:report", kwargs={"pk": report.pk})).content.decode()
    assert f'hx-get="{status_url}"' in page
    assert '<meta http-equiv="refresh" content="5">' in page  # inside <noscript>
    assert "60%" in page
    assert "De pagina's worden opgemaakt" in html.unescape(page)

    fragment = client.get(status_url, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in fragment
    assert 'hx-trigger="every 2s"' in fragment

    ParliamentReport.objects.filter(pk=report.pk).update(status="done", progress=100, page_count=7)
    fragment = client.get(status_url, headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in fragment  # polling stops
    assert reverse("reporting:report_download", kwargs={"pk": report.pk}) in fragment
    page = client.get(reverse("reporting:report", kwargs={"pk": report.pk})).content.decode()
    assert 'http-equiv="refresh"' not in page
    # Without htmx the status address leads to the page itself.
    assert client.get(status_url).status_code == 302


# --- Input and permissions -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"period_start": "2024-05-01", "period_end": "2024-04-01"}, "na het begin"),
        ({"period_end": "2099-01-01"}, "in de toekomst"),
        ({"period_start": "1999-01-01"}, "vanaf 2000"),
        ({"period_start": "gisteren"}, "geldige datum"),
        ({"language": "fr"}, "geldige keuze"),
    ],
)
def test_bad_requests_are_refused_with_a_reason_and_nothing_is_made(
    verified_client, overrides, message
):
    client = verified_client(ministry_staff())
    response = ask(client, **overrides)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ParliamentReport.objects.exists()


def test_at_most_five_highlighted_trajectories(verified_client):
    story = scenario(trajectories=6)
    response = ask(verified_client(story.staff), highlighted=[call.pk for call in story.calls])
    assert response.status_code == 200
    assert "Licht ten hoogste 5 trajecten uit" in response.content.decode()
    assert not ParliamentReport.objects.exists()


def test_only_ministry_staff_ask_for_see_and_download_reports(client, verified_client):
    staff = ministry_staff()
    report = ParliamentReport.objects.create(
        period_start=date(2021, 1, 1), period_end=date(2021, 3, 31), requested_by=staff
    )
    urls = [
        REPORTS,
        reverse("reporting:report", kwargs={"pk": report.pk}),
        reverse("reporting:report_status", kwargs={"pk": report.pk}),
        reverse("reporting:report_download", kwargs={"pk": report.pk}),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302
        assert reverse("login") in response.url
    company_member = person_with_role(Role.APPLICANT, organisation=CompanyFactory())
    client.force_login(company_member)
    for url in urls:
        assert client.get(url).status_code == 403, url
    assert ask(client).status_code == 403
    client.logout()
    verified_client(officer_of())
    for url in urls:
        assert client.get(url).status_code == 403, url
    assert ask(client).status_code == 403
    retry = reverse("reporting:report_retry", kwargs={"pk": report.pk})
    assert client.post(retry).status_code == 403
    assert ParliamentReport.objects.count() == 1
    # Ministry staff, but without the second factor: not yet.
    client.logout()
    client.force_login(staff)
    assert client.get(REPORTS).status_code != 200


def test_the_reports_list_takes_the_same_queries_for_2_and_30_reports(verified_client):
    staff = ministry_staff()
    client = verified_client(staff)

    def make(count, offset):
        for number in range(count):
            day = date(2000, 1, 1) + timedelta(days=offset + number)
            ParliamentReport.objects.create(
                period_start=day, period_end=day, requested_by=staff, status="done"
            )

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(REPORTS).status_code == 200
        return len(captured)

    make(2, 0)
    few = queries()
    make(28, 100)
    assert queries() == few


# --- The schedule --------------------------------------------------------------------------


def test_beat_makes_the_quarterly_report_and_mails_all_ministry_staff(
    django_capture_on_commit_callbacks,
):
    first, second = ministry_staff(), ministry_staff()
    officer_of()
    entry = settings.CELERY_BEAT_SCHEDULE["quarterly-parliament-report"]
    assert entry["task"] == quarterly_report.name

    first_of_quarter = timezone.make_aware(timezone.datetime(2026, 10, 1, 6, 0))
    with (
        time_machine.travel(first_of_quarter, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        quarterly_report.delay()

    report = ParliamentReport.objects.get()
    assert (report.period_start, report.period_end) == (date(2026, 7, 1), date(2026, 9, 30))
    assert report.scheduled
    assert report.requested_by is None
    assert report.status == ParliamentReport.Status.DONE
    assert sorted(message.to[0] for message in mail.outbox) == sorted([first.email, second.email])
    (message, _other) = mail.outbox
    assert "1 juli 2026 – 30 september 2026" in message.subject
    assert reverse("reporting:report", kwargs={"pk": report.pk}) in message.body
    assert report.checksum in message.body


def test_who_asked_gets_the_mail_for_a_report_asked_for(django_capture_on_commit_callbacks):
    staff, other = ministry_staff(), ministry_staff()
    with django_capture_on_commit_callbacks(execute=True):
        report_request(actor=staff, period_start=date(2025, 1, 1), period_end=date(2025, 3, 31))
    assert [message.to for message in mail.outbox] == [[staff.email]]
    assert other.email not in mail.outbox[0].to


def test_highlighted_trajectories_are_typed_with_suggestions_not_a_checkbox_each(
    verified_client,
):
    """EZK co-finances thousands: a few text fields sharing the server's suggestions."""
    story = scenario(trajectories=3)
    client = verified_client(story.staff)
    html = client.get(REPORTS).content.decode()
    assert 'type="checkbox" name="highlighted"' not in html
    assert html.count('name="highlighted"') == 5
    assert 'list="id_highlighted-suggestions"' in html
    first, second = story.calls[0], story.calls[2]
    response = ask(client, highlighted=[first.reference, second.title, ""])
    assert response.status_code == 302
    report = ParliamentReport.objects.get()
    assert set(report.highlighted_calls.all()) == {first, second}
    refused = ask(client, highlighted=["IL-2000-99999"], regenerate="on")
    assert refused.status_code == 200
    assert refused.context["form"].errors["highlighted"]
