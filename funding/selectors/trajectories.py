"""The trajectories EZK co-finances, with their phase funnel."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from calls.models import Call, Mission
from portal.models import Organisation
from portal.money import ZERO
from proposals.models import Proposal

from ..models import Account, CallUse, CoFinancingApplication, Entry, Fund

# --- The trajectories EZK co-finances, with their phase funnel ---------------------------------

# A proposal that reached the committee: submitted, and whatever was decided after.
RESPONDED = (
    Proposal.Status.SUBMITTED,
    Proposal.Status.UNDER_ASSESSMENT,
    Proposal.Status.AWARDED,
    Proposal.Status.REJECTED,
)


def end_of(day: date) -> datetime:
    """The first moment after a day in the portal's time zone: 'until and including'."""
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


@dataclass
class Trajectory:
    """A call EZK co-finances: what EZK granted (in all and per fund), what it paid, and the
    funnel of its phases (responses to the first phase, awards in the first and later ones)."""

    call: Call
    ezk_amount: Decimal
    ezk_paid: Decimal
    granted_per_fund: dict[int, Decimal]
    paid_per_fund: dict[int, Decimal]
    responses: int
    feasibility: int
    prototype: int
    awarded_companies: list[str] = field(default_factory=list)
    # What the report adds: the trajectory as it stood at the end of its period.
    at_end: object = None

    @property
    def missions(self) -> list[Mission]:
        return list(self.call.missions.all())


def _ezk_paid_per_call(calls, until: date | None):
    """(call, fund, paid) rows: today's from the maintained totals, an earlier day's (for a
    report over a past period) from the entries up to that day."""
    if until is None:
        return (
            CallUse.objects.filter(call__in=calls, kind=Account.Kind.PAID, fund__kind=Fund.Kind.EZK)
            .order_by()
            .values("call", "fund")
            .annotate(total=Sum("amount"))
            .values_list("call", "fund", "total")
        )
    return (
        Entry.objects.filter(
            account__kind=Account.Kind.PAID,
            account__fund__kind=Fund.Kind.EZK,
            transaction__call__in=calls,
            transaction__created_at__lt=end_of(until),
        )
        .order_by()
        .values("transaction__call", "account__fund")
        .annotate(total=Sum("amount"))
        .values_list("transaction__call", "account__fund", "total")
    )


def _approved(until: date | None, authorities: Iterable[Organisation] | None = None):
    """The approved co-financing applications by the end of a day (today when not given)."""
    day = until or timezone.localdate()
    approved = CoFinancingApplication.objects.filter(
        status=CoFinancingApplication.Status.APPROVED, decided_at__lt=end_of(day)
    ).order_by()
    if authorities is not None:
        approved = approved.filter(call__authority__in=authorities)
    return approved


def supported_trajectory_calls(
    until: date | None = None,
    authorities: Iterable[Organisation] | None = None,
    fund: Fund | None = None,
) -> QuerySet[Call]:
    """The calls with approved EZK co-financing (by ``fund`` only, when given), oldest
    publication first: to paginate, then to give to ``trajectories_of``."""
    approved = _approved(until, authorities)
    if fund is not None:
        approved = approved.filter(round__fund=fund)
    return (
        Call.objects.filter(pk__in=approved.values("call"))
        .select_related("authority", "agent")
        .prefetch_related(Prefetch("missions", queryset=Mission.objects.order_by("order")))
        .order_by("publication_date", "pk")
    )


def trajectories_of(calls: Iterable[Call], until: date | None = None) -> list[Trajectory]:
    """These calls (a page, or all) as trajectories: granted amounts per fund, the funnel
    counts and what EZK paid by the end of the day. Three queries, besides the calls'."""
    calls = list(calls)
    ids = [call.pk for call in calls]
    if not ids:
        return []
    approved = _approved(until).filter(call_id__in=ids)
    granted: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for call_pk, fund_pk, total in (
        approved.values("call", "round__fund")
        .annotate(total=Sum("requested"))
        .values_list("call", "round__fund", "total")
    ):
        granted[call_pk][fund_pk] = total
    paid: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for call_pk, fund_pk, total in _ezk_paid_per_call(ids, until):
        paid[call_pk][fund_pk] = total
    funnel = {
        row["pk"]: row for row in _funnel(Call.objects.filter(pk__in=ids)).values("pk", *FUNNEL)
    }
    return [
        Trajectory(
            call=call,
            ezk_amount=sum(granted[call.pk].values(), ZERO),
            ezk_paid=sum(paid[call.pk].values(), ZERO),
            granted_per_fund=granted[call.pk],
            paid_per_fund=paid[call.pk],
            responses=funnel[call.pk]["responses"],
            feasibility=funnel[call.pk]["feasibility"],
            prototype=funnel[call.pk]["prototype"],
        )
        for call in calls
    ]


FUNNEL = ("responses", "feasibility", "prototype")


def _funnel(calls: QuerySet[Call]) -> QuerySet[Call]:
    responded = Q(proposals__status__in=RESPONDED)
    awarded = Q(proposals__status=Proposal.Status.AWARDED)
    return calls.order_by().annotate(
        responses=Count("proposals", filter=responded & Q(proposals__phase__order=1)),
        feasibility=Count("proposals", filter=awarded & Q(proposals__phase__order=1)),
        prototype=Count("proposals", filter=awarded & Q(proposals__phase__order__gte=2)),
    )


@dataclass
class FundTrajectories:
    """What a fund co-finances, in all: how many trajectories, granted, paid, the funnel."""

    count: int
    granted: Decimal
    paid: Decimal
    responses: int
    feasibility: int
    prototype: int


def fund_trajectory_totals(fund: Fund) -> FundTrajectories:
    """The totals of a fund's trajectories, in three aggregate queries however many."""
    approved = _approved(None).filter(round__fund=fund)
    money = approved.aggregate(count=Count("call", distinct=True), granted=Sum("requested"))
    paid = CallUse.objects.filter(
        call__in=approved.values("call"), kind=Account.Kind.PAID, fund=fund
    ).aggregate(total=Sum("amount"))["total"]
    responded = Q(status__in=RESPONDED)
    awarded = Q(status=Proposal.Status.AWARDED)
    counts = Proposal.objects.filter(call__in=approved.values("call")).aggregate(
        responses=Count("pk", filter=responded & Q(phase__order=1)),
        feasibility=Count("pk", filter=awarded & Q(phase__order=1)),
        prototype=Count("pk", filter=awarded & Q(phase__order__gte=2)),
    )
    return FundTrajectories(
        count=money["count"],
        granted=money["granted"] or ZERO,
        paid=paid or ZERO,
        **counts,
    )


def supported_trajectories(
    until: date | None = None, authorities: Iterable[Organisation] | None = None
) -> list[Trajectory]:
    """Calls with approved EZK co-financing by the end of a day (up to now when not given),
    of the given contracting authorities only when those are given.

    Five queries however many trajectories: the calls with their missions, the granted
    amounts per fund, the funnel counts and what EZK paid by then. A list shows a page of
    them: ``trajectories_of`` a page of ``supported_trajectory_calls``.
    """
    return trajectories_of(supported_trajectory_calls(until, authorities), until)


def add_awarded_companies(trajectories: list[Trajectory]) -> None:
    """For highlighted cases: which companies won the last phase that has awards."""
    by_call = {trajectory.call.pk: trajectory for trajectory in trajectories}
    rows = (
        Proposal.objects.filter(call__in=by_call, status=Proposal.Status.AWARDED)
        .order_by("call", "-phase__order", "company__name")
        .values_list("call", "phase__order", "company__name")
    )
    last_phase: dict[int, int] = {}
    for call_pk, order, company in rows:
        if last_phase.setdefault(call_pk, order) == order:
            by_call[call_pk].awarded_companies.append(company)
