"""English as the portal writes it: "6 December 2026", "6 December 2026 14:30" (day, month,
year as in the Dutch, not Django's American "Dec. 6, 2026, 2:30 p.m."). The input formats
stay Django's: date inputs take ISO dates."""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y H:i"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
