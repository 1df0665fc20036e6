"""The report's figures for its period, from dated facts only.

Contracts count by their start date, payments and commitments by their booking date, proposals
by the moment they were submitted, follow-up purchases by their date; a call's status is the
one it had at the end of the period (from the audit trail, or else from its dates). So a report
over a past period says the same whenever it is made.
"""

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from calls.models import Call, Mission, Phase
from funding.models import Account, Entry, Fund, Transaction
from funding.selectors.trajectories import end_of
from portal.money import ZERO
from proposals.models import Contract, Proposal

# The phases by what they are, in the order the report names them. Never added together.
PHASE_KINDS = [
    (Phase.Kind.FEASIBILITY, _("SBIR feasibility studies")),
    (Phase.Kind.PROTOTYPE, _("SBIR prototypes")),
    (Phase.Kind.RD, _("innovation partnership R&D phases")),
    (Phase.Kind.PURCHASE, _("innovation partnership purchases")),
    (Phase.Kind.SINGLE_ROUND, _("prizes")),
]


def start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


@dataclass(frozen=True)
class PhaseCount:
    kind: str
    label: str
    in_period: int
    by_end: int
    amount_in_period: Decimal


def contracts_per_phase_kind(calls, start: date, end: date) -> list[PhaseCount]:
    """Contracts of these calls per kind of phase: started in the period, and by its end."""
    rows: dict[str, dict[str, Any]] = {
        row["proposal__phase__kind"]: dict(row)
        for row in Contract.objects.filter(proposal__call__in=calls, start_date__lte=end)
        .order_by()
        .values("proposal__phase__kind")
        .annotate(
            by_end=Count("pk"),
            in_period=Count("pk", filter=Q(start_date__gte=start)),
            amount=Sum("amount", filter=Q(start_date__gte=start)),
        )
    }
    return [
        PhaseCount(
            kind=kind,
            label=str(label),
            in_period=rows.get(kind, {}).get("in_period", 0),
            by_end=rows.get(kind, {}).get("by_end", 0),
            amount_in_period=rows.get(kind, {}).get("amount") or ZERO,
        )
        for kind, label in PHASE_KINDS
    ]


@dataclass
class TrajectoryAtEnd:
    """What a trajectory had reached by the end of the period."""

    responses: int = 0
    contracts: dict[str, int] = field(default_factory=dict)
    status: str = ""

    def phases(self) -> list[tuple[str, int]]:
        return [
            (str(label), self.contracts[kind])
            for kind, label in PHASE_KINDS
            if kind in self.contracts
        ]


def trajectories_at_end(calls: list[Call], end: date) -> dict[int, TrajectoryAtEnd]:
    """Per call: proposals submitted to its first phase by the end, contracts per kind of
    phase started by the end, and its status at the end. Three queries."""
    result = {call.pk: TrajectoryAtEnd() for call in calls}
    until = end_of(end)
    for row in (
        Proposal.objects.filter(
            call__in=calls, phase__order=1, submitted_at__isnull=False, submitted_at__lt=until
        )
        .order_by()
        .values("call")
        .annotate(n=Count("pk"))
    ):
        result[row["call"]].responses = row["n"]
    for call_pk, kind, count in (
        Contract.objects.filter(proposal__call__in=calls, start_date__lte=end)
        .order_by()
        .values("proposal__call", "proposal__phase__kind")
        .annotate(n=Count("pk"))
        .values_list("proposal__call", "proposal__phase__kind", "n")
    ):
        result[call_pk].contracts[kind] = count
    for pk, status in statuses_at(calls, end).items():
        result[pk] = replace(result[pk], status=status)  # a label for the report, not a move
    return result


def statuses_at(calls: list[Call], end: date) -> dict[int, str]:
    """The status each call had at the end of a day, as its label. The audit trail's last
    recorded status change before the end decides; a call without one there is judged by its
    dates (published, deadline, contracts)."""
    until = end_of(end)
    recorded: dict[int, str] = {}
    entries = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Call),
        object_pk__in=[str(call.pk) for call in calls],
        timestamp__lt=until,
    ).order_by("timestamp", "pk")
    for entry in entries.only("object_pk", "changes"):
        changes = entry.changes if isinstance(entry.changes, dict) else entry.changes_dict
        if changes and "status" in changes:
            recorded[int(entry.object_pk)] = changes["status"][-1]
    contracted = set(
        Contract.objects.filter(proposal__call__in=calls, start_date__lte=end).values_list(
            "proposal__call", flat=True
        )
    )
    labels = dict(Call.Status.choices)
    result = {}
    for call in calls:
        status = recorded.get(call.pk) or _derived_status(call, until, call.pk in contracted)
        result[call.pk] = str(labels.get(status, status))
    return result


def _derived_status(call: Call, until: datetime, contracted: bool) -> str:
    if call.publication_date is None or call.publication_date >= until:
        return Call.Status.DRAFT
    if call.deadline >= until:
        return Call.Status.PUBLISHED
    if contracted:
        return Call.Status.AWARDED
    return Call.Status.CLOSED


@dataclass(frozen=True)
class MoneyInPeriod:
    committed: Decimal  # new commitments booked in the period
    released: Decimal  # commitments returned in the period
    paid: Decimal  # cash paid in the period


def money_in_period(funds: list[Fund], start: date, end: date) -> MoneyInPeriod:
    """Booked in the period, by the transactions' booking moments: one grouped query."""
    rows = (
        Entry.objects.filter(
            account__fund__in=funds,
            transaction__created_at__gte=start_of(start),
            transaction__created_at__lt=end_of(end),
        )
        .order_by()
        .values("account__kind", "transaction__kind")
        .annotate(total=Sum("amount"))
    )
    committed = released = paid = ZERO
    for row in rows:
        if row["account__kind"] == Account.Kind.PAID:
            paid += row["total"]
        elif row["account__kind"] == Account.Kind.COMMITTED:
            if row["transaction__kind"] == Transaction.Kind.COMMITMENT:
                committed += row["total"]
            elif row["transaction__kind"] == Transaction.Kind.RELEASE:
                released -= row["total"]
    return MoneyInPeriod(committed=committed, released=released, paid=paid)


@dataclass(frozen=True)
class CompanyShare:
    total: int
    sme: int
    startup: int

    def percent(self, part: int) -> int | None:
        return round(part * 100 / self.total) if self.total else None

    @property
    def sme_percent(self) -> int | None:
        return self.percent(self.sme)

    @property
    def startup_percent(self) -> int | None:
        return self.percent(self.startup)


def _share(companies) -> CompanyShare:
    row = companies.aggregate(
        total=Count("pk", distinct=True),
        sme=Count("pk", filter=Q(is_sme=True), distinct=True),
        startup=Count("pk", filter=Q(is_startup=True), distinct=True),
    )
    return CompanyShare(total=row["total"], sme=row["sme"], startup=row["startup"])


def company_shares(calls, start: date, end: date) -> tuple[CompanyShare, CompanyShare]:
    """Among the companies that applied in the period (a proposal submitted then) and those
    that won (a contract starting then): how many are SMEs and how many start-ups."""
    from portal.models import Organisation

    applicants = Organisation.objects.filter(
        pk__in=Proposal.objects.filter(
            call__in=calls,
            submitted_at__gte=start_of(start),
            submitted_at__lt=end_of(end),
        ).values("company")
    )
    winners = Organisation.objects.filter(
        pk__in=Contract.objects.filter(
            proposal__call__in=calls, start_date__gte=start, start_date__lte=end
        ).values("proposal__company")
    )
    return _share(applicants), _share(winners)


@dataclass(frozen=True)
class MissionTotals:
    rows: list[tuple[str, Decimal, bool]]  # mission, amount, shared with another mission
    total: Decimal  # each trajectory once
    overlap: Decimal  # what the rows count more than once


def mission_totals(funds: list[Fund], end: date) -> MissionTotals:
    """EZK money put to use (committed or paid) by the end, per mission; a trajectory with
    several missions is in each of their rows, and the total counts it once."""
    per_call = {
        row["transaction__call"]: row["total"]
        for row in Entry.objects.filter(
            account__fund__in=funds,
            account__kind__in=(Account.Kind.COMMITTED, Account.Kind.PAID),
            transaction__created_at__lt=end_of(end),
            transaction__call__isnull=False,
        )
        .order_by()
        .values("transaction__call")
        .annotate(total=Sum("amount"))
        if row["total"]
    }
    missions_of: dict[int, list[int]] = defaultdict(list)
    for call_pk, mission_pk in Call.missions.through.objects.filter(
        call_id__in=per_call
    ).values_list("call_id", "mission_id"):
        missions_of[call_pk].append(mission_pk)
    names = {mission.pk: str(mission) for mission in Mission.objects.all()}
    amounts: dict[int, Decimal] = defaultdict(lambda: ZERO)
    shared: set[int] = set()
    for call_pk, amount in per_call.items():
        for mission_pk in missions_of[call_pk]:
            amounts[mission_pk] += amount
            if len(missions_of[call_pk]) > 1:
                shared.add(mission_pk)
    rows = sorted(
        ((names[pk], amount, pk in shared) for pk, amount in amounts.items()),
        key=lambda row: (-row[1], row[0]),
    )
    total = sum((amount for pk, amount in per_call.items() if missions_of[pk]), ZERO)
    return MissionTotals(
        rows=rows, total=total, overlap=sum((row[1] for row in rows), ZERO) - total
    )
