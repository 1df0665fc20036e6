"""What every app's forms build on: the form renderer (NL Design System markup) and the
base of list filters.
"""

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
