"""Filters of the portal's API lists."""

import django_filters
from django import forms
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from ..models import Organisation


class OrganisationFilter(django_filters.FilterSet):
    class Meta:
        model = Organisation
        fields = ["kind", "authority_tier"]


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(django_filters.NumberFilter):
    """An object's id as a filter: an integer (never "1.5" or "²"); an id of nothing that
    exists, or of nothing the person may see, gives an empty list, not an error."""

    field_class = forms.IntegerField
    BIGGEST_ID = 2**63 - 1  # beyond any database's integer key

    def filter(self, qs, value):
        if value is not None and not 0 < value <= self.BIGGEST_ID:
            return qs.none()
        return super().filter(qs, value)
