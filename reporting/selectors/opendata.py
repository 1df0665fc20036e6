"""What open data may show, read in a fixed number of queries however many calls there are.

Only calls that were really published: never a draft, nor a draft cancelled before it was
ever published (no publication date). Of the proposals only the awarded ones are read, with
their company, contract, deliverables and the payments made on that contract; the names of
companies whose proposal is a draft, withdrawn, under assessment or rejected are never read.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, Prefetch, Q, QuerySet, Sum, TextField
from django.db.models.functions import Cast

from calls.models import Call, Criterion, Phase
from funding.models import Account, CoFinancingApplication, Transaction
from proposals.models import Deliverable, PhasePlan, Proposal

from ..models import OcdsBulkFile, OcdsRecord, OcdsRelease

# Proposals that count as a tender received once the deadline has passed.
RECEIVED = (
    Proposal.Status.SUBMITTED,
    Proposal.Status.UNDER_ASSESSMENT,
    Proposal.Status.AWARDED,
    Proposal.Status.REJECTED,
)
UNDECIDED = (Proposal.Status.SUBMITTED, Proposal.Status.UNDER_ASSESSMENT)


def open_data_calls() -> QuerySet[Call]:
    """Every call open data may show, oldest first."""
    return (
        Call.objects.exclude(status=Call.Status.DRAFT)
        .filter(publication_date__isnull=False)
        .order_by("pk")
    )


def open_data_call(pk: int) -> Call | None:
    return open_data_calls().filter(pk=pk).first()


@dataclass
class CallData:
    """One call with everything its releases need, loaded up front."""

    call: Call
    phases: list[Phase]
    awarded: list[Proposal]  # with .contract (or None) and .contract.deliverables
    payments: dict[int, list[Transaction]] = field(default_factory=dict)  # per contract id
    cofinancing: list[CoFinancingApplication] = field(default_factory=list)


def load_calls(calls: QuerySet[Call]) -> list[CallData]:
    """The calls with phases, awards, contracts, milestones, payments and co-financing.

    Eleven queries in all, for one call or for thousands.
    """
    phases = Phase.objects.select_related("committee__advice").annotate(
        tenders=Count("proposals", filter=Q(proposals__status__in=RECEIVED)),
        undecided=Count("proposals", filter=Q(proposals__status__in=UNDECIDED)),
        awarded_count=Count("proposals", filter=Q(proposals__status=Proposal.Status.AWARDED)),
    )
    awarded = (
        Proposal.objects.filter(status=Proposal.Status.AWARDED)
        .select_related("company", "contract")
        .prefetch_related(
            Prefetch(
                "contract__deliverables", queryset=Deliverable.objects.order_by("due_date", "pk")
            ),
            # An innovation partnership's purchase at the end (proposals.partnership_purchase).
            Prefetch(
                "contract__phase_plans",
                queryset=PhasePlan.objects.filter(status=PhasePlan.Status.PURCHASED).order_by(
                    "purchased_on", "pk"
                ),
                to_attr="purchases",
            ),
        )
        .order_by("decided_at", "pk")
    )
    loaded = list(
        calls.select_related("authority").prefetch_related(
            Prefetch(
                "phases",
                queryset=phases.prefetch_related(
                    Prefetch("criteria", queryset=Criterion.objects.order_by("order", "pk"))
                ).order_by("order"),
            ),
            "documents",
            "amendments",
            "clarification_releases",
            Prefetch("proposals", queryset=awarded, to_attr="awarded_proposals"),
            Prefetch(
                "cofinancing",
                queryset=CoFinancingApplication.objects.filter(
                    status=CoFinancingApplication.Status.APPROVED
                ).select_related("round__fund__owner"),
                to_attr="approved_cofinancing",
            ),
        )
    )
    data = [
        CallData(
            call=call,
            phases=list(call.phases.all()),
            awarded=call.awarded_proposals,
            cofinancing=call.approved_cofinancing,
        )
        for call in loaded
    ]
    contract_ids = [
        proposal.contract.pk
        for item in data
        for proposal in item.awarded
        if contract_of(proposal) is not None
    ]
    payments = _payments(contract_ids)
    for item in data:
        item.payments = {
            proposal.contract.pk: payments.get(proposal.contract.pk, [])
            for proposal in item.awarded
            if contract_of(proposal) is not None
        }
    return data


def contract_of(proposal: Proposal):
    try:
        return proposal.contract
    except Proposal.contract.RelatedObjectDoesNotExist:
        return None


def _payments(contract_ids: list[int]) -> dict[int, list[Transaction]]:
    """Payments to the supplier on these contracts, not reversed, with the amount, oldest first.

    EZK's share of a milestone payment (a payment from a co-financing commitment, linked to
    its application) reimburses the authority, which pays the supplier in full: it is a flow
    between funder and buyer, not a contract transaction, and counting it would pay twice.
    """
    if not contract_ids:
        return {}
    rows = (
        Transaction.objects.filter(
            kind=Transaction.Kind.PAYMENT,
            contract_id__in=contract_ids,
            application__isnull=True,
            reversed_by__isnull=True,
        )
        .select_related("fund__owner")
        .annotate(paid=Sum("entries__amount", filter=Q(entries__account__kind=Account.Kind.PAID)))
        .order_by("created_at", "pk")
    )
    result: dict[int, list[Transaction]] = {}
    for row in rows:
        if row.contract_id is not None and row.paid and row.paid > Decimal("0"):
            result.setdefault(row.contract_id, []).append(row)
    return result


# --- Stored releases (open data with its history) ------------------------------------------------


def stored_releases(
    *, ocid: str | None = None, since=None, until=None, call_id: int | None = None
) -> QuerySet:
    """Stored OCDS releases, newest first, optionally of one ocid or call and between two
    moments (``since`` inclusive, ``until`` exclusive): rows of (``date``, ``text``: the
    release's JSON as stored)."""
    releases = OcdsRelease.objects.order_by("-date", "-pk")
    if ocid is not None:
        releases = releases.filter(ocid=ocid)
    if call_id is not None:
        releases = releases.filter(call_id=call_id)
    if since is not None:
        releases = releases.filter(date__gte=since)
    if until is not None:
        releases = releases.filter(date__lt=until)
    return releases.values_list("date", Cast("data", output_field=TextField()))


def release_ocids() -> list[str]:
    """Every ocid with a stored release."""
    return list(OcdsRelease.objects.values_list("ocid", flat=True).distinct().order_by("ocid"))


def current_releases(*, call_id: int | None = None) -> QuerySet:
    """The newest stored release of each ocid (of one call), by call and phase: rows of
    (``date``, ``text``: the release's JSON as stored)."""
    rows = OcdsRecord.objects.all()
    if call_id is not None:
        rows = rows.filter(call_id=call_id)
    return rows.order_by("call_id", "position", "ocid").values_list(
        F("latest__date"), Cast("latest__data", output_field=TextField())
    )


def stored_records(*, ocid: str | None = None) -> QuerySet:
    """The compiled records, the most recently changed first: rows of (``ocid``, ``date``,
    ``releases``, ``compiled`` and ``versioned`` as JSON text)."""
    rows = OcdsRecord.objects.all()
    if ocid is not None:
        rows = rows.filter(ocid=ocid)
    return rows.order_by("-date", "ocid").values_list(
        "ocid",
        "date",
        "releases",
        Cast("compiled", output_field=TextField()),
        Cast("versioned", output_field=TextField()),
    )


def bulk_files() -> QuerySet:
    return OcdsBulkFile.objects.order_by("-year")


def bulk_file(year: int):
    return bulk_files().filter(year=year).first()
