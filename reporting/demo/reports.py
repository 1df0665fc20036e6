"""Demo reporting: one progress report over everything up to the last full quarter, so the
ministry's report page shows a finished report (made by the task, in-process or on a worker).
Idempotent: asking for the same report again returns the one there is."""

from datetime import date

from django.utils import timezone

from portal.models import User

from ..services.reports import previous_quarter, report_request

MINISTRY_STAFF = "medewerker@ezk.example"


def load() -> str:
    _start, end = previous_quarter(timezone.localdate())
    report, created = report_request(
        actor=User.objects.get(email=MINISTRY_STAFF),
        period_start=date(2018, 1, 1),
        period_end=end,
    )
    state = "asked for" if created else "exists"
    return f"progress report {report.period_start} – {report.period_end} {state}"
