"""Funding's pages by the person using them: ministry.py (budget, transactions, co-financing
decisions, targets) and officer.py (co-financing applications, a call's money).
"""
