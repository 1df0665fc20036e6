"""Demo data of reporting: reports.py (one finished report for parliament) and notices.py (the
calls' eForms notices), opendata.py (open data with its history: an amended call, the earlier
calls' releases, the bulk files).

`python manage.py demo_data` runs each app's `demo.load()` in the order apps depend.
"""

from . import notices, opendata, reports


def load() -> str:
    return f"{reports.load()}; {notices.load()}; {opendata.load()}"


__all__ = ["load"]
