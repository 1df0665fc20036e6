"""Filters of the portal's API lists."""

import django_filters

from ..models import Organisation


class OrganisationFilter(django_filters.FilterSet):
    class Meta:
        model = Organisation
        fields = ["kind", "authority_tier"]
