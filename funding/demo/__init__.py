"""Demo data of funding: trajectories.py (EZK's funds, the supported trajectories, their
ledger and the targets) and funnels.py (the funnels of the trajectories' calls).

`python manage.py demo_data` runs each app's `demo.load()` in the order apps depend.
"""

from .trajectories import load

__all__ = ["load"]
