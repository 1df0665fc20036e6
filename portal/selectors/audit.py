"""Reads of the audit trail (django-auditlog's log entries) for the staff page."""

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet


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
