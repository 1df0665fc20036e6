"""The progress report for parliament: its figures, its HTML and its PDF (WeasyPrint)."""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from funding.charts import fund_bar
from funding.models import Fund
from funding.selectors.trajectories import add_awarded_companies, supported_trajectories
from portal.money import ZERO

from ..models import ParliamentReport
from ..selectors.report import fund_positions, targets_in, use_over_time, use_per_mission
from . import charts

Progress = Callable[[int, str], None]


@dataclass(frozen=True)
class RenderedReport:
    pdf: bytes
    pages: int


def report_context(report: ParliamentReport, progress: Progress) -> dict:
    """Everything the template shows, read in a fixed number of queries."""
    until = report.period_end
    progress(10, "ledger")
    positions = fund_positions(until)
    ezk = [position for position in positions if position.fund.kind == Fund.Kind.EZK]
    ezk_funds = [position.fund for position in ezk]
    progress(30, "trajectories")
    trajectories = supported_trajectories(until)
    highlighted_pks = set(report.highlighted_calls.values_list("pk", flat=True))
    highlighted = [t for t in trajectories if t.call.pk in highlighted_pks]
    if not highlighted:
        # Without a choice, the cases that went furthest: most prototypes, then feasibility.
        ranked = sorted(trajectories, key=lambda t: (-t.prototype, -t.feasibility, t.call.pk))
        highlighted = [t for t in ranked if t.feasibility][:3]
    add_awarded_companies(highlighted)
    targets = targets_in(report.period_start, until)
    progress(50, "charts")
    appropriated = sum((position.appropriated for position in ezk), ZERO)
    totals = {
        "appropriated": appropriated,
        "committed": sum((position.committed for position in ezk), ZERO),
        "paid": sum((position.paid for position in ezk), ZERO),
        "available": sum((position.available for position in ezk), ZERO),
        "trajectories": len(trajectories),
        "cofinanced": sum((t.ezk_amount for t in trajectories), ZERO),
        "responses": sum(t.responses for t in trajectories),
        "feasibility": sum(t.feasibility for t in trajectories),
        "prototype": sum(t.prototype for t in trajectories),
    }
    per_mission = use_per_mission(ezk_funds, until)
    # The authorities' own budgets are a fund per call phase: one line for all of them.
    own = [position for position in positions if position.fund.kind == Fund.Kind.AUTHORITY]
    return {
        "report": report,
        "made_at": timezone.now(),
        "positions": [{"position": position, "chart": fund_bar(position)} for position in ezk],
        "authority_funds": {
            "count": len(own),
            **{
                kind: sum((getattr(position, kind) for position in own), ZERO)
                for kind in ("appropriated", "committed", "paid", "available")
            },
        },
        "totals": totals,
        "used": totals["committed"] + totals["paid"],
        "trajectories": trajectories,
        "highlighted": highlighted,
        "targets": targets,
        "per_mission": per_mission,
        "use_chart": charts.use_over_time(use_over_time(ezk_funds, until), appropriated),
        "mission_chart": charts.per_mission(per_mission),
    }


def report_html(report: ParliamentReport, progress: Progress | None = None) -> str:
    progress = progress or (lambda percent, step: None)
    with translation.override(report.language):
        context = report_context(report, progress)
        return render_to_string("reporting/pdf/parliament_report.html", context)


def html_to_pdf(html: str) -> RenderedReport:
    """Lay out and write a tagged, accessible PDF (PDF/UA-1)."""
    from weasyprint import HTML

    document = HTML(string=html, base_url=str(settings.BASE_DIR)).render(pdf_variant="pdf/ua-1")
    return RenderedReport(pdf=document.write_pdf(pdf_variant="pdf/ua-1"), pages=len(document.pages))
