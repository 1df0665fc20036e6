"""Demo data of trusted identity: companies.py (which demo companies are verified and how,
team roles, and one company registered without proof for the eHerkenning mock to take back).

`python manage.py demo_data` runs each app's `demo.load()` in the order apps depend.
"""

from . import companies


def load() -> str:
    return companies.load()
