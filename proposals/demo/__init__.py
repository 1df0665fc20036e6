"""Demo data of proposals: viaducts.py (the funnel of SBIR Circulaire Viaducten and the other
decided calls), standstill.py (a recent call with an intended award within its standstill
period, for the demo company), prizes.py (a prize competition whose three prizes are
awarded, with their letters), funnel.py (a whole funnel from a short description, also used
by funding's demo) and history.py (the pieces both write the past with).

`python manage.py demo_data` runs each app's `demo.load()` in the order apps depend.
"""

from . import prizes, standstill, viaducts


def load() -> str:
    return "; ".join([viaducts.load(), standstill.load(), prizes.load()])


__all__ = ["load"]
