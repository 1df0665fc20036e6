"""Authority targets with their progress, each from aggregate queries."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, TypedDict

from django.db.models import Count, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.db.models.query import QuerySet

from calls.models import Call
from portal.models import Role
from portal.money import ZERO, MoneyField
from portal.selectors.identity import organisations_of
from proposals.models import Contract

from ..models import AuthorityTarget
from .budget import TRAJECTORY_INSTRUMENTS


class Progress(TypedDict):
    trajectories: int
    contracted: Decimal


if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    TargetWithProgress = WithAnnotations[AuthorityTarget, Progress]


def targets_with_progress(
    targets: QuerySet[AuthorityTarget],
) -> QuerySet[TargetWithProgress]:
    """Each target with what the authority achieved in its year, as annotations."""
    trajectories = (
        Call.objects.filter(
            authority=OuterRef("authority"),
            publication_date__year=OuterRef("year"),
            instrument__in=TRAJECTORY_INSTRUMENTS,
        )
        .exclude(status=Call.Status.DRAFT)
        .order_by()
        .values("authority")
        .annotate(n=Count("pk"))
        .values("n")
    )
    contracted = (
        Contract.objects.filter(
            proposal__call__authority=OuterRef("authority"),
            start_date__year=OuterRef("year"),
        )
        .order_by()
        .values("proposal__call__authority")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return targets.select_related("authority").annotate(
        trajectories=Coalesce(Subquery(trajectories), Value(0)),
        contracted=Coalesce(Subquery(contracted), Value(ZERO), output_field=MoneyField()),
    )


def progress_of(target: TargetWithProgress) -> dict:
    """What counts for the target's measure, and how much of the target that is (in %)."""
    if target.measure == AuthorityTarget.Measure.TRAJECTORIES:
        achieved = Decimal(target.trajectories)
    elif target.measure == AuthorityTarget.Measure.AMOUNT:
        achieved = Decimal(target.contracted)
    elif target.procurement_budget:
        achieved = (Decimal(target.contracted) / target.procurement_budget * 100).quantize(
            Decimal("0.1")
        )
    else:
        achieved = None
    percent = None
    if achieved is not None and target.target > 0:
        percent = min(int(achieved / target.target * 100), 999)
    return {"target": target, "achieved": achieved, "percent": percent}


def targets_visible_to(user, *, everything: bool) -> QuerySet[AuthorityTarget]:
    """Every target (``everything``: ministry staff), else those of the authorities in which
    the person is a procurement officer: an authority sees only its own money."""
    if everything:
        return AuthorityTarget.objects.all()
    return AuthorityTarget.objects.filter(
        authority__in=organisations_of(user, role=Role.PROCUREMENT_OFFICER)
    )
