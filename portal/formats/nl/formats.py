"""Dutch: "6 december 2026", "6 december 2026 14:30" (Django's own, stated here beside the
English so the two are seen to match)."""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y H:i"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
SHORT_DATE_FORMAT = "j-n-Y"
SHORT_DATETIME_FORMAT = "j-n-Y H:i"
