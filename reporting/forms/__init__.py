"""Reporting's forms: reports.py (asking for a report for parliament), exports.py."""
