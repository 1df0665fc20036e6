"""Open data with its history: each change to a call that OCDS covers is stored as a release.

The receivers (reporting/receivers.py) answer the signals of calls and proposals inside the
sending service's transaction with ``ocds_release_enqueue``: an outbox row in that same
transaction, so the change and the promise of its release commit together, and the task
``reporting.record_ocds_release`` runs once the change is committed. It calls
``ocds_release_record``, which builds each affected phase's release from the committed data
(reporting/ocds/builder.py: the whole state of the phase, as OCDS allows a release to repeat
what earlier ones said) and stores it under the event's tags and date.

The release id is ``<ocid>-<event>``: ``tender``, ``amendment-<number>``,
``enquiries-<number>``, ``tenderers``, ``award-<decision>``, ``contract-<contract>``,
``milestone-<deliverable>``, ``phase-<plan>``, ``ended-<contract>``, ``cancelled``. The same
event sent twice is the same release (stored once); two events at once are two releases.

Each ocid's record (``OcdsRecord``: its releases, the compiled and the versioned release) is
compiled again from all its stored releases whenever one is stored (``ocds_records_compile``),
under a lock on the record's row: two releases of one ocid stored at once are both in it.

``ocds_backfill`` gives calls published before releases were stored (and the demo's
historical calls, which are loaded without the services) a history from their dates:
publication, each amendment and nota van inlichtingen, the opening, each award, contract and
accepted milestone, each release showing what had happened by its date (``as_of``). What an
amendment changed in a call's own fields is not reconstructed: those show today's values.
"""

import copy
import gzip
import hashlib
import json
import logging
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.files import File
from django.core.files.storage import storages
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Min, TextField
from django.db.models.functions import Cast, ExtractYear
from django.utils import timezone, translation

from calls.models import Call, Phase
from portal.services.outbox import outbox_enqueue

from ..models import OcdsBulkFile, OcdsRecord, OcdsRelease
from ..ocds.builder import _number, moment, phase_position, releases_of
from ..ocds.merge import compiled_release, versioned_release
from ..selectors.opendata import contract_of, load_calls, open_data_calls

logger = logging.getLogger(__name__)

RECORD_TASK = "reporting.record_ocds_release"
BULK_FOLDER = "opendata"
BULK_NAME = "innovatieloket-ocds-releases"


def ocds_release_enqueue(
    *, call_id: int, event: str, tags: list[str], date: datetime, phase_id: int | None = None
) -> None:
    """Promise a release for this change, in the caller's transaction (the outbox)."""
    outbox_enqueue(RECORD_TASK, call_id, event, list(tags), date.isoformat(), phase_id)


def _jsonable(release: dict) -> dict:
    return json.loads(json.dumps(release, ensure_ascii=False, default=_number))


def _store(*, call: Call, release: dict) -> OcdsRelease:
    """Store the release; the one already stored under its id if the event came twice."""
    try:
        with transaction.atomic():
            return OcdsRelease.objects.create(
                call=call,
                ocid=release["ocid"],
                release_id=release["id"],
                date=datetime.fromisoformat(release["date"]),
                tags=release["tag"],
                data=release,
            )
    except IntegrityError:
        return OcdsRelease.objects.get(release_id=release["id"])


def _snapshots(call_id: int) -> list[tuple[Phase, dict]]:
    items = load_calls(open_data_calls().filter(pk=call_id))
    if not items:
        return []  # a draft, or gone: nothing public to record
    with translation.override(settings.LANGUAGE_CODE):
        releases = releases_of(items[0])
    return list(zip(items[0].phases, releases, strict=True))


def ocds_release_record(
    *,
    call: Call,
    event: str,
    tags: list[str],
    date: datetime | None = None,
    phase_id: int | None = None,
) -> list[OcdsRelease]:
    """Store the release of each phase this change concerns (every phase when ``phase`` is
    None), with the event's tags and date. Returns the releases (new or already stored)."""
    date = date or timezone.now()
    stored = []
    for each, snapshot in _snapshots(call.pk):
        if phase_id is not None and each.pk != phase_id:
            continue
        release = dict(snapshot)
        release["id"] = f"{snapshot['ocid']}-{event}"
        release["date"] = moment(date)
        release["tag"] = list(tags)
        stored.append(_store(call=call, release=_jsonable(release)))
    # Once the releases are committed: a compile waiting for another's lock then reads them.
    ocds_records_compile(ocids={release.ocid for release in stored})
    return stored


# --- Records: compiled when a release is stored ------------------------------------------------

RECORDS_PER_TRANSACTION = 200
RECORD_FIELDS = ["call", "position", "latest", "date", "releases", "compiled", "versioned"]


def _compile_into(record: OcdsRecord, rows: list[tuple[int, int, dict]]) -> None:
    """Fill the record from its releases ((pk, call id, data), in the order stored)."""
    # The merge's order: by date, then as stored (a stable sort).
    rows = sorted(rows, key=lambda row: datetime.fromisoformat(row[2]["date"]))
    releases = [data for _pk, _call, data in rows]
    latest_pk, call_id, latest = rows[-1]
    record.call_id = call_id
    record.position = phase_position(record.ocid)
    record.latest_id = latest_pk
    record.date = datetime.fromisoformat(latest["date"])
    record.releases = [
        {"id": data["id"], "date": data["date"], "tag": data["tag"]} for data in releases
    ]
    record.compiled = compiled_release(releases)
    record.versioned = versioned_release(releases)
    record.compiled_at = timezone.now()


def ocds_records_compile(*, ocids: Iterable[str]) -> int:
    """Compile the records of these ocids again from all their stored releases; returns how
    many were compiled.

    Concurrency: each record's row is locked (made first if it is new: an insert that waits
    for another's insert of the same ocid and then leaves it), and only then are the releases
    read. A second compile of the same ocid waits for the first to commit, then reads every
    release committed by then, its own included: whichever writes last saw both releases.
    """
    wanted = sorted(set(ocids))
    compiled = 0
    for start in range(0, len(wanted), RECORDS_PER_TRANSACTION):
        chunk = wanted[start : start + RECORDS_PER_TRANSACTION]
        with transaction.atomic():
            firsts = (
                OcdsRelease.objects.filter(ocid__in=chunk)
                .values("ocid")
                .annotate(first=Min("pk"), call=Min("call_id"), date=Min("date"))
                .order_by("ocid")
            )
            OcdsRecord.objects.bulk_create(
                [
                    OcdsRecord(
                        ocid=row["ocid"],
                        call_id=row["call"],
                        latest_id=row["first"],
                        date=row["date"],
                    )
                    for row in firsts
                ],
                ignore_conflicts=True,
            )
            records = list(
                OcdsRecord.objects.select_for_update().filter(ocid__in=chunk).order_by("ocid")
            )
            rows: dict[str, list] = {record.ocid: [] for record in records}
            releases = (
                OcdsRelease.objects.filter(ocid__in=list(rows))
                .order_by("date", "pk")
                .values_list("ocid", "pk", "call_id", "data")
            )
            for ocid, pk, call_id, data in releases:
                rows[ocid].append((pk, call_id, data))
            for record in records:
                _compile_into(record, rows[record.ocid])
            OcdsRecord.objects.bulk_update(records, [*RECORD_FIELDS, "compiled_at"])
            compiled += len(records)
    return compiled


def ocds_records_missing() -> int:
    """Compile the records of the ocids whose releases have none yet (releases stored before
    records were, or by a bulk insert); returns how many."""
    ocids = (
        OcdsRelease.objects.exclude(ocid__in=OcdsRecord.objects.values("ocid"))
        .values_list("ocid", flat=True)
        .distinct()
    )
    return ocds_records_compile(ocids=list(ocids))


# --- Backfill ---------------------------------------------------------------------------------


def _before(value: str | None, cut: datetime) -> bool:
    return value is not None and datetime.fromisoformat(value) <= cut


def as_of(release: dict, cut: datetime) -> dict:
    """The release as it stood at ``cut``: what happened later left out (amendments, documents
    and notes published later, awards decided later, their contracts, transactions and met
    milestones; the number of tenderers before the deadline)."""
    release = copy.deepcopy(release)
    tender = release.get("tender") or {}
    for key, field in (("amendments", "date"), ("documents", "datePublished")):
        if key in tender:
            tender[key] = [item for item in tender[key] if _before(item.get(field), cut)]
            if not tender[key]:
                del tender[key]
    end = (tender.get("tenderPeriod") or {}).get("endDate")
    if not _before(end, cut):
        tender.pop("numberOfTenderers", None)
    if "hasEnquiries" in tender:
        tender["hasEnquiries"] = any(
            item.get("documentType") == "clarifications" for item in tender.get("documents", [])
        )
    tender["milestones"] = [
        item for item in tender.get("milestones", []) if _before(item.get("dateMet"), cut)
    ]
    if not tender["milestones"]:
        del tender["milestones"]
    awards = [award for award in release.get("awards", []) if _before(award.get("date"), cut)]
    award_ids = {award["id"] for award in awards}
    contracts = []
    for contract in release.get("contracts", []):
        if contract["awardID"] not in award_ids or not _signed_by(contract, cut):
            continue
        for milestone in contract.get("milestones", []):
            if milestone.get("dateMet") and not _before(milestone["dateMet"], cut):
                milestone["status"] = "scheduled"
                del milestone["dateMet"]
        transactions = (contract.get("implementation") or {}).get("transactions", [])
        transactions = [item for item in transactions if _before(item.get("date"), cut)]
        if transactions:
            contract["implementation"] = {"transactions": transactions}
        else:
            contract.pop("implementation", None)
        contracts.append(contract)
    for key, items in (("awards", awards), ("contracts", contracts)):
        if items:
            release[key] = items
        else:
            release.pop(key, None)
    return release


def _signed_by(contract: dict, cut: datetime) -> bool:
    """A contract with a signing date (a partnership's purchase) exists from that date."""
    return "dateSigned" not in contract or _before(contract["dateSigned"], cut)


@dataclass
class _Event:
    event: str
    tags: list[str]
    date: datetime
    phase_id: int | None = None


def _history(item) -> list[_Event]:
    """The changes a call went through, from the dates it keeps, oldest first."""
    call = item.call
    events = [_Event("tender", ["tender"], call.publication_date)]
    events += [
        _Event(f"amendment-{amendment.number}", ["tenderAmendment"], amendment.created_at)
        for amendment in call.amendments.all()
    ]
    events += [
        _Event(f"enquiries-{release.number}", ["tenderUpdate"], release.published_at)
        for release in call.clarification_releases.all()
    ]
    now = timezone.now()
    for phase in item.phases:
        deadline = phase.deadline or (call.deadline if phase.order == 1 else None)
        if deadline is not None and deadline <= now and deadline > call.publication_date:
            events.append(_Event("tenderers", ["tenderUpdate"], deadline, phase.pk))
    for proposal in item.awarded:
        if proposal.decided_at:
            events.append(
                _Event(f"award-{proposal.pk}", ["award"], proposal.decided_at, proposal.phase_id)
            )
        contract = contract_of(proposal)
        if contract is None:
            continue
        events.append(
            _Event(f"contract-{contract.pk}", ["contract"], contract.created_at, proposal.phase_id)
        )
        for plan in getattr(contract, "purchases", []):
            bought = datetime.combine(
                plan.purchased_on, time(12), tzinfo=ZoneInfo(settings.TIME_ZONE)
            )
            events.append(_Event(f"purchase-{plan.pk}", ["contract"], bought, proposal.phase_id))
        for deliverable in contract.deliverables.all():
            if deliverable.reviewed_at and deliverable.status == deliverable.Status.ACCEPTED:
                events.append(
                    _Event(
                        f"milestone-{deliverable.pk}",
                        ["implementation"],
                        deliverable.reviewed_at,
                        proposal.phase_id,
                    )
                )
    if call.status == Call.Status.CANCELLED:
        events.append(_Event("cancelled", ["tenderCancellation"], call.updated_at))
    return sorted(events, key=lambda event: event.date)


def ocds_backfill(*, calls=None) -> int:
    """Releases for the published calls that have none yet; returns how many were stored."""
    calls = open_data_calls() if calls is None else calls
    calls = calls.exclude(pk__in=OcdsRelease.objects.values("call_id"))
    stored = 0
    for item in load_calls(calls):
        with translation.override(settings.LANGUAGE_CODE):
            snapshots = dict(
                zip((phase.pk for phase in item.phases), releases_of(item), strict=True)
            )
        rows = []
        for event in _history(item):
            for phase_id, snapshot in snapshots.items():
                if event.phase_id is not None and event.phase_id != phase_id:
                    continue
                release = as_of(snapshot, event.date)
                release["id"] = f"{snapshot['ocid']}-{event.event}"
                release["date"] = moment(event.date)
                release["tag"] = event.tags
                release = _jsonable(release)
                rows.append(
                    OcdsRelease(
                        call=item.call,
                        ocid=release["ocid"],
                        release_id=release["id"],
                        date=datetime.fromisoformat(release["date"]),
                        tags=release["tag"],
                        data=release,
                    )
                )
        # One insert a call; a release already stored (a run at the same time) is kept.
        OcdsRelease.objects.bulk_create(rows, ignore_conflicts=True)
        ocds_records_compile(ocids={row.ocid for row in rows})
        stored += len(rows)
    return stored


# --- Bulk files: one gzipped JSON Lines file per year -------------------------------------------


class _Counting:
    """A file wrapper that hashes and counts the bytes written through it."""

    def __init__(self, handle) -> None:
        self.handle = handle
        self.digest = hashlib.sha256()
        self.size = 0

    def write(self, data) -> int:
        self.digest.update(data)
        self.size += len(data)
        return self.handle.write(data)

    def flush(self) -> None:
        self.handle.flush()


def ocds_bulk_build(*, year: int) -> OcdsBulkFile | None:
    """Write the year's releases (oldest first, one JSON object a line, gzip) as a new file in
    the private storage and then point the year's row at it, in one step: a download reads
    either the old file or the new one, never half of one. The name carries the content's
    hash, so the same releases make the same file. Returns the row; None for a year without
    releases.
    """
    releases = OcdsRelease.objects.filter(date__year=year).order_by("date", "pk")
    last = releases.aggregate(last=Max("pk"), count=Count("pk"))
    if not last["count"]:
        return None
    storage = storages["private"]
    written = 0
    # The file is made on local disk first (streamed, a few kilobytes of memory), then handed
    # to the storage whole.
    with tempfile.TemporaryFile() as handle:
        counting = _Counting(handle)
        # mtime=0: the same releases give the same bytes, so the same name and ETag.
        # Level 6: most of level 9's gain at a third of its time.
        with gzip.GzipFile(
            filename="", mode="wb", fileobj=counting, mtime=0, compresslevel=6
        ) as packed:
            # The stored JSON as the database writes it (one line: jsonb's text has no line
            # breaks), not parsed into Python and written again.
            rows = (
                releases.filter(pk__lte=last["last"])
                .annotate(text=Cast("data", output_field=TextField()))
                .values_list("text", flat=True)
            )
            for text in rows.iterator(chunk_size=500):
                packed.write(text.encode() + b"\n")
                written += 1
        sha256 = counting.digest.hexdigest()
        name = f"{BULK_FOLDER}/{BULK_NAME}-{year}-{sha256[:16]}.jsonl.gz"
        if not storage.exists(name):
            handle.seek(0)
            saved = storage.save(name, File(handle, name=name))
            if saved != name:  # another build wrote the same content at the same moment
                storage.delete(saved)
    with transaction.atomic():
        bulk = OcdsBulkFile.objects.select_for_update().filter(year=year).first()
        old = bulk.path if bulk is not None else None
        fields = {
            "path": name,
            "releases": written,
            "last_release": last["last"],
            "size": counting.size,
            "sha256": sha256,
            "built_at": timezone.now(),
        }
        if bulk is None:
            bulk = OcdsBulkFile.objects.create(year=year, **fields)
        else:
            for field, value in fields.items():
                setattr(bulk, field, value)
            bulk.save(update_fields=list(fields))
        if old and old != name:
            transaction.on_commit(lambda: storage.delete(old))
    return bulk


def ocds_bulk_refresh(*, force: bool = False) -> list[int]:
    """Rebuild the file of every year whose releases changed since it was built (every year
    with ``force``); returns the years rebuilt."""
    built = {bulk.year: bulk for bulk in OcdsBulkFile.objects.all()}
    years = (
        OcdsRelease.objects.annotate(year=ExtractYear("date"))
        .values("year")
        .annotate(last=Max("pk"), count=Count("pk"))
        .order_by("year")
    )
    rebuilt = []
    for row in years:
        bulk = built.get(row["year"])
        stale = (
            bulk is None
            or bulk.last_release != row["last"]
            or bulk.releases != row["count"]
            or not storages["private"].exists(bulk.path)
        )
        if force or stale:
            ocds_bulk_build(year=row["year"])
            rebuilt.append(row["year"])
    return rebuilt
