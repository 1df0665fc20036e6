from decimal import Decimal

from django import template
from django.utils import timezone
from django.utils.formats import date_format, number_format

from portal.permissions import can as can_by_rules

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


@register.simple_tag
def can(permission: str, user, obj=None) -> bool:
    """`{% can "calls.manage_call" user call as allowed %}`: the rules alone decide, as in the
    views and services, so a superuser is not shown a link that its view would refuse."""
    return can_by_rules(user, permission, obj)
