"""Input no page or API operation can use is refused at the door with a 400 and a clear message.

NUL characters (``\\x00``) have no meaning in any text the portal keeps, and PostgreSQL
refuses to store them: a request that carries one in its path, its query, a form field or a
JSON string is answered 400 before any view runs. Under /api/ every error answer is JSON with
``code`` and ``detail`` (portal.api.errors), also those Django gives before DRF is reached: a
URL that does not exist (a non-numeric id), a refused request, a server error.
"""

import json

from django.http import HttpResponseBadRequest, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .api.errors import API_PREFIX, error_body

NUL = "\x00"
JSON_TYPES = ("application/json",)
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")

ERRORS = {
    400: ("bad_request", gettext_lazy("The request is invalid.")),
    403: ("permission_denied", gettext_lazy("You are not allowed to do this.")),
    404: ("not_found", gettext_lazy("Not found.")),
    413: ("too_large", gettext_lazy("The request is too large.")),
    500: ("server_error", gettext_lazy("Something went wrong on our side; it has been logged.")),
}


def _has_nul(value) -> bool:
    if isinstance(value, str):
        return NUL in value
    if isinstance(value, dict):
        return any(_has_nul(key) or _has_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_has_nul(item) for item in value)
    return False


def _query_has_nul(querydict) -> bool:
    return any(NUL in key or any(NUL in v for v in values) for key, values in querydict.lists())


def request_has_nul(request) -> bool:
    if NUL in request.path or _query_has_nul(request.GET):
        return True
    content_type = request.content_type or ""
    if request.method == "POST" and content_type in FORM_TYPES:
        return _query_has_nul(request.POST)
    if content_type in JSON_TYPES and request.method in ("POST", "PUT", "PATCH"):
        try:
            data = json.loads(request.body or b"null")
        except (ValueError, UnicodeDecodeError):
            return False  # not JSON: the view's parser says so
        return _has_nul(data)
    return False


class RejectNulMiddleware:
    """A 400 for a NUL character anywhere (after authentication, so the page can say it)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request_has_nul(request):
            message = _("The request contains a NUL character (\\0), which no text may hold.")
            if request.path.startswith(API_PREFIX):
                return JsonResponse(error_body("nul_character", message), status=400)
            html = render_to_string("400.html", {"message": message}, request=request)
            return HttpResponseBadRequest(html)
        return self.get_response(request)


class ApiErrorsAsJsonMiddleware:
    """Under /api/, an error answer that is not JSON (Django's 404 for a URL that does not
    exist, a 400 or 500 from outside DRF) becomes JSON with code and detail."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.path.startswith(API_PREFIX)
            and response.status_code >= 400
            and not _is_json(response)
        ):
            code, detail = ERRORS.get(response.status_code, ("error", response.reason_phrase))
            return JsonResponse(error_body(code, detail), status=response.status_code)
        return response


def _is_json(response) -> bool:
    return (response.get("Content-Type") or "").startswith("application/json")
