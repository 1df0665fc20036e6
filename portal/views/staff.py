"""The portal administrator's pages: the audit trail and the system status."""

from auditlog.models import LogEntry
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.utils.text import capfirst
from django.views.generic import TemplateView

from ..health import system_status
from ..selectors.audit import add_change_display


def _record_type(content_type: ContentType) -> str:
    """The record's kind as people call it (its verbose name), e.g. "Oproep", not "call"."""
    model = content_type.model_class()
    if model is None:  # a model that no longer exists
        return content_type.model
    return capfirst(model._meta.verbose_name)


class AuditTrailView(PermissionRequiredMixin, TemplateView):
    permission_required = "portal.view_audit_trail"
    template_name = "portal/audit_trail.html"
    paginate_by = 50

    def get_context_data(self, **kwargs):
        entries = LogEntry.objects.select_related("actor", "content_type").order_by("-timestamp")
        model = self.request.GET.get("model", "")
        if model.isdigit():
            entries = entries.filter(content_type_id=int(model))
        actor = self.request.GET.get("actor", "").strip()
        if actor:
            entries = entries.filter(actor__email__icontains=actor)
        page = Paginator(entries, self.paginate_by).get_page(self.request.GET.get("page"))
        for entry in page:
            entry.record_type = _record_type(entry.content_type)
        add_change_display(page)
        types = ContentType.objects.filter(
            pk__in=LogEntry.objects.order_by().values("content_type").distinct()
        )
        models = [(content_type.pk, _record_type(content_type)) for content_type in types]
        return {
            **super().get_context_data(**kwargs),
            "page_obj": page,
            "models": sorted(models, key=lambda m: m[1]),
            "selected_model": model,
            "actor": actor,
        }


class SystemStatusView(PermissionRequiredMixin, TemplateView):
    permission_required = "portal.view_system_status"
    template_name = "portal/system_status.html"

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "status": system_status(),
        }
