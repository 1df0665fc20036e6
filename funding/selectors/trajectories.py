"""The trajectories EZK co-finances, with their phase funnel."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import (
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    prefetch_related_objects,
)
from django.utils import timezone

from calls.models import Call, Mission
from calls.models.call import REFERENCE
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


def trajectory_totals_per_fund(funds: Iterable[Fund]) -> dict[int, FundTrajectories]:
    """The totals of each fund's trajectories (keyed by the fund's id; a fund without any is
    left out): three grouped queries, however many funds and trajectories."""
    ids = [fund.pk for fund in funds]
    approved = _approved(None).filter(round__fund__in=ids)
    money = {
        row["round__fund"]: row
        for row in approved.values("round__fund").annotate(
            count=Count("call", distinct=True), granted=Sum("requested")
        )
    }
    if not money:
        return {}
    co_financed = _approved(None).filter(call=OuterRef("call"), round__fund=OuterRef("fund"))
    paid = dict(
        CallUse.objects.filter(fund__in=money, kind=Account.Kind.PAID)
        .filter(Exists(co_financed))
        .order_by()
        .values("fund")
        .annotate(total=Sum("amount"))
        .values_list("fund", "total")
    )
    # A proposal counts once per fund, however many of its call's applications that fund
    # approved (hence DISTINCT): the join goes through the approved applications.
    fund_of = "call__cofinancing__round__fund"
    on_approved = {
        "call__cofinancing__status": CoFinancingApplication.Status.APPROVED,
        "call__cofinancing__decided_at__lt": end_of(timezone.localdate()),
        f"{fund_of}__in": list(money),
    }
    responded = Q(status__in=RESPONDED)
    awarded = Q(status=Proposal.Status.AWARDED)
    funnels = {
        row[fund_of]: row
        for row in Proposal.objects.filter(**on_approved)
        .order_by()
        .values(fund_of)
        .annotate(
            responses=Count("pk", filter=responded & Q(phase__order=1), distinct=True),
            feasibility=Count("pk", filter=awarded & Q(phase__order=1), distinct=True),
            prototype=Count("pk", filter=awarded & Q(phase__order__gte=2), distinct=True),
        )
    }
    empty = {"responses": 0, "feasibility": 0, "prototype": 0}
    return {
        fund_pk: FundTrajectories(
            count=row["count"],
            granted=row["granted"] or ZERO,
            paid=paid.get(fund_pk) or ZERO,
            **{key: funnels.get(fund_pk, empty)[key] for key in FUNNEL},
        )
        for fund_pk, row in money.items()
    }


def trajectory_page_of_fund(
    fund: Fund, *, search: str = "", order: str = "publication"
) -> QuerySet[Call]:
    """The calls a fund co-finances, for a page of the dashboard: only the columns the list
    shows, narrowed to those whose title, reference or authority holds ``search``, in an
    ``order``: "publication" (oldest first), "-publication", "title" or "-granted" (most first).
    Missions are not prefetched: ``prefetch_missions`` does that once for every fund's page."""
    approved = _approved(None).filter(round__fund=fund)
    # A join, not ``pk__in``: the planner then starts from the fund's applications instead of
    # walking every call in the order asked for (slow for a fund with few trajectories).
    calls = (
        Call.objects.filter(
            cofinancing__status=CoFinancingApplication.Status.APPROVED,
            cofinancing__decided_at__lt=end_of(timezone.localdate()),
            cofinancing__round__fund=fund,
        )
        .distinct()
        .select_related("authority", "agent")
        .only(*TRAJECTORY_COLUMNS)
    )
    if search:
        calls = calls.filter(call_search(search))
    if order == "-granted":
        granted = (
            approved.filter(call=OuterRef("pk"))
            .values("call")
            .annotate(total=Sum("requested"))
            .values("total")
        )
        return calls.annotate(granted_here=Subquery(granted)).order_by(
            F("granted_here").desc(nulls_last=True), "pk"
        )
    if order == "title":
        return calls.order_by("title", "pk")
    if order == "-publication":
        return calls.order_by(F("publication_date").desc(nulls_last=True), "-pk")
    return calls.order_by("publication_date", "pk")


# What a trajectory's row shows of its call (and its authority and agent, for the name).
TRAJECTORY_COLUMNS = (
    "pk", "title", "title_en", "created_at", "instrument", "status", "publication_date",
    "authority__name", "agent__name", "authority_id", "agent_id",
)  # fmt: skip


def call_search(text: str) -> Q:
    """Calls whose title, reference (IL-2026-00042), id or authority's name holds the text."""
    found = REFERENCE.match(text.strip().upper())
    if found:
        return Q(pk=int(found.group(1)))
    if text.strip().isdigit() and text.strip().isascii():
        return Q(pk=int(text.strip()))
    return (
        Q(title__icontains=text)
        | Q(title_en__icontains=text)
        | Q(authority__name__icontains=text)
        | Q(agent__name__icontains=text)
    )


def prefetch_missions(calls: list[Call]) -> None:
    """The missions of these calls in one query, in their order."""
    prefetch_related_objects(
        calls, Prefetch("missions", queryset=Mission.objects.order_by("order"))
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
