"""Filters of the portal's API lists."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from ..models import Organisation


class OrganisationFilter(django_filters.FilterSet):
    class Meta:
        model = Organisation
        fields = ["kind", "authority_tier"]


class AsciiIdField(forms.IntegerField):
    """An id of ASCII digits only: ``int()`` would read "１" (full width) or "١" (Arabic-Indic)
    as 1, which the API documents as refused."""

    default_error_messages = {
        "ascii": _("Give the id in the digits 0–9 only, e.g. ?call=12."),
    }

    def to_python(self, value):
        if value not in self.empty_values and not str(value).isascii():
            raise forms.ValidationError(self.error_messages["ascii"], code="ascii")
        return super().to_python(value)


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(django_filters.NumberFilter):
    """An object's id as a filter: an integer of ASCII digits (never "1.5", "²" or "１", which
    are a 400 with a message); an id of nothing that exists, or of nothing the person may see,
    gives an empty list, not an error."""

    field_class = AsciiIdField
    BIGGEST_ID = 2**63 - 1  # beyond any database's integer key

    def filter(self, qs, value):
        if value is not None and not 0 < value <= self.BIGGEST_ID:
            return qs.none()
        return super().filter(qs, value)


class FilterBackend(DjangoFilterBackend):
    """django-filter's backend, which does nothing at all for a request without filters.

    A list asked for without any of its filter parameters (the common case) skips building
    the filter set and its form: the result is the same, at none of the cost.
    """

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is None:
            return queryset
        names = filterset_class.base_filters.keys()
        if not any(
            param == name or param.startswith(f"{name}_")
            for param in request.query_params
            for name in names
        ):
            return queryset
        return super().filter_queryset(request, queryset, view)
