"""The progress report for parliament: its figures, its HTML and its PDF (WeasyPrint)."""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from funding.charts import fund_bar
from funding.models import Fund
from funding.selectors.purchases import purchases_in
from funding.selectors.trajectories import add_awarded_companies, supported_trajectories
from portal.money import ZERO

from ..models import ParliamentReport
from ..selectors.period import (
    PHASE_KINDS,
    company_shares,
    contracts_per_phase_kind,
    mission_totals,
    money_in_period,
    trajectories_at_end,
)
from ..selectors.report import fund_positions, targets_in, use_over_time
from . import charts

Progress = Callable[[int, str], None]


@dataclass(frozen=True)
class RenderedReport:
    pdf: bytes
    pages: int


def report_context(report: ParliamentReport, progress: Progress) -> dict:
    """Everything the template shows, read in a fixed number of queries."""
    until = report.period_end
    start = report.period_start
    progress(10, "ledger")
    positions = fund_positions(until)
    ezk = [position for position in positions if position.fund.kind == Fund.Kind.EZK]
    ezk_funds = [position.fund for position in ezk]
    progress(30, "trajectories")
    trajectories = supported_trajectories(until)
    calls = [t.call for t in trajectories]
    at_end = trajectories_at_end(calls, until)
    for trajectory in trajectories:
        trajectory.at_end = at_end[trajectory.call.pk]
    highlighted_pks = set(report.highlighted_calls.values_list("pk", flat=True))
    highlighted = [t for t in trajectories if t.call.pk in highlighted_pks]
    if not highlighted:
        # Without a choice, the cases that went furthest: most prototypes, then feasibility.
        def reached(t) -> tuple[int, int, int]:
            counts = t.at_end.contracts
            first = counts.get("feasibility", 0) + counts.get("rd", 0)
            later = sum(counts.values()) - first
            return (-later, -first, t.call.pk)

        ranked = sorted(trajectories, key=reached)
        highlighted = [t for t in ranked if t.at_end.contracts][:3]
    add_awarded_companies(highlighted)
    phase_counts = contracts_per_phase_kind(calls, start, until)
    applicants, winners = company_shares(calls, start, until)
    purchases = list(purchases_in(start, until))
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
        "responses": sum(t.at_end.responses for t in trajectories),
    }
    missions = mission_totals(ezk_funds, until)
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
        "missions": missions,
        "per_mission": [(label, amount) for label, amount, _shared in missions.rows],
        "phase_counts": phase_counts,
        "phase_kinds": PHASE_KINDS,
        "in_period": money_in_period(ezk_funds, start, until),
        "applicants": applicants,
        "winners": winners,
        "purchases": purchases,
        "purchases_total": sum((p.amount for p in purchases), ZERO),
        "fictitious": any(t.call.fictitious for t in trajectories),
        "use_chart": charts.use_over_time(
            use_over_time(ezk_funds, until, since=start), appropriated
        ),
        "mission_chart": charts.per_mission(
            [(label, amount) for label, amount, _shared in missions.rows]
        ),
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
