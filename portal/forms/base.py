"""What every app's forms build on: the form renderer (NL Design System markup) and the
base of list filters.
"""

import re

from django import forms
from django.forms.renderers import TemplatesSetting


class PortalFormRenderer(TemplatesSetting):
    """Renders every form with the NL Design System markup in templates/forms/."""

    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"


class FilterForm(forms.Form):
    """A form that narrows a list. Every field of it is optional, so no field is marked
    "(optional)": the marker would be noise on each one."""

    marks_optional_fields = False


ID_PATTERN = re.compile(r"[0-9]{1,18}")


def parse_id(value) -> int | None:
    """A database id from a request parameter, or None for anything else.

    Only ASCII digits: ``str.isdigit()`` also says yes to "²" and "٣", which ``int()`` then
    refuses (or reads as another number).
    """
    if isinstance(value, str) and ID_PATTERN.fullmatch(value):
        return int(value)
    return None
