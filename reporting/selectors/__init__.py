"""Reporting's reads: report.py (the figures of the report for parliament) and opendata.py
(what may be published as open data).
"""
