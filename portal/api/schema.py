"""The OpenAPI schema's shared parts: every operation documents the error answers it can give.

``AutoSchema`` (settings.REST_FRAMEWORK's DEFAULT_SCHEMA_CLASS) adds to each operation the
errors any request may meet, with the one error body of portal.api.errors: 400 (a parameter
or body refused), 401 (an unknown, expired or revoked token), 403, 404 (no such object, or a
page beyond the last), 429 (too many requests); a change may also meet 409 (not possible in
the object's status) and 415 (a body of another media type). A view's own description of a
code wins.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers


class ApiErrorSerializer(serializers.Serializer):
    """An error: a stable code and a readable message; a refused field's messages under its
    own name next to them."""

    code = serializers.CharField(help_text=_("A stable code, e.g. not_found or invalid."))
    detail = serializers.CharField(help_text=_("What went wrong, in the request's language."))


ERROR_DESCRIPTIONS = {
    400: _("Invalid input: a parameter or field is refused (named in the body)."),
    401: _("Not logged in, or the token is unknown, expired or revoked."),
    403: _("Not allowed."),
    404: _("No such object, or not visible to you; or a page beyond the last."),
    409: _("Not possible in the object's current status."),
    415: _("The body's media type is not accepted."),
    429: _("Too many requests; try again later."),
}
READ_ERRORS = (400, 401, 403, 404, 429)
WRITE_ERRORS = (*READ_ERRORS, 409, 415)


class AutoSchema(SpectacularAutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        codes = READ_ERRORS if self.method in ("GET", "HEAD", "OPTIONS") else WRITE_ERRORS
        for code in codes:
            existing = responses.get(str(code))
            if existing is not None and existing.get("content"):
                continue
            error = OpenApiResponse(
                ApiErrorSerializer,
                description=(existing or {}).get("description") or ERROR_DESCRIPTIONS[code],
            )
            responses[str(code)] = self._get_response_for_code(
                error, str(code), direction=direction
            )
        return dict(sorted(responses.items()))


UNFILTERED = {"type": "string", "enum": [""], "description": "Empty: not filtered."}
NOT_FILTERS = {"page", "ordering", "sort", "q", "search"}


def empty_filter_values(result, generator, request, public):
    """Postprocessing hook: a filter left empty (``?status=``) filters nothing, as on the
    pages' filter forms; the schema allows it beside the filter's own values."""
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []) if isinstance(operation, dict) else []:
                schema = parameter.get("schema", {})
                if (
                    parameter.get("in") == "query"
                    and parameter["name"] not in NOT_FILTERS
                    and ("enum" in schema or "format" in schema or schema.get("type") != "string")
                ):
                    parameter["schema"] = {"anyOf": [schema, UNFILTERED]}
    return result


API_DESCRIPTION = _(
    "Calls, proposals, assessment and co-financing of SBIR and Innovation Partnership "
    "trajectories. Every error is JSON with a stable `code` and a readable `detail` (a refused "
    "field's messages under its own name beside them). No text may contain a NUL character "
    "(\\u0000): such a request is refused with 400 `nul_character`."
)


def translated_description(result, generator, request, public):
    """Postprocessing hook: the introduction in the request's language, like the operations'
    summaries (the settings' DESCRIPTION is a plain string, read before any request)."""
    result.setdefault("info", {})["description"] = str(API_DESCRIPTION)
    return result
