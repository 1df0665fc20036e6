"""The ministry's money pages: the budget dashboard, a fund's transactions, the decisions on
co-financing applications, and authority targets (which officers see for their authority).

Thin views: who may see a page comes from funding.permissions; every figure is an aggregate
query, so a page costs the same number of queries for ten transactions or ten thousand.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from calls.models import Call
from portal.exceptions import DomainError
from portal.models import Role
from portal.money import ZERO
from portal.permissions import can
from portal.selectors.identity import roles_of

from ..charts import FUND_COLOURS, fund_bar, funnel, swatch
from ..forms.cofinancing import RejectForm
from ..forms.ledger import TrajectoryFilter, TransactionFilter
from ..forms.targets import TargetForm
from ..models import AuthorityTarget, CoFinancingApplication, Fund
from ..selectors.budget import (
    applications_per_status,
    ezk_funds,
    fund_balances,
    fund_transactions,
    use_per_authority,
    use_per_instrument,
    use_per_mission,
    use_per_year,
)
from ..selectors.cofinancing import (
    applications_for_review,
    applications_with_call,
    recent_applications,
)
from ..selectors.targets import progress_of, targets_visible_to, targets_with_progress
from ..selectors.trajectories import (
    prefetch_missions,
    trajectories_of,
    trajectory_page_of_fund,
    trajectory_totals_per_fund,
)
from ..services.cofinancing import cofinancing_approve, cofinancing_reject
from ..services.targets import target_add

TRANSACTIONS_PER_PAGE = 50
TARGETS_PER_PAGE = 50
TRAJECTORIES_PER_PAGE = 25
AUTHORITIES_PER_PAGE = 25
RECENT_APPLICATIONS = 20
PAGE_SIZE = 25
TRAJECTORY_INSTRUMENTS = (Call.Instrument.SBIR, Call.Instrument.INNOVATION_PARTNERSHIP)


def _require(request, permission: str, obj=None) -> None:
    if not can(request.user, permission, obj):
        raise PermissionDenied


# --- Budget dashboard ----------------------------------------------------------------------


@login_required
def dashboard(request):
    _require(request, "funding.view_ledger")
    # EZK's budgets; the authorities' phase funds have their own page per call.
    balances = fund_balances(ezk_funds())
    recent = recent_applications(limit=RECENT_APPLICATIONS)
    filters = TrajectoryFilter(request.GET)
    authorities = Paginator(use_per_authority(), AUTHORITIES_PER_PAGE).get_page(
        request.GET.get("authority_page")
    )
    return render(
        request,
        "funding/dashboard.html",
        {
            "funds": [{"balance": balance, "chart": fund_bar(balance)} for balance in balances],
            "swatches": {kind: swatch(colour) for kind, colour in FUND_COLOURS.items()},
            "filters": filters,
            "trajectories": _trajectories_per_fund(request, balances, filters),
            "per_year": use_per_year(),
            "per_instrument": use_per_instrument(),
            "per_mission": use_per_mission(),
            "per_authority": authorities,
            "applications_per_status": applications_per_status(),
            "applications": recent,
        },
    )


def _trajectories_per_fund(request, balances, filters: TrajectoryFilter) -> list[dict]:
    """Per EZK fund the trajectories it co-finances, a page at a time (``<fund code>_page``),
    searched and sorted as chosen, with the totals of all of them and the funnel as a chart.

    The totals of every fund come from three grouped queries; each fund's page is one query
    (the number of EZK funds is that of cabinet periods, not of trajectories); the missions
    and figures of every page's trajectories are read together.
    """
    search, order = filters.choice()
    totals_of = trajectory_totals_per_fund([balance.fund for balance in balances])
    keep = {key: value for key, value in (("q", search), ("order", order)) if value}
    if keep.get("order") == "publication":
        del keep["order"]
    querystring = urlencode(keep)
    groups = []
    for balance in balances:
        fund = balance.fund
        totals = totals_of.get(fund.pk)
        if totals is None:
            continue
        parameter = f"{fund.code}_page"
        paginator = Paginator(
            trajectory_page_of_fund(fund, search=search, order=order), TRAJECTORIES_PER_PAGE
        )
        if not search:
            paginator.count = totals.count  # known from the totals: no count query
        page = paginator.get_page(request.GET.get(parameter))
        steps = [
            (_("Proposals received"), totals.responses),
            (_("Awarded in phase 1"), totals.feasibility),
            (_("Awarded in phase 2"), totals.prototype),
        ]
        groups.append(
            {
                "fund": fund,
                "calls": list(page.object_list),
                "count": totals.count,
                "page_obj": page,
                "page_parameter": parameter,
                "querystring_base": querystring,
                "granted": totals.granted,
                "paid": totals.paid,
                "steps": steps,
                "chart": funnel(
                    chart_id=f"funnel-{fund.pk}",
                    title=_("From proposal to award in the trajectories of %(fund)s")
                    % {"fund": fund.name},
                    steps=steps,
                ),
            }
        )
    shown = [call for group in groups for call in group["calls"]]
    prefetch_missions(shown)
    figures = {trajectory.call.pk: trajectory for trajectory in trajectories_of(shown)}
    for group in groups:
        fund = group["fund"]
        group["rows"] = [
            {
                "trajectory": figures[call.pk],
                "granted": figures[call.pk].granted_per_fund.get(fund.pk, ZERO),
                "paid": figures[call.pk].paid_per_fund.get(fund.pk, ZERO),
            }
            for call in group.pop("calls")
        ]
    return groups


# --- A fund's transactions -----------------------------------------------------------------


@login_required
def transactions(request, fund_code: str):
    _require(request, "funding.view_ledger")
    fund = get_object_or_404(Fund, code=fund_code)
    filters = TransactionFilter(request.GET or None, fund=fund)
    records = fund_transactions(fund)
    chosen = {}
    if filters.is_valid():
        if filters.cleaned_data["kind"]:
            records = records.filter(kind=filters.cleaned_data["kind"])
            chosen["kind"] = filters.cleaned_data["kind"]
        if filters.cleaned_data["call"] is not None:
            records = records.filter(call__in=filters.cleaned_data["call"])
            chosen["call"] = request.GET["call"].strip()
    querystring = urlencode(chosen)
    page = Paginator(records, TRANSACTIONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "funding/transactions.html",
        {"fund": fund, "filters": filters, "page_obj": page, "querystring_base": querystring},
    )


# --- Authority targets ---------------------------------------------------------------------


@login_required
def targets(request):
    roles = roles_of(request.user)
    is_ministry = Role.MINISTRY_STAFF in roles
    if is_ministry or Role.PROCUREMENT_OFFICER in roles:
        visible = targets_visible_to(request.user, everything=is_ministry)
    else:
        raise PermissionDenied
    form = None
    if is_ministry:
        form = TargetForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                target_add(actor=request.user, data=form.cleaned_data)
            except DomainError as error:
                form.add_service_error(error)
            else:
                messages.success(request, _("The target is saved."))
                return redirect("funding:targets")
    elif request.method == "POST":
        raise PermissionDenied
    rows = targets_with_progress(visible.order_by("-year", "authority__name", "measure"))
    page = Paginator(rows, TARGETS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "funding/targets.html",
        {
            "page_obj": page,
            "rows": [progress_of(target) for target in page],
            "form": form,
            "measures": AuthorityTarget.Measure,
        },
    )


def _require_ministry_staff(request) -> None:
    if Role.MINISTRY_STAFF not in roles_of(request.user):
        raise PermissionDenied


@login_required
def review(request):
    _require_ministry_staff(request)
    applications = applications_for_review()
    page = Paginator(applications.order_by("submitted_at", "pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request, "cofinancing/review.html", {"page_obj": page, "reject_form": RejectForm()}
    )


def _application(pk: int) -> CoFinancingApplication:
    return get_object_or_404(applications_with_call(), pk=pk)


@login_required
@require_POST
def approve(request, pk: int):
    _require_ministry_staff(request)
    application = _application(pk)
    try:
        cofinancing_approve(
            application=application,
            actor=request.user,
            motivation=request.POST.get("motivation", ""),
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Co-financing of %(call)s is approved and committed.")
            % {"call": application.call.title},
        )
    return redirect("cofinancing:review")


@login_required
@require_POST
def reject(request, pk: int):
    _require_ministry_staff(request)
    application = _application(pk)
    form = RejectForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Motivate the decision."))
        return redirect("cofinancing:review")
    try:
        cofinancing_reject(
            application=application,
            actor=request.user,
            motivation=form.cleaned_data["motivation"],
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("The application for %(call)s is rejected.") % {"call": application.call.title},
        )
    return redirect("cofinancing:review")
