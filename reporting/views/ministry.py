"""Pages for parliament reports (ministry staff) and exports (ministry staff and officers).

A job's page shows its progress: with JavaScript, htmx fetches the status fragment every two
seconds; without it, the page refreshes itself while the job runs. Both stop once it is done.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.exceptions import DomainError
from portal.files import file_response
from portal.permissions import can

from ..forms.reports import ReportRequestForm
from ..models import ParliamentReport
from ..selectors.jobs import parliament_reports
from ..services.reports import report_request, report_retry

REPORTS_PER_PAGE = 25
PDF = "application/pdf"


def _require(request, permission: str) -> None:
    if not can(request.user, permission):
        raise PermissionDenied


# --- Parliament reports ---------------------------------------------------------------------


@login_required
def reports(request):
    _require(request, "reporting.view_report")
    can_generate = can(request.user, "reporting.generate_report")
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
                    signatory_name=data["signatory_name"],
                    signatory_title=data["signatory_title"],
                    reference=data["reference"],
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                if not created:
                    messages.info(request, _("This report was already asked for: here it is."))
                return redirect("reporting:report", pk=report.pk)
    records = parliament_reports().order_by("-created_at")
    page = Paginator(records, REPORTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "reporting/reports.html", {"form": form, "page_obj": page})


def _report(request, pk: int) -> ParliamentReport:
    _require(request, "reporting.view_report")
    return get_object_or_404(parliament_reports(), pk=pk)


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
