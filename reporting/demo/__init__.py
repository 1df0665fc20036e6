"""Demo data of reporting: reports.py (one finished report for parliament) and notices.py (the
calls' eForms notices).

`python manage.py demo_data` runs each app's `demo.load()` in the order apps depend.
"""

from . import notices, reports


def load() -> str:
    return f"{reports.load()}; {notices.load()}"


__all__ = ["load"]
