"""Reads of co-financing: the application rounds open now, and the applications each person
may see."""

from django.db.models import QuerySet
from django.utils import timezone

from ..models import CoFinancingApplication, FundingRound


def open_rounds() -> QuerySet[FundingRound]:
    now = timezone.now()
    return FundingRound.objects.filter(opens_at__lte=now, closes_at__gt=now).select_related("fund")


def funding_rounds() -> QuerySet[FundingRound]:
    return FundingRound.objects.all()


def recent_applications(*, limit: int) -> QuerySet[CoFinancingApplication]:
    """The newest applications, with their call, authority and round."""
    return CoFinancingApplication.objects.select_related("call", "authority", "round").order_by(
        "-submitted_at", "-pk"
    )[:limit]


def applications_to_review() -> QuerySet[CoFinancingApplication]:
    """Applications of rounds that have opened, with what the ministry's review shows."""
    return CoFinancingApplication.objects.filter(
        round__opens_at__lte=timezone.now()
    ).select_related("round", "round__fund", "call", "authority", "submitted_by", "decided_by")


def applications_with_call() -> QuerySet[CoFinancingApplication]:
    return CoFinancingApplication.objects.select_related("call")


def applications_of_authorities(authorities) -> QuerySet[CoFinancingApplication]:
    """These authorities' applications, newest first."""
    return (
        CoFinancingApplication.objects.filter(authority__in=authorities)
        .select_related("round", "call", "call__authority", "authority")
        .order_by("-submitted_at", "-pk")
    )


def applications_with_round() -> QuerySet[CoFinancingApplication]:
    """Every application, oldest first, with its round, call and authority."""
    return CoFinancingApplication.objects.select_related("round", "call", "authority").order_by(
        "submitted_at", "pk"
    )
