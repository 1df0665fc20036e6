"""Exports: who may export what, and the request side (small exports at once, large ones
built by a worker).
"""

from django.db import transaction
from django.utils.translation import gettext as _

from portal.exceptions import DomainError, NotAllowed
from portal.models import Organisation, Role, User
from portal.permissions import can
from portal.selectors.identity import organisations_of
from portal.services.outbox import outbox_enqueue

from ..models import Export, Job
from .jobs import job_requeue

# --- Exports: the request side ------------------------------------------------------------


def export_kinds_for(user: User) -> list[str]:
    """Which data a person may export: proposals only for officers of the owning authority,
    the ledger and every authority's awards for the ministry as well."""
    if not can(user, "reporting.export"):
        return []
    kinds: list[str] = [Export.Kind.CALLS, Export.Kind.AWARDS, Export.Kind.TRANSACTIONS]
    if organisations_of(user, role=Role.PROCUREMENT_OFFICER).exists():
        kinds.insert(1, Export.Kind.PROPOSALS)
    return kinds


def export_scope(user: User) -> list[Organisation] | None:
    """None: everything (ministry staff); otherwise the authorities whose rows may be seen."""
    if can(user, "funding.view_ledger"):
        return None
    return list(organisations_of(user, role=Role.PROCUREMENT_OFFICER))


def export_check(*, actor: User, kind: str, file_format: str, csv_dialect: str = "") -> None:
    if kind not in export_kinds_for(actor):
        raise NotAllowed()
    if file_format not in Export.Format.values:
        raise DomainError(_("Choose CSV or XLSX."), code="format")
    if csv_dialect and csv_dialect not in Export.CsvDialect.values:
        raise DomainError(_("Choose the Dutch or the international CSV."), code="csv_dialect")


def export_request(
    *, actor: User, kind: str, file_format: str, csv_dialect: str = ""
) -> tuple[Export, bool]:
    """A background export; the same one while it is still being made is returned as is.

    `csv_dialect` matters only for CSV; without it a CSV is international.
    """
    export_check(actor=actor, kind=kind, file_format=file_format, csv_dialect=csv_dialect)
    if file_format == Export.Format.CSV:
        csv_dialect = csv_dialect or Export.CsvDialect.INTERNATIONAL
    else:
        csv_dialect = ""
    scope = export_scope(actor)
    organisation = None
    if scope is not None:
        organisation = scope[0] if len(scope) == 1 else None
    with transaction.atomic():
        # One active export per person and kind: lock the person to serialise double clicks.
        User.objects.select_for_update().get(pk=actor.pk)
        existing = Export.objects.filter(
            requested_by=actor,
            kind=kind,
            format=file_format,
            csv_dialect=csv_dialect,
            status__in=Job.ACTIVE,
        ).first()
        if existing is not None:
            return existing, False
        export = Export.objects.create(
            requested_by=actor,
            kind=kind,
            format=file_format,
            csv_dialect=csv_dialect,
            organisation=organisation,
        )
        _enqueue_export_on_commit(export)
    return export, True


def export_retry(*, export: Export, actor: User) -> Export:
    """An export whose worker was lost is made again (a failed one is simply asked again)."""
    with transaction.atomic():
        export = Export.objects.select_for_update().get(pk=export.pk)
        if export.requested_by_id != actor.pk:
            raise NotAllowed()
        if not export.worker_lost:
            raise DomainError(
                _("Only an export whose worker stopped can be tried again."), code="not_lost"
            )
        job_requeue(export, actor=actor)
        _enqueue_export_on_commit(export)
    return export


def _enqueue_export_on_commit(export: Export) -> None:
    from ..tasks import build_export

    outbox_enqueue(build_export, export.pk)
