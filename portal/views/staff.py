"""The portal administrator's pages: the audit trail and the system status."""

from django import forms
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from ..forms.base import FilterForm
from ..health import system_status
from ..selectors.audit import add_change_display, audit_entries, audited_content_types


class AuditTrailFilterForm(FilterForm):
    model = forms.IntegerField(
        required=False,
        min_value=1,
        error_messages={
            "invalid": _("Choose a record type from the list."),
            "min_value": _("Choose a record type from the list."),
        },
    )
    actor = forms.CharField(
        required=False,
        max_length=254,
        error_messages={"max_length": _("An e-mail address has at most 254 characters.")},
    )


def _record_type(content_type: ContentType) -> str:
    """The record's kind as people call it (its verbose name), e.g. "Oproep", not "call"."""
    model = content_type.model_class()
    if model is None:  # a model that no longer exists
        return content_type.model
    return str(capfirst(model._meta.verbose_name))


class AuditTrailView(PermissionRequiredMixin, TemplateView):
    permission_required = "portal.view_audit_trail"
    template_name = "portal/audit_trail.html"
    paginate_by = 50

    def get(self, request, *args, **kwargs):
        context = self.get_context_data(**kwargs)
        status = 400 if context["filter_errors"] else 200
        return self.render_to_response(context, status=status)

    def get_context_data(self, **kwargs):
        filters = AuditTrailFilterForm(self.request.GET)
        errors = []
        if filters.is_valid():
            model = filters.cleaned_data["model"]
            actor = filters.cleaned_data["actor"]
        else:
            # Bad input is said, and the list shown unfiltered (400).
            errors = [error for field in filters.errors.values() for error in field]
            model, actor = None, ""
        entries = audit_entries(content_type_id=model, actor_email=actor)
        page = Paginator(entries, self.paginate_by).get_page(self.request.GET.get("page"))
        for entry in page:
            entry.record_type = _record_type(entry.content_type)
        add_change_display(page)
        types = audited_content_types()
        models = [(content_type.pk, _record_type(content_type)) for content_type in types]
        return {
            **super().get_context_data(**kwargs),
            "page_obj": page,
            "models": sorted(models, key=lambda m: m[1]),
            "selected_model": "" if model is None else str(model),
            "actor": actor,
            "filter_errors": errors,
        }


class SystemStatusView(PermissionRequiredMixin, TemplateView):
    permission_required = "portal.view_system_status"
    template_name = "portal/system_status.html"

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "status": system_status(),
        }
