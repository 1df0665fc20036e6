"""Reads of co-financing: rounds (open now, all of them) and what waits for ministry staff."""

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from ..models import CoFinancingApplication, FundingRound


def open_rounds() -> QuerySet[FundingRound]:
    now = timezone.now()
    return FundingRound.objects.filter(
        status=FundingRound.Status.OPEN, opens_at__lte=now, closes_at__gt=now
    ).select_related("fund")


def rounds_with_counts() -> QuerySet[FundingRound]:
    """Every round, newest first, with its number of applications and of pending ones."""
    return (
        FundingRound.objects.select_related("fund")
        .annotate(
            applications_count=Count("applications"),
            pending_count=Count(
                "applications",
                filter=Q(applications__status=CoFinancingApplication.Status.SUBMITTED),
            ),
        )
        .order_by("-opens_at", "-pk")
    )


def round_by_pk(pk: int) -> FundingRound | None:
    return FundingRound.objects.select_related("fund").filter(pk=pk).first()


def pending_per_round() -> QuerySet[FundingRound]:
    """Rounds with applications waiting for a decision: ministry staff's tasks."""
    return rounds_with_counts().filter(pending_count__gt=0).order_by("closes_at", "pk")


def applications_for_review() -> QuerySet[CoFinancingApplication]:
    return CoFinancingApplication.objects.filter(
        round__opens_at__lte=timezone.now()
    ).select_related("round", "round__fund", "call", "authority", "submitted_by", "decided_by")


def application_by_pk(pk: int) -> CoFinancingApplication | None:
    return CoFinancingApplication.objects.select_related("call", "round").filter(pk=pk).first()
