"""An innovation partnership's pages after the initial tenders: the officer's negotiation
rounds and the partners' phases (targets, go/no-go, purchase), and the tenderer's and the
partner's own pages.

Only for the call's officers, or for the tenderer/partner itself; anyone else gets a 404,
and an anonymous visitor goes to the login page. Revised tenders stay sealed until their
round's deadline: the officer's page opens the round on the first visit after it.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from calls.models import Call
from portal.exceptions import DomainError
from portal.files import file_response
from portal.permissions import can

from ..forms.partnership import (
    DecisionForm,
    PlanForm,
    PurchaseForm,
    ReportForm,
    RoundForm,
    TenderVersionForm,
    targets_as_text,
)
from ..models import PhasePlan
from ..selectors.negotiation import (
    contract_with_plans,
    latest_versions,
    partnership_contracts,
    phases_of_call,
    plan_with_contract,
    proposal_with_call,
    round_versions_for_officer,
    round_with_phase,
    rounds_for_tender,
    rounds_of_phase,
    target_report_of,
    tender_versions_for_committee,
    version_of,
)
from ..selectors.opening import phase_is_opened
from ..services.negotiation import (
    negotiation_problem,
    round_open_if_due,
    round_start,
    tender_revise,
)
from ..services.partnership import (
    partnership_decide,
    partnership_plan_set,
    partnership_purchase,
    partnership_report,
)

IP = Call.Instrument.INNOVATION_PARTNERSHIP


def _on_form(form, error: DomainError) -> None:
    field = error.code if error.code in form.fields else None
    form.add_error(field, ValidationError(error.message, code=error.code))


def _ip_or_404(call: Call) -> None:
    if call.instrument != IP:
        raise Http404


def _phase_for_officer(request, phase_pk: int):
    from calls.selectors.calls import phases_with_call

    phase = phases_with_call().filter(pk=phase_pk).first()
    if phase is None or not can(request.user, "proposals.negotiate", phase):
        raise Http404
    _ip_or_404(phase.call)
    return phase


def _contract_for_officer(request, contract_pk: int):
    contract = contract_with_plans(contract_pk)
    if contract is None or not can(request.user, "proposals.manage_partnership", contract):
        raise Http404
    _ip_or_404(contract.proposal.call)
    return contract


def _plan_for_officer(request, plan_pk: int):
    plan = plan_with_contract(plan_pk)
    if plan is None or not can(request.user, "proposals.manage_partnership", plan.contract):
        raise Http404
    return plan


def _own_tender(request, pk: int):
    proposal = proposal_with_call(pk)
    if proposal is None or not can(request.user, "proposals.view_proposal", proposal):
        raise Http404
    from ..permissions import is_company_member

    if not is_company_member(request.user, proposal.company_id):
        raise Http404
    _ip_or_404(proposal.call)
    return proposal


# --- The officer: negotiation rounds ----------------------------------------------------------


@login_required
def officer_negotiation(request, phase_pk: int):
    """The rounds of a phase, and the form to send the next one to every tenderer."""
    phase = _phase_for_officer(request, phase_pk)
    form = RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            round_ = round_start(
                phase=phase,
                actor=request.user,
                points=form.cleaned_data["points"],
                deadline=form.cleaned_data["deadline"],
                final=form.cleaned_data["final"],
            )
        except DomainError as error:
            _on_form(form, error)
        else:
            messages.success(
                request,
                _("Round %(number)d is sent to every tenderer at the same moment.")
                % {"number": round_.number},
            )
            return redirect("proposals:officer_round", round_pk=round_.pk)
    context = {
        "phase": phase,
        "call": phase.call,
        "rounds": rounds_of_phase(phase),
        "problem": negotiation_problem(phase) if phase_is_opened(phase) else None,
        "opened": phase_is_opened(phase),
        "minimum_requirements": phase.call.minimum_requirements,
        "form": form,
    }
    return render(request, "proposals/partnership/officer_negotiation.html", context)


@login_required
@require_GET
def officer_round(request, round_pk: int):
    round_ = round_with_phase(round_pk)
    if round_ is None or not can(request.user, "proposals.negotiate", round_.phase):
        raise Http404
    round_open_if_due(round=round_, actor=request.user)
    context = {
        "round": round_,
        "phase": round_.phase,
        "call": round_.phase.call,
        "recipients": list(round_.recipients.all()),
        "versions": round_versions_for_officer(round_),
    }
    return render(request, "proposals/partnership/officer_round.html", context)


def _committee_reads(request, version) -> bool:
    if not can(request.user, "proposals.view_opening", version.round.phase):
        return False
    final, history = tender_versions_for_committee(version.proposal)
    return version in ([final] if final else []) + history


@login_required
@require_GET
def version_document(request, version_pk: int):
    """A revised tender's PDF: for its company always, for the officer once opened, for the
    phase's committee the final tender (and the earlier versions if the call allows)."""
    version = version_of(version_pk)
    if version is None or not version.document:
        raise Http404
    from ..permissions import is_company_member

    own = is_company_member(request.user, version.proposal.company_id)
    officer = can(request.user, "proposals.negotiate", version.round.phase)
    if not (own or (officer and version.round.is_opened) or _committee_reads(request, version)):
        raise Http404
    return file_response(version.document, filename=version.document_name or "tender.pdf")


# --- The tenderer: rounds and revised tenders -------------------------------------------------


@login_required
def tender_negotiation(request, pk: int):
    proposal = _own_tender(request, pk)
    rounds = rounds_for_tender(proposal)
    current = next((r for r in rounds if r.accepts_tenders), None)
    form = TenderVersionForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if current is None:
            raise Http404
        if form.is_valid():
            try:
                version = tender_revise(
                    round=current,
                    proposal=proposal,
                    actor=request.user,
                    changes=form.cleaned_data["changes"],
                    price=form.cleaned_data["price"],
                    upload=form.cleaned_data.get("document"),
                )
            except DomainError as error:
                _on_form(form, error)
            else:
                messages.success(
                    request,
                    _(
                        "Version %(number)d of your tender is received; it stays sealed until "
                        "the deadline."
                    )
                    % {"number": version.number},
                )
                return redirect("proposals:tender_negotiation", pk=proposal.pk)
    context = {
        "proposal": proposal,
        "call": proposal.call,
        "rounds": rounds,
        "current": current,
        "may_revise": current is not None
        and can(request.user, "proposals.revise_tender", proposal),
        "form": form,
    }
    return render(request, "proposals/partnership/tender_negotiation.html", context)


# --- The officer: the partners' phases --------------------------------------------------------


@login_required
@require_GET
def officer_partnership(request, contract_pk: int):
    contract = _contract_for_officer(request, contract_pk)
    call = contract.proposal.call
    plans = {plan.phase_id: plan for plan in contract.phase_plans.all()}
    rows = [
        {"phase": phase, "plan": plans.get(phase.pk)}
        for phase in phases_of_call(call.pk)
        if phase.order >= contract.proposal.phase.order
    ]
    context = {
        "contract": contract,
        "proposal": contract.proposal,
        "call": call,
        "rows": rows,
        "partners": partnership_contracts(call.pk),
        "final_tender": latest_versions(contract.proposal.phase).get(contract.proposal_id),
    }
    return render(request, "proposals/partnership/officer_partnership.html", context)


@login_required
def officer_plan(request, contract_pk: int, phase_pk: int):
    contract = _contract_for_officer(request, contract_pk)
    phase = phases_of_call(contract.proposal.call_id).filter(pk=phase_pk).first()
    if phase is None:
        raise Http404
    plan = next((p for p in contract.phase_plans.all() if p.phase_id == phase.pk), None)
    initial = {}
    if plan is not None:
        initial = {"max_cost": plan.max_cost, "targets": targets_as_text(plan)}
    elif phase.pk == contract.proposal.phase_id:
        initial = {"max_cost": contract.amount}
    form = PlanForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            partnership_plan_set(
                contract=contract,
                phase=phase,
                actor=request.user,
                max_cost=form.cleaned_data["max_cost"],
                targets=form.cleaned_data["targets"],
            )
        except DomainError as error:
            _on_form(form, error)
        else:
            messages.success(request, _("The phase of the partnership is recorded."))
            return redirect("proposals:officer_partnership", contract_pk=contract.pk)
    context = {
        "contract": contract,
        "proposal": contract.proposal,
        "call": contract.proposal.call,
        "phase": phase,
        "form": form,
    }
    return render(request, "proposals/partnership/officer_plan.html", context)


def _plan_context(plan: PhasePlan, form) -> dict:
    """What every page about one phase of a partner's contract shows around its form."""
    return {
        "plan": plan,
        "contract": plan.contract,
        "proposal": plan.contract.proposal,
        "call": plan.contract.proposal.call,
        "form": form,
    }


@login_required
def officer_plan_decide(request, plan_pk: int):
    plan = _plan_for_officer(request, plan_pk)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            partnership_decide(
                plan=plan, actor=request.user, go=form.go, reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            _on_form(form, error)
        else:
            messages.success(request, _("The decision is recorded; the ledger follows it."))
            return redirect("proposals:officer_partnership", contract_pk=plan.contract_id)
    context = _plan_context(plan, form)
    return render(request, "proposals/partnership/officer_decide.html", context)


@login_required
def officer_plan_purchase(request, plan_pk: int):
    plan = _plan_for_officer(request, plan_pk)
    form = PurchaseForm(request.POST or None, initial={"amount": plan.max_cost})
    if request.method == "POST" and form.is_valid():
        try:
            partnership_purchase(plan=plan, actor=request.user, **form.cleaned_data)
        except DomainError as error:
            _on_form(form, error)
        else:
            messages.success(request, _("The purchase is recorded as a follow-up purchase."))
            return redirect("proposals:officer_partnership", contract_pk=plan.contract_id)
    context = _plan_context(plan, form)
    return render(request, "proposals/partnership/officer_purchase.html", context)


@login_required
@require_GET
def target_evidence(request, report_pk: int):
    report = target_report_of(report_pk)
    if report is None or not can(request.user, "proposals.view_plan", report.target.plan):
        raise Http404
    return file_response(report.evidence, filename=report.evidence_name)


# --- The partner: its phases and reports -------------------------------------------------------


@login_required
@require_GET
def partnership(request, pk: int):
    proposal = _own_tender(request, pk)
    contract = getattr(proposal, "contract", None)
    if contract is None:
        raise Http404
    contract = contract_with_plans(contract.pk)
    context = {
        "proposal": proposal,
        "call": proposal.call,
        "contract": contract,
        "plans": list(contract.phase_plans.all()) if contract else [],
    }
    return render(request, "proposals/partnership/partner.html", context)


@login_required
def plan_report(request, plan_pk: int):
    plan = plan_with_contract(plan_pk)
    if plan is None or not can(request.user, "proposals.report_targets", plan):
        raise Http404
    form = ReportForm(request.POST or None, request.FILES or None, targets=plan.targets.all())
    if request.method == "POST" and plan.awaits_report and form.is_valid():
        try:
            partnership_report(plan=plan, actor=request.user, results=form.results())
        except DomainError as error:
            _on_form(form, error)
        else:
            messages.success(
                request, _("Your report is sent; the contracting authority decides go or no-go.")
            )
            return redirect("proposals:partnership", pk=plan.contract.proposal_id)
    context = {
        **_plan_context(plan, form),
        "back": reverse("proposals:partnership", kwargs={"pk": plan.contract.proposal_id}),
    }
    return render(request, "proposals/partnership/report.html", context)
