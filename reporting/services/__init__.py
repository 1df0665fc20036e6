"""Reporting's writes: reports.py (reports for parliament), exports.py, and jobs.py (the
worker's side of both: begin, progress, finish, fail).
"""
