"""Demo data of proposals: viaducts.py (the funnel of SBIR Circulaire Viaducten and the other
decided calls), funnel.py (a whole funnel from a short description, also used by funding's
demo) and history.py (the pieces both write the past with).

`python manage.py demo_data` runs each app's `demo.load()` in the order apps depend.
"""

from .viaducts import load

__all__ = ["load"]
