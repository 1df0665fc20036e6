"""Open data in the Open Contracting Data Standard (OCDS) 1.1.

builder.py turns what may be published (reporting/selectors/opendata.py) into release
packages, validation.py checks them against the OCDS 1.1.5 schema and codelists copied into
schema/. reporting/views/public.py serves the /open-data/ page and downloads,
reporting/api/views.py the same packages in the API.
"""
