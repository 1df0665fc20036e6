"""Reads of follow-up purchases."""

from datetime import date

from django.db.models import QuerySet

from calls.models import Call
from portal.models import Organisation
from proposals.models import Proposal

from ..models import FollowUpPurchase


def purchases_of_call(call: Call) -> QuerySet[FollowUpPurchase]:
    return FollowUpPurchase.objects.filter(call=call).select_related("supplier", "recorded_by")


def no_purchases() -> QuerySet[FollowUpPurchase]:
    return FollowUpPurchase.objects.none()


def purchases_in(start: date, end: date) -> QuerySet[FollowUpPurchase]:
    return (
        FollowUpPurchase.objects.filter(purchased_on__gte=start, purchased_on__lte=end)
        .select_related("call", "call__authority", "call__agent", "supplier")
        .order_by("purchased_on", "pk")
    )


def developers_of(call: Call) -> QuerySet[Organisation]:
    """The companies that won a phase of the call: who can sell the solution."""
    return Organisation.objects.filter(
        pk__in=Proposal.objects.filter(call=call, status=Proposal.Status.AWARDED).values("company")
    ).order_by("name")
