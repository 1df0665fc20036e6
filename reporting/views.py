"""Pages for parliament reports (ministry staff) and exports (ministry staff and officers).

A job's page shows its progress: with JavaScript, htmx fetches the status fragment every two
seconds; without it, the page refreshes itself while the job runs. Both stop once it is done.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.exceptions import DomainError
from portal.files import file_response

from . import exports
from .forms import ExportForm, ReportRequestForm
from .models import Export, ParliamentReport
from .services import (
    export_check,
    export_kinds_for,
    export_request,
    export_retry,
    report_request,
    report_retry,
)

REPORTS_PER_PAGE = 25
EXPORTS_SHOWN = 20
PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _require(request, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise PermissionDenied


# --- Parliament reports ---------------------------------------------------------------------


@login_required
def reports(request):
    _require(request, "reporting.view_report")
    can_generate = request.user.has_perm("reporting.generate_report")
    form = ReportRequestForm(request.POST or None) if can_generate else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                report, created = report_request(
                    actor=request.user,
                    period_start=data["period_start"],
                    period_end=data["period_end"],
                    language=data["language"],
                    highlighted=list(data["highlighted"]),
                    regenerate=data["regenerate"],
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                if not created:
                    messages.info(request, _("This report was already asked for: here it is."))
                return redirect("reporting:report", pk=report.pk)
    records = ParliamentReport.objects.select_related("requested_by").order_by("-created_at")
    page = Paginator(records, REPORTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "reporting/reports.html", {"form": form, "page_obj": page})


def _report(request, pk: int) -> ParliamentReport:
    _require(request, "reporting.view_report")
    return get_object_or_404(ParliamentReport.objects.select_related("requested_by"), pk=pk)


@login_required
def report(request, pk: int):
    record = _report(request, pk)
    return render(request, "reporting/report.html", {"job": record, "report": record})


@login_required
def report_status(request, pk: int):
    """The status fragment htmx polls; the whole page for a browser without JavaScript."""
    record = _report(request, pk)
    if not request.headers.get("HX-Request"):
        return redirect("reporting:report", pk=record.pk)
    return render(request, "reporting/_job_status.html", {"job": record, "report": record})


@login_required
def report_download(request, pk: int):
    record = _report(request, pk)
    if record.status != ParliamentReport.Status.DONE or not record.file:
        raise Http404
    return file_response(
        record.file, filename=record.file.name.rsplit("/", 1)[-1], content_type=PDF
    )


@login_required
@require_POST
def report_retry_view(request, pk: int):
    record = _report(request, pk)
    try:
        report_retry(report=record, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The report is being made again."))
    return redirect("reporting:report", pk=record.pk)


# --- Exports --------------------------------------------------------------------------------


@login_required
def export_list(request):
    kinds = export_kinds_for(request.user)
    if not kinds:
        raise PermissionDenied
    form = ExportForm(request.POST or None, kinds=kinds)
    if request.method == "POST" and form.is_valid():
        kind, file_format = form.cleaned_data["kind"], form.cleaned_data["file_format"]
        export_check(actor=request.user, kind=kind, file_format=file_format)
        if exports.count_rows(kind=kind, user=request.user) <= settings.EXPORT_INLINE_MAX_ROWS:
            # Small enough to build while the person waits: the download starts right away.
            built = exports.build(kind=kind, file_format=file_format, user=request.user)
            response = HttpResponse(built.content, content_type=built.content_type)
            response["Content-Disposition"] = f'attachment; filename="{built.filename}"'
            response["Cache-Control"] = "private, no-store"
            return response
        export, created = export_request(actor=request.user, kind=kind, file_format=file_format)
        if not created:
            messages.info(request, _("This export is already being made: here it is."))
        return redirect("reporting:export", pk=export.pk)
    recent = Export.objects.filter(requested_by=request.user).order_by("-created_at")[
        :EXPORTS_SHOWN
    ]
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
