from django import template
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

register = template.Library()


@register.filter
def time_left(deadline) -> str:
    """How long until a deadline, in words: "12 days and 3 hours left"."""
    if not deadline:
        return ""
    remaining = deadline - timezone.now()
    if remaining.total_seconds() <= 0:
        return _("deadline passed")
    days, seconds = remaining.days, remaining.seconds
    hours, minutes = seconds // 3600, (seconds % 3600) // 60
    if days >= 1:
        return ngettext(
            "%(days)d day and %(hours)d hours left", "%(days)d days and %(hours)d hours left", days
        ) % {
            "days": days,
            "hours": hours,
        }
    if hours >= 1:
        return ngettext("%(hours)d hour left", "%(hours)d hours left", hours) % {"hours": hours}
    return ngettext("%(minutes)d minute left", "%(minutes)d minutes left", max(minutes, 1)) % {
        "minutes": max(minutes, 1)
    }
