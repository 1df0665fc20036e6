"""Reporting's pages by the person using them: ministry.py (reports for parliament),
exports.py (officers and ministry staff), public.py (open data, no login).
"""
