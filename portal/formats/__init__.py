"""The portal's date and time formats per language (``FORMAT_MODULE_PATH``).

One place decides how a date reads to a person: Dutch "6 december 2026", English
"6 December 2026", times on the 24-hour clock in both. Templates use ``|date`` (or
``|date:"DATE_FORMAT"``, ``|moment`` for a moment with its time zone) and Python uses
``django.utils.formats.date_format`` without a format of its own. Machine formats stay ISO
8601: ``datetime`` attributes, feeds, JSON, iCalendar and the values of date inputs.
"""
