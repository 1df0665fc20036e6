"""Reads of co-financing: rounds (open now, all of them), what waits for ministry staff, and
the applications each person may see."""

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from ..models import CoFinancingApplication, FundingRound


def open_rounds() -> QuerySet[FundingRound]:
    now = timezone.now()
    return FundingRound.objects.filter(
        status=FundingRound.Status.OPEN, opens_at__lte=now, closes_at__gt=now
    ).select_related("fund")


def funding_rounds() -> QuerySet[FundingRound]:
    return FundingRound.objects.all()


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
    # The stubs do not know rounds_with_counts' annotation.
    pending = rounds_with_counts().filter(pending_count__gt=0)  # type: ignore[misc]
    return pending.order_by("closes_at", "pk")


def recent_applications(*, limit: int) -> QuerySet[CoFinancingApplication]:
    """The newest applications, with their call, authority and round."""
    return CoFinancingApplication.objects.select_related("call", "authority", "round").order_by(
        "-submitted_at", "-pk"
    )[:limit]


def applications_for_review() -> QuerySet[CoFinancingApplication]:
    """Applications of rounds that have opened, with what the ministry's review shows."""
    return CoFinancingApplication.objects.filter(
        round__opens_at__lte=timezone.now()
    ).select_related("round", "round__fund", "call", "authority", "submitted_by", "decided_by")


def application_by_pk(pk: int) -> CoFinancingApplication | None:
    return CoFinancingApplication.objects.select_related("call", "round").filter(pk=pk).first()


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
