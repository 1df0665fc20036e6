from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from calls.models import Call
from calls.models.call import REFERENCE
from funding.models import CoFinancingApplication
from portal.forms.base import SuggestedMultipleChoiceField, SuggestingTextInputs

from ..models import ParliamentReport
from ..services.reports import MAX_HIGHLIGHTS, previous_quarter


class ReportRequestForm(forms.Form):
    period_start = forms.DateField(
        label=_("Period from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    period_end = forms.DateField(
        label=_("Period until"), widget=forms.DateInput(attrs={"type": "date"})
    )
    language = forms.ChoiceField(
        label=_("Language"),
        choices=ParliamentReport.Language.choices,
        initial=ParliamentReport.Language.DUTCH,
    )
    # A few text fields with the server's suggestions, not a checkbox per trajectory: EZK
    # co-finances thousands.
    highlighted = SuggestedMultipleChoiceField(
        label=_("Highlighted trajectories"),
        name_field="title",
        reference=REFERENCE,
        value_of=lambda call: call.reference,
        label_of=lambda call: f"{call.title} ({call.authority.name})",
        required=False,
        widget=SuggestingTextInputs(count=MAX_HIGHLIGHTS),
    )
    signatory_name = forms.CharField(label=_("Signed by (name)"), max_length=200, required=False)
    signatory_title = forms.CharField(
        label=_("Signed by (title)"),
        max_length=200,
        required=False,
        help_text=_("E.g. De Staatssecretaris van Economische Zaken en Klimaat."),
    )
    reference = forms.CharField(
        label=_("Reference number"),
        max_length=100,
        required=False,
        help_text=_("The ministry's reference (kenmerk) printed on the cover letter."),
    )
    regenerate = forms.BooleanField(
        label=_("Make a new version from today's figures, even if this report exists"),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Formatted here, not in the class body: a lazy string formatted at import is fixed in
        # the language active then, whatever the visitor's language.
        self.fields["highlighted"].help_text = _(
            "At most %(n)d, each by its reference (IL-2026-00042) or part of its title. Without "
            "a choice the report highlights the trajectories that went furthest."
        ) % {"n": MAX_HIGHLIGHTS}
        start, end = previous_quarter(timezone.localdate())
        self.fields["period_start"].initial = start
        self.fields["period_end"].initial = end
        approved = CoFinancingApplication.objects.filter(
            status=CoFinancingApplication.Status.APPROVED
        ).values("call")
        self.fields["highlighted"].queryset = (
            Call.objects.filter(pk__in=approved).select_related("authority").order_by("title")
        )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period must end on or after its start."))
        if end and end > timezone.localdate():
            self.add_error("period_end", _("The period cannot end in the future."))
        if start and start < date(2000, 1, 1):
            self.add_error("period_start", _("Give a date from 2000 onwards."))
        if len(cleaned.get("highlighted") or []) > MAX_HIGHLIGHTS:
            self.add_error(
                "highlighted",
                ngettext(
                    "Highlight at most %(n)d trajectory.",
                    "Highlight at most %(n)d trajectories.",
                    MAX_HIGHLIGHTS,
                )
                % {"n": MAX_HIGHLIGHTS},
            )
        return cleaned
