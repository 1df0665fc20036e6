"""Open data in the Open Contracting Data Standard (OCDS) 1.1.

selectors.py reads what may be published, builder.py turns it into release packages,
validation.py checks them against the OCDS 1.1.5 schema and codelists copied into schema/,
views.py serves the /open-data/ page and downloads (the API is reporting/api_opendata.py).
"""
