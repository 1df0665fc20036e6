"""CSV and XLSX exports of calls, proposals, awards and ledger entries.

Rows are read in chunks, so an export of a hundred thousand ledger entries needs little memory.

CSV comes in two dialects: the Dutch one that Dutch Excel opens in columns (semicolons, decimal
comma) and the international one (commas, decimal point). Every field is quoted.

An export must never execute what a company typed into a title. In CSV, text that a
spreadsheet would run as a formula (starting with =, +, -, @, tab or CR) gets an apostrophe
before it, and so does such text after any separator a reader might split the cell on (comma,
semicolon, tab, line break): `x;=1+1;y` opened with the other dialect must not hold a formula
cell either. In XLSX every text is a string cell; one that would read as a formula is also
marked "quote prefix", so that Excel keeps it text when someone edits it.
"""

import csv
import io
import re
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
# A formula start at the start of the text, or after a separator a reader might split on (and
# any spaces it might trim): the apostrophe goes right before where such a cell would begin.
_FORMULA_AT_CELL_START = re.compile(r"(^|[,;\t\r\n])(?=[ \t]*[=+\-@\t\r])")
MONEY_FORMAT = '"€" #,##0.00'
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"


@dataclass(frozen=True)
class Column:
    label: str
    kind: str = "text"  # text, money, date, datetime, number


@dataclass(frozen=True)
class CsvFormat:
    delimiter: str
    decimal_separator: str
    datetime_format: str | None  # None: ISO 8601 with the offset


CSV_FORMATS = {
    # Dutch Excel reads "2026-05-17 10:00:00" as a date and time, not an ISO string with offset.
    Export.CsvDialect.DUTCH: CsvFormat(";", ",", "%Y-%m-%d %H:%M:%S"),
    Export.CsvDialect.INTERNATIONAL: CsvFormat(",", ".", None),
}


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
    # Only the owning authority's officers: never drafts, never other authorities' calls,
    # never a proposal whose phase's deadline has not passed (sealed until then).
    proposals = (
        Proposal.objects.opened()
        .filter(call__authority__in=export_scope(user) or [])
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
    *,
    kind: str,
    file_format: str,
    user: User,
    csv_dialect: str = "",
    progress: Callable[[int], None] | None = None,
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
        dialect = CSV_FORMATS[csv_dialect or Export.CsvDialect.INTERNATIONAL]
        content = _csv(columns, rows, dialect)
        content_type = "text/csv; charset=utf-8"
    return Built(filename=filename, content=content, rows=total, content_type=content_type)


def _rows(queryset: QuerySet, row: Callable, total: int, progress) -> Iterator[list]:
    for number, item in enumerate(queryset.iterator(chunk_size=CHUNK), 1):
        yield row(item)
        if number % CHUNK == 0:
            progress(min(int(number / max(total, 1) * 100), 99))


def csv_safe_text(value: str) -> str:
    """Text that no spreadsheet runs as a formula, however it splits the cell."""
    return _FORMULA_AT_CELL_START.sub(r"\1'", value)


def _csv_value(value, dialect: CsvFormat) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        moment = timezone.localtime(value)
        if dialect.datetime_format is None:
            return moment.isoformat(timespec="seconds")
        return moment.strftime(dialect.datetime_format)
    if isinstance(value, Decimal):
        # Our own numbers, never text: a negative amount stays a number.
        return format(value, "f").replace(".", dialect.decimal_separator)
    if isinstance(value, date | int):
        return str(value)
    return csv_safe_text(str(value))


def _csv(columns: list[Column], rows: Iterable[list], dialect: CsvFormat) -> bytes:
    # UTF-8 with a byte order mark: Excel then reads accents right; other tools ignore it.
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=dialect.delimiter, quoting=csv.QUOTE_ALL)
    writer.writerow([csv_safe_text(str(column.label)) for column in columns])
    for values in rows:
        writer.writerow(
            [_csv_value(value, dialect) for value, _column in zip(values, columns, strict=True)]
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
            cell = WriteOnlyCell(worksheet, value=value)
            if isinstance(value, str):
                # openpyxl stores a string starting with "=" as a formula; a string it is, and
                # the quote prefix keeps Excel from making it one when the cell is edited.
                cell.data_type = "s"
                if value.lstrip(" ").startswith(FORMULA_STARTS):
                    cell.quotePrefix = True
            if column.kind in formats and value is not None:
                cell.number_format = formats[column.kind]
            cells.append(cell)
        worksheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
