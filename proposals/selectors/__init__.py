"""Proposals' reads shared by pages, API, exports and tasks: proposals.py, assessment.py,
contracts.py, and ranking.py (the committee's ranking computed from the scores).
"""
