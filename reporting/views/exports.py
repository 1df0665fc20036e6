"""Exports for procurement officers (their own authority's data) and ministry staff: ask for
one, follow its progress, download it.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.exceptions import DomainError
from portal.files import file_response

from ..forms.exports import ExportForm
from ..models import Export
from ..rendering import exports
from ..selectors.jobs import recent_exports
from ..services.exports import export_check, export_kinds_for, export_request, export_retry

EXPORTS_SHOWN = 20
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- Exports --------------------------------------------------------------------------------


@login_required
def export_list(request):
    kinds = export_kinds_for(request.user)
    if not kinds:
        raise PermissionDenied
    form = ExportForm(request.POST or None, kinds=kinds)
    if request.method == "POST" and form.is_valid():
        kind, file_format = form.cleaned_data["kind"], form.cleaned_data["file_format"]
        csv_dialect = form.cleaned_data["csv_dialect"]
        export_check(
            actor=request.user, kind=kind, file_format=file_format, csv_dialect=csv_dialect
        )
        if exports.count_rows(kind=kind, user=request.user) <= settings.EXPORT_INLINE_MAX_ROWS:
            # Small enough to build while the person waits: the download starts right away.
            built = exports.build(
                kind=kind, file_format=file_format, csv_dialect=csv_dialect, user=request.user
            )
            response = HttpResponse(built.content, content_type=built.content_type)
            response["Content-Disposition"] = f'attachment; filename="{built.filename}"'
            response["Cache-Control"] = "private, no-store"
            return response
        export, created = export_request(
            actor=request.user, kind=kind, file_format=file_format, csv_dialect=csv_dialect
        )
        if not created:
            messages.info(request, _("This export is already being made: here it is."))
        return redirect("reporting:export", pk=export.pk)
    recent = recent_exports(request.user, limit=EXPORTS_SHOWN)
    return render(request, "reporting/exports.html", {"form": form, "exports": recent})


def _export(request, pk: int) -> Export:
    # Only the person who asked sees an export: it holds what their roles allowed then.
    return get_object_or_404(Export, pk=pk, requested_by=request.user)


@login_required
def export_detail(request, pk: int):
    return render(request, "reporting/export.html", {"job": _export(request, pk)})


@login_required
def export_status(request, pk: int):
    record = _export(request, pk)
    if not request.headers.get("HX-Request"):
        return redirect("reporting:export", pk=record.pk)
    return render(request, "reporting/_job_status.html", {"job": record})


@login_required
def export_download(request, pk: int):
    record = _export(request, pk)
    if record.status != Export.Status.DONE or not record.file:
        raise Http404
    content_type = XLSX if record.format == Export.Format.XLSX else "text/csv; charset=utf-8"
    return file_response(
        record.file,
        filename=record.file.name.rsplit("/", 1)[-1],
        content_type=content_type,
        as_attachment=True,
    )


@login_required
@require_POST
def export_retry_view(request, pk: int):
    record = _export(request, pk)
    try:
        export_retry(export=record, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The export is being made again."))
    return redirect("reporting:export", pk=record.pk)
