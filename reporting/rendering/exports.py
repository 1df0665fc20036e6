"""CSV and XLSX exports of calls, proposals, awards and ledger entries.

Rows are read in chunks, so an export of a hundred thousand ledger entries needs little memory.
Text that a spreadsheet would run as a formula (starting with =, +, -, @) is prefixed with an
apostrophe: an export must never execute what a company typed into a title.
"""

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from calls.models import Call, Mission
from funding.models import Entry
from portal.models import User
from proposals.models import Contract, Proposal

from ..models import Export
from ..services.exports import export_scope

CHUNK = 2000
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MONEY_FORMAT = '"€" #,##0.00'
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"


@dataclass(frozen=True)
class Column:
    label: str
    kind: str = "text"  # text, money, date, datetime, number


@dataclass(frozen=True)
class Built:
    filename: str
    content: bytes
    rows: int
    content_type: str


def _calls(user: User) -> tuple[QuerySet, list[Column], Callable]:
    scope = export_scope(user)
    calls = Call.objects.exclude(status=Call.Status.DRAFT) if scope is None else (
        Call.objects.filter(authority__in=scope)
    )  # fmt: skip
    calls = calls.select_related("authority").prefetch_related(
        Prefetch("missions", queryset=Mission.objects.order_by("order"))
    )
    columns = [
        Column(_("Reference")),
        Column(_("Title")),
        Column(_("Contracting authority")),
        Column(_("Instrument")),
        Column(_("Status")),
        Column(_("Missions")),
        Column(_("Total budget"), "money"),
        Column(_("Published"), "datetime"),
        Column(_("Deadline"), "datetime"),
    ]

    def row(call: Call) -> list:
        return [
            call.reference,
            call.title,
            call.authority.name,
            call.get_instrument_display(),
            call.get_status_display(),
            "; ".join(str(mission) for mission in call.missions.all()),
            call.total_budget,
            call.publication_date,
            call.deadline,
        ]

    return calls.order_by("pk"), columns, row


def _proposals(user: User) -> tuple[QuerySet, list[Column], Callable]:
    # Only the owning authority's officers: never drafts, never other authorities' calls.
    proposals = (
        Proposal.objects.filter(call__authority__in=export_scope(user) or [])
        .exclude(status=Proposal.Status.DRAFT)
        .select_related("call", "phase", "company")
    )
    columns = [
        Column(_("Submission number")),
        Column(_("Call")),
        Column(_("Phase")),
        Column(_("Company")),
        Column(_("Title")),
        Column(_("Requested amount"), "money"),
        Column(_("Status")),
        Column(_("Submitted"), "datetime"),
        Column(_("Decided"), "datetime"),
    ]

    def row(proposal: Proposal) -> list:
        return [
            proposal.submission_number,
            proposal.call.reference,
            proposal.phase.name,
            proposal.company.name,
            proposal.title,
            proposal.requested_amount,
            proposal.get_status_display(),
            proposal.submitted_at,
            proposal.decided_at,
        ]

    return proposals.order_by("pk"), columns, row


def _awards(user: User) -> tuple[QuerySet, list[Column], Callable]:
    scope = export_scope(user)
    contracts = Contract.objects.select_related(
        "proposal__call__authority", "proposal__phase", "proposal__company"
    )
    if scope is not None:
        contracts = contracts.filter(proposal__call__authority__in=scope)
    columns = [
        Column(_("Call")),
        Column(_("Contracting authority")),
        Column(_("Phase")),
        Column(_("Company")),
        Column(_("Proposal")),
        Column(_("Contract amount"), "money"),
        Column(_("Start"), "date"),
        Column(_("End"), "date"),
        Column(_("Status")),
    ]

    def row(contract: Contract) -> list:
        proposal = contract.proposal
        return [
            proposal.call.reference,
            proposal.call.authority.name,
            proposal.phase.name,
            proposal.company.name,
            proposal.title,
            contract.amount,
            contract.start_date,
            contract.end_date,
            contract.get_status_display(),
        ]

    return contracts.order_by("pk"), columns, row


def _transactions(user: User) -> tuple[QuerySet, list[Column], Callable]:
    """One row per entry: the ledger as an accountant reads it, every transaction balancing."""
    scope = export_scope(user)
    entries = Entry.objects.select_related(
        "transaction__fund", "transaction__call", "transaction__created_by", "account"
    )
    if scope is not None:
        # An authority sees only its own money: its own funds and what concerns its calls.
        entries = entries.filter(
            Q(transaction__fund__owner__in=scope) | Q(transaction__call__authority__in=scope)
        )
    columns = [
        Column(_("Transaction"), "number"),
        Column(_("Booked"), "datetime"),
        Column(_("Fund")),
        Column(_("Kind")),
        Column(_("Why")),
        Column(_("Call")),
        Column(_("Contract"), "number"),
        Column(_("Account")),
        Column(_("Amount"), "money"),
        Column(_("Booked by")),
    ]

    def row(entry: Entry) -> list:
        booked = entry.transaction
        return [
            booked.pk,
            booked.created_at,
            booked.fund.name,
            booked.get_kind_display(),
            booked.description,
            booked.call.reference if booked.call else "",
            booked.contract_id,
            entry.account.get_kind_display(),
            entry.amount,
            booked.created_by.email,
        ]

    return entries.order_by("transaction_id", "pk"), columns, row


SOURCES = {
    Export.Kind.CALLS: _calls,
    Export.Kind.PROPOSALS: _proposals,
    Export.Kind.AWARDS: _awards,
    Export.Kind.TRANSACTIONS: _transactions,
}


def count_rows(*, kind: str, user: User) -> int:
    queryset, _columns, _row = SOURCES[kind](user)
    return queryset.count()


def build(
    *, kind: str, file_format: str, user: User, progress: Callable[[int], None] | None = None
) -> Built:
    queryset, columns, row = SOURCES[kind](user)
    total = queryset.count()
    rows = _rows(queryset, row, total, progress or (lambda percent: None))
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    filename = f"innovatieloket-{kind}-{stamp}.{file_format}"
    if file_format == Export.Format.XLSX:
        content = _xlsx(columns, rows, sheet=str(Export.Kind(kind).label))
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        content = _csv(columns, rows)
        content_type = "text/csv; charset=utf-8"
    return Built(filename=filename, content=content, rows=total, content_type=content_type)


def _rows(queryset: QuerySet, row: Callable, total: int, progress) -> Iterator[list]:
    for number, item in enumerate(queryset.iterator(chunk_size=CHUNK), 1):
        yield row(item)
        if number % CHUNK == 0:
            progress(min(int(number / max(total, 1) * 100), 99))


def _safe_text(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _csv_value(value, column: Column) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    if isinstance(value, date | Decimal | int):
        return str(value)
    return _safe_text(str(value))


def _csv(columns: list[Column], rows: Iterable[list]) -> bytes:
    # UTF-8 with a byte order mark: Excel then reads accents right; other tools ignore it.
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([column.label for column in columns])
    for values in rows:
        writer.writerow(
            [_csv_value(value, column) for value, column in zip(values, columns, strict=True)]
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _xlsx(columns: list[Column], rows: Iterable[list], *, sheet: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(title=sheet[:31])
    worksheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for column in columns:
        cell = WriteOnlyCell(worksheet, value=column.label)
        cell.font = bold
        header.append(cell)
    worksheet.append(header)
    formats = {"money": MONEY_FORMAT, "date": DATE_FORMAT, "datetime": DATETIME_FORMAT}
    for values in rows:
        cells = []
        for value, column in zip(values, columns, strict=True):
            if isinstance(value, datetime):
                # Spreadsheets know no time zones: write the time as it was in Amsterdam.
                value = timezone.localtime(value).replace(tzinfo=None)
            elif isinstance(value, str):
                # openpyxl would store a string starting with "=" as a formula.
                value = _safe_text(value)
            cell = WriteOnlyCell(worksheet, value=value)
            if column.kind in formats and value is not None:
                cell.number_format = formats[column.kind]
            cells.append(cell)
        worksheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
