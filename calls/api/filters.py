"""The filters of the public call list, shared by the page and the API."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from portal.api.filters import IdFilter
from portal.forms.base import FilterForm, SuggestedChoiceField
from portal.selectors.identity import authorities

from ..models import Call, ParticipationRequest
from ..selectors.calls import call_search, missions


class SuggestedFilter(django_filters.Filter):
    """One record among thousands, typed with the server's suggestions (no select)."""

    field_class = SuggestedChoiceField


PUBLIC_STATUSES = [
    (value, label) for value, label in Call.Status.choices if value != Call.Status.DRAFT
]


class CallFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    instrument = django_filters.ChoiceFilter(
        label=_("Instrument"), choices=Call.Instrument.choices, empty_label=_("All instruments")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=PUBLIC_STATUSES, empty_label=_("All statuses")
    )
    # A text field with the server's suggestions, not a select of every authority (thousands).
    authority = SuggestedFilter(
        label=_("Contracting authority"),
        queryset=authorities().order_by("name"),
        name_field="name",
        help_text=_("Part of the name; leave empty for all authorities."),
    )
    mission = django_filters.ModelChoiceFilter(
        label=_("Mission"),
        field_name="missions",
        queryset=missions(),
        to_field_name="code",
        empty_label=_("All missions"),
    )
    deadline_after = django_filters.DateFilter(
        label=_("Deadline from"),
        field_name="deadline",
        lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    deadline_before = django_filters.DateFilter(
        label=_("Deadline until"),
        field_name="deadline",
        lookup_expr="date__lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    sort = django_filters.OrderingFilter(
        label=_("Sort by"),
        fields=(("deadline", "deadline"), ("publication_date", "published"), ("title", "title")),
        field_labels={
            "deadline": _("deadline (soonest first)"),
            "-deadline": _("deadline (latest first)"),
            "-published": _("newest first"),
            "publication_date": _("oldest first"),
            "title": _("title (A–Z)"),
            "-title": _("title (Z–A)"),
        },
        empty_label=_("Relevance / deadline"),
    )

    class Meta:
        model = Call
        form = FilterForm
        fields = ["q", "instrument", "status", "authority", "mission"]

    def search(self, queryset, name, value):
        return call_search(queryset, value)


class ManagedCallFilter(CallFilter):
    """The public filters, plus the draft status an officer's own list also holds."""

    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Call.Status.choices, empty_label=_("All statuses")
    )


class ApiCallFilter(CallFilter):
    """The API's filters: an authority by id and a mission by code that match nothing give an
    empty list (the page's filters offer only the choices that exist)."""

    authority = IdFilter(label=_("Contracting authority (id)"), field_name="authority_id")
    mission = django_filters.CharFilter(
        label=_("Mission (code)"), field_name="missions__code", distinct=True
    )


class ApiManagedCallFilter(ApiCallFilter):
    status = ManagedCallFilter.declared_filters["status"]


class ParticipationRequestFilter(django_filters.FilterSet):
    call = IdFilter(label=_("Only this call's requests."), field_name="call_id")

    class Meta:
        model = ParticipationRequest
        fields = ["call"]
