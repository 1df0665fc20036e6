"""Forms of the innovation partnership's first stage. They validate input; services write."""

from django import forms
from django.utils.translation import gettext_lazy as _


class ParticipationRequestForm(forms.Form):
    motivation = forms.CharField(
        label=_("Experience and capacity"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Briefly: comparable work your company did, and the people and means it can put in."
        ),
        error_messages={"required": _("Describe your experience and capacity.")},
    )
    document = forms.FileField(
        label=_("Suitability document (PDF)"),
        help_text=_("References, CVs of key people, certificates: one PDF of at most 20 MB."),
        # The service checks the content (empty, size, really a PDF, viruses).
        allow_empty_file=True,
        widget=forms.FileInput(attrs={"accept": "application/pdf,.pdf"}),
        error_messages={"required": _("Add the suitability document.")},
    )


class ParticipationDecisionForm(forms.Form):
    decision = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("select", _("select: invite to tender")), ("reject", _("do not select"))],
        widget=forms.RadioSelect,
        coerce=lambda value: value == "select",
        error_messages={"required": _("Choose whether to select this company.")},
    )
    motivation = forms.CharField(
        label=_("Motivation"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("On suitability: experience and capacity. The company reads it."),
        error_messages={"required": _("Give the motivation of your decision.")},
    )
