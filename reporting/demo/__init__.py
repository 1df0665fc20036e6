"""Demo data of reporting: reports.py (one finished report for parliament).

`python manage.py demo_data` runs each app's `demo.load()` in the order apps depend.
"""

from .reports import load

__all__ = ["load"]
