from decimal import Decimal

from django import template
from django.utils import timezone
from django.utils.formats import date_format, number_format

register = template.Library()


@register.filter
def euro(amount) -> str:
    """Money in the notation of the active language: € 1.500.000,00 in Dutch."""
    if amount is None or amount == "":
        return "–"
    value = number_format(Decimal(amount), decimal_pos=2, force_grouping=True)
    return f"€\u00a0{value}"


@register.filter
def moment(value) -> str:
    """A date and time in Europe/Amsterdam, always with its zone: 1 juni 2026 17:00 CEST."""
    if not value:
        return "–"
    local = timezone.localtime(value)
    return f"{date_format(local, 'DATETIME_FORMAT')} {local.tzname()}"
