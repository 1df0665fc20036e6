"""Proposals' forms, by the person filling them in: company.py, officer.py, assessment.py."""
