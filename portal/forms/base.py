"""What every app's forms build on: the form renderer (NL Design System markup) and the
base of list filters.
"""

import re

from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils.html import format_html, format_html_join


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


class SuggestingTextInput(forms.TextInput):
    """A text field with suggestions the server chose (``suggestions``: value and label
    pairs), as an HTML datalist: the browser offers them while typing, without JavaScript.
    For filters that choose among thousands (authorities, calls) instead of a select."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.suggestions: list[tuple[str, str]] = []

    def render(self, name, value, attrs=None, renderer=None):
        list_id = f"{(attrs or {}).get('id') or name}-suggestions"
        html = super().render(name, value, {**(attrs or {}), "list": list_id}, renderer)
        options = format_html_join(
            "", '<option value="{}">{}</option>', ((v, label) for v, label in self.suggestions)
        )
        return html + format_html('<datalist id="{}">{}</datalist>', list_id, options)
