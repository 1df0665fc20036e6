"""What calls put on the public home page (portal asks each AppConfig's home_sections).

The open calls: those a company can respond to now, the soonest to close first. One query.
"""

from django.utils import timezone

from .selectors import calls_open_now

OPEN_CALLS_SHOWN = 6


def home_sections(request) -> list[dict]:
    calls = list(calls_open_now().prefetch_related(None)[:OPEN_CALLS_SHOWN])
    today = timezone.localdate()
    for call in calls:
        # Calendar days in Europe/Amsterdam: a deadline tomorrow at 09:00 closes "in 1 day".
        call.days_left = (timezone.localdate(call.open_until) - today).days
    return [{"template": "calls/partials/home_open_calls.html", "context": {"calls": calls}}]
