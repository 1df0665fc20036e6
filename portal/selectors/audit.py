"""Reads of the audit trail (django-auditlog's log entries) for the staff page: the entries,
the kinds of record, and each page's changes readable in a constant number of queries."""

from collections import defaultdict

from auditlog.models import LogEntry, _get_manager_from_settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.db.models import QuerySet
from django.utils.encoding import smart_str


def audit_entries(*, content_type_id: int | None = None, actor_email: str = "") -> QuerySet:
    """Log entries, newest first, with actor and record type; narrowed to one kind of record
    and to actors whose address contains ``actor_email``."""
    entries = LogEntry.objects.select_related("actor", "content_type").order_by("-timestamp")
    if content_type_id is not None:
        entries = entries.filter(content_type_id=content_type_id)
    if actor_email:
        entries = entries.filter(actor__email__icontains=actor_email)
    return entries


def audited_content_types() -> QuerySet[ContentType]:
    """The kinds of record the trail holds entries for."""
    return ContentType.objects.filter(
        pk__in=LogEntry.objects.order_by().values("content_type").distinct()
    )


def _foreign_keys(entry) -> list[tuple[models.ForeignKey, str]]:
    model = entry.content_type.model_class()
    if model is None:
        return []
    found: list[tuple[models.ForeignKey, str]] = []
    for field_name, values in (entry.changes_dict or {}).items():
        try:
            field = model._meta.get_field(field_name)
        except FieldDoesNotExist:
            continue
        if isinstance(field, models.ForeignKey):  # OneToOneField is one too
            found.extend((field, str(value)) for value in values)
    return found


def add_change_display(entries) -> None:
    """Give each entry of a page ``changes_display``: auditlog's readable changes, with the
    records its foreign keys name fetched in one query per kind of record for the whole page
    (auditlog itself fetches each one on its own: up to dozens of queries per page)."""
    entries = list(entries)
    wanted: dict[type[models.Model], set] = defaultdict(set)
    for entry in entries:
        for field, value in _foreign_keys(entry):
            if value == "None":
                continue
            related: type[models.Model] = field.related_model
            try:
                wanted[related].add(related._meta.pk.to_python(value))
            except ValidationError:
                continue
    found = {
        model: _get_manager_from_settings(model).in_bulk(list(keys))
        for model, keys in wanted.items()
    }

    def display(field, value):
        if value == "None":
            return value
        try:
            key = field.related_model._meta.pk.to_python(value)
        except ValidationError:
            return value
        record = found.get(field.related_model, {}).get(key)
        if record is None:
            return f"Deleted '{field.related_model.__name__}' ({value})"
        return smart_str(record)

    for entry in entries:
        # auditlog's own formatting of every other kind of field, with the page's records.
        entry._get_changes_display_for_fk_field = display
        entry.changes_display = entry.changes_display_dict if entry.changes_dict else {}
