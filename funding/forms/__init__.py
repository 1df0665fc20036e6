"""Funding's forms: ledger.py (the transactions filter), cofinancing.py, targets.py."""
