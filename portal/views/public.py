"""Pages for everyone: the home page, the accessibility statement, the health check, the icon."""

from django.contrib.staticfiles import finders
from django.http import FileResponse, Http404, JsonResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView

from ..health import check_database
from ..hooks import home_sections


def health(request):
    """Liveness for load balancers and container healthchecks: the database answers."""
    database = check_database()
    return JsonResponse(
        {"status": "ok" if database.ok else "error"}, status=200 if database.ok else 503
    )


@require_safe
@cache_control(public=True, max_age=7 * 24 * 3600)
def favicon(request):
    """Browsers ask for /favicon.ico whatever a page links to; answer with the real icon.

    Found like any static file, so an operator's EXTRA_STATIC_DIR may hold its own.
    """
    path = finders.find("img/favicon.ico")
    if path is None:
        raise Http404
    return FileResponse(open(path, "rb"), content_type="image/vnd.microsoft.icon")


class HomeView(TemplateView):
    template_name = "portal/home.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "sections": self.sections()}

    def sections(self) -> list[dict]:
        return home_sections(self.request)


class AccessibilityStatementView(TemplateView):
    template_name = "portal/accessibility.html"
