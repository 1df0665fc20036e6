"""Demo data of calls: calls.py (the trajectories of the letter and calls open now) and
participation.py (requests to participate in the open innovation partnership).

`python manage.py demo_data` runs each app's `demo.load()` in the order apps depend.
"""

from django.utils import timezone

from . import calls, participation


def load() -> str:
    summary = calls.load()
    participation.load(timezone.now())
    return summary
