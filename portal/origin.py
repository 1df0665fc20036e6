"""Absolute links: to where the current request came from, else to ``SITE_URL``.

A page knows the address it was asked on (any host, any port); a Celery task does not. The
middleware keeps the request's origin while the request is answered, and every task sent
meanwhile (on commit of the request's transaction) carries it in a message header, so that the
e-mail a request causes links back to where that request came from. Work without a request
(beat's schedule, a management command) uses ``SITE_URL``.
"""

from contextvars import ContextVar

from django.conf import settings

_origin: ContextVar[str | None] = ContextVar("request_origin", default=None)
HEADER = "portal_origin"


def site_url() -> str:
    """Scheme, host and port of the portal, without a trailing slash."""
    return (_origin.get() or settings.SITE_URL).rstrip("/")


def absolute_url(path: str) -> str:
    if path.startswith(("http://", "https://")):
        return path
    return site_url() + path


class RequestOriginMiddleware:
    """After CommonMiddleware, so that a host outside ALLOWED_HOSTS never gets here."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _origin.set(f"{request.scheme}://{request.get_host()}")
        try:
            return self.get_response(request)
        finally:
            _origin.reset(token)


# Celery signal handlers, connected in portal/celery.py.


def carry_origin(headers: dict | None = None, **kwargs) -> None:
    """before_task_publish: a task sent while a request is answered takes its origin along."""
    origin = _origin.get()
    if origin and headers is not None:
        headers[HEADER] = origin


def restore_origin(task=None, **kwargs) -> None:
    """task_prerun: a worker's task links to the origin it was sent from, or to SITE_URL.

    In-process (eager) the task runs inside the request itself, which already set it.
    """
    if task is not None and not task.request.is_eager:
        _origin.set(getattr(task.request, HEADER, None))
