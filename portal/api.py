"""API plumbing shared by every app: domain errors become clear HTTP answers."""

import contextlib

from auditlog.context import auditlog_value
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .exceptions import DomainError


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        return Response({"detail": str(exc.message), "code": exc.code}, status=exc.status_code)
    return drf_exception_handler(exc, context)


class AuditActorMixin:
    """Attribute API changes in the audit trail to the token's owner.

    The audit log's middleware runs before DRF authenticates a token, so it saw nobody;
    tell it who acts once DRF knows.
    """

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if request.user.is_authenticated:
            with contextlib.suppress(LookupError):  # no audit middleware: nothing to tell
                auditlog_value.get()["actor"] = request.user
