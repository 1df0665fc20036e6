"""Reads of the exports and parliament reports people asked for."""

from django.db.models import QuerySet

from portal.models import User

from ..models import Export, ParliamentReport


def recent_exports(user: User, *, limit: int) -> QuerySet[Export]:
    """The person's newest exports."""
    return Export.objects.filter(requested_by=user).order_by("-created_at")[:limit]


def parliament_reports() -> QuerySet[ParliamentReport]:
    """Every report, with who asked for it (newest first: ``order_by`` of the caller)."""
    return ParliamentReport.objects.select_related("requested_by")
