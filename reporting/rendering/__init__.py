"""Turning figures into files: report.py (the report for parliament as HTML and PDF),
charts.py (its SVG charts), exports.py (CSV and XLSX exports).
"""
