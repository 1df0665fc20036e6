"""Forms of the funding pages: they read and type what was posted; the rules are services'."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from calls.models import Call
from portal.forms.base import FilterForm, SuggestingTextInput

from ..models import Fund, Transaction

SUGGESTIONS = 20
REFERENCE = re.compile(r"IL-\d{4}-(\d+)")


class TransactionFilter(FilterForm):
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("All")), *list(Transaction.Kind.choices)],
    )
    call = forms.CharField(
        label=_("Trajectory"),
        required=False,
        max_length=200,
        help_text=_("Part of the call's title, or its reference (IL-2026-00042)."),
        widget=SuggestingTextInput(),
    )

    def __init__(self, *args, fund: Fund, **kwargs):
        super().__init__(*args, **kwargs)
        # The trajectories this fund has booked money for: the drill-down from the dashboard.
        self.calls = Call.objects.filter(
            pk__in=Transaction.objects.filter(fund=fund).values("call")
        ).order_by("title")
        # A text field with the server's suggestions (a datalist: no JavaScript needed), not
        # a list of every call: a fund pays for thousands.
        text = str(self.data.get("call", "")).strip() if self.is_bound else ""
        suggested = (self._matching(text) if text else self.calls)[:SUGGESTIONS]
        self.fields["call"].widget.suggestions = [
            (call.reference, call.title) for call in suggested.only("pk", "title", "created_at")
        ]

    def _matching(self, text: str):
        """The fund's calls the text names: by id (the dashboard's links), by reference, or
        by a part of the title."""
        if text.isdigit():
            return self.calls.filter(pk=int(text))
        reference = REFERENCE.fullmatch(text.upper())
        if reference:
            return self.calls.filter(pk=int(reference.group(1)))
        return self.calls.filter(title__icontains=text)

    def clean_call(self):
        text = self.cleaned_data["call"].strip()
        if not text:
            return None
        calls = self._matching(text)
        if not calls.exists():
            raise forms.ValidationError(_("No trajectory of this fund matches."))
        return calls


class TrajectoryFilter(FilterForm):
    """The dashboard's trajectories: narrowed by a text and sorted, on the server."""

    q = forms.CharField(
        label=_("Search trajectories"),
        required=False,
        max_length=200,
        help_text=_("Part of the title or the authority's name, or the reference."),
    )
    order = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("publication", _("Publication, oldest first")),
            ("-publication", _("Publication, newest first")),
            ("title", _("Title")),
            ("-granted", _("Granted by the fund, most first")),
        ],
    )

    def choice(self) -> tuple[str, str]:
        """The search text and the order chosen (the defaults for anything invalid)."""
        if not self.is_valid():
            return "", "publication"
        return self.cleaned_data["q"].strip(), self.cleaned_data["order"] or "publication"
