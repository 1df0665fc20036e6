"""Every error under /api/ is JSON with one body: a stable ``code`` and a readable ``detail``.

DRF's own errors (401, 403, 404, 405, 415, 429), the portal's domain errors (400, 403, 409),
validation errors (400, with each refused field's messages next to ``code`` and ``detail``)
take this shape here; what Django answers before DRF is reached (a URL that does not exist,
such as a non-numeric id, a refused request, 500) gets it from portal.badinput.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from ..exceptions import DomainError

API_PREFIX = "/api/"


def error_body(code: str, detail) -> dict:
    return {"code": str(code), "detail": str(detail)}


def _code_of(exc: exceptions.APIException) -> str:
    codes = exc.get_codes()
    if isinstance(codes, str):
        return codes
    if isinstance(codes, dict) and isinstance(codes.get("detail"), str):
        return str(codes["detail"])
    return str(exc.default_code)


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        return Response(error_body(exc.code, exc.message), status=exc.status_code)
    if isinstance(exc, Http404):  # as DRF itself translates them, so that they have codes
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        body = error_body("invalid", _("The input is invalid: see the fields named."))
        if isinstance(response.data, dict):
            # Each refused field keeps its own key, as DRF names it.
            body.update({k: v for k, v in response.data.items() if k not in body})
        else:
            body["non_field_errors"] = response.data
        response.data = body
    else:
        detail = response.data.get("detail") if isinstance(response.data, dict) else None
        response.data = error_body(_code_of(exc), detail or exc.detail)
    return response
