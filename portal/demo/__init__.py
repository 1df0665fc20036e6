"""Demo data of the portal: identity.py (the organisations of the source letter and one
person per role, with their second factor).

`python manage.py demo_data` runs each app's `demo.load()` in the order apps depend.
"""

from .identity import load

__all__ = ["load"]
