"""Pages for everyone: the home page, the accessibility statement, the health check."""

from django.http import JsonResponse
from django.views.generic import TemplateView

from ..health import check_database
from ..hooks import home_sections


def health(request):
    """Liveness for load balancers and container healthchecks: the database answers."""
    database = check_database()
    return JsonResponse(
        {"status": "ok" if database.ok else "error"}, status=200 if database.ok else 503
    )


class HomeView(TemplateView):
    template_name = "portal/home.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "sections": self.sections()}

    def sections(self) -> list[dict]:
        return home_sections(self.request)


class AccessibilityStatementView(TemplateView):
    template_name = "portal/accessibility.html"
