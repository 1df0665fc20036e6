"""Reads of co-financing: the application rounds open now."""

from django.utils import timezone

from ..models import FundingRound


def open_rounds():
    now = timezone.now()
    return FundingRound.objects.filter(opens_at__lte=now, closes_at__gt=now).select_related("fund")
