from decimal import Decimal

from django import template
from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.html import conditional_escape, format_html
from django.utils.translation import get_language

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
def decimal(value, places=2) -> str:
    """A number in the notation of the active language (7,00 in Dutch); anything that is not
    a number (a dash) as it is."""
    try:
        number = Decimal(str(value))
    except (ArithmeticError, ValueError, TypeError):
        return value
    if not number.is_finite():
        return value
    return number_format(number, decimal_pos=int(places), force_grouping=True)


@register.filter
def percent(share) -> str:
    """A share (0.5) as a percentage in the notation of the active language: 50% or 33,3%."""
    if share is None or share == "":
        return "–"
    value = (Decimal(share) * 100).normalize()
    exponent = value.as_tuple().exponent
    places = max(0, -exponent) if isinstance(exponent, int) else 0
    return f"{number_format(value, decimal_pos=places)}%"


@register.filter
def fingerprint_lines(value) -> list[str]:
    """A SHA-256 fingerprint (64 hexadecimal characters) as printed on a receipt: two lines of
    four groups of eight, so it never breaks at a chance place and can be compared group by
    group. Anything else as it is, on one line."""
    text = str(value or "")
    if len(text) != 64:
        return [text]
    groups = [text[start : start + 8] for start in range(0, 64, 8)]
    return [" ".join(groups[:4]), " ".join(groups[4:])]


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


# --- The language of what people typed (WCAG 3.1.2, language of parts) ------------------------
# Calls, proposals, questions and decisions are written in the portal's default language
# (Dutch). On a page in another language such text is marked with its own language, so that a
# screen reader pronounces it right. Where an English version exists and is shown, no mark.


def _typed_in_another_language(translation) -> bool:
    page = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return page != settings.LANGUAGE_CODE and not translation


def _mark(value, element: str, translation) -> str:
    if value in (None, ""):
        return value
    text = conditional_escape(value)
    if not _typed_in_another_language(translation):
        return text
    return format_html('<{0} lang="{1}">{2}</{0}>', element, settings.LANGUAGE_CODE, text)


@register.filter
def typed(value, translation=""):
    """`{{ proposal.title|typed }}`: inline text people typed, in a span with its language when
    the page is in another one. `{{ phase.display_name|typed:phase.name_en }}`: only when no
    translation was given, i.e. the original is shown."""
    return _mark(value, "span", translation)


@register.filter
def typed_block(value, translation=""):
    """As `typed`, for block content such as `{{ question.answer|linebreaks|typed_block }}`."""
    return _mark(value, "div", translation)


@register.simple_tag
def typed_lang(translation="") -> str:
    """` lang="nl"` for an element that holds only typed text: `<h1{% typed_lang %}>`."""
    if not _typed_in_another_language(translation):
        return ""
    return format_html(' lang="{}"', settings.LANGUAGE_CODE)
