"""Funding's reads, each from aggregate queries: budget.py (fund balances and use),
calls.py (one call's money), cofinancing.py, targets.py, trajectories.py.
"""
