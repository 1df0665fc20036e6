"""Funding's writes, one module per sub-domain: ledger.py (the one writer of transactions,
funds), cofinancing.py (EZK's co-financing), contracts.py (what awards, milestones and ended
contracts book), targets.py (authority targets).
"""
