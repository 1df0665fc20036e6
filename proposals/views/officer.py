"""The procurement officer's pages: a call's proposals, a phase's committee, decisions, contracts.

Every page is only for the officers of the call's authority; anyone else gets a 404, so
nobody learns what exists (an anonymous visitor is sent to the login page first). Views stay
thin: they find the object, ask the permission rule, validate the form and call a service.
A service's refusal (a DomainError) goes back on the form with everything that was typed,
or into a message: never a 500.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from calls.models import Call, Phase
from calls.selectors.calls import (
    calls_with_authority,
    phases_with_call,
    prize_of_phase,
    prizes_of_phase,
)
from calls.services.lifecycle import phase_deadline_set
from portal.confirm import Confirmation, confirmation_page, is_confirmed, is_revision
from portal.exceptions import DomainError
from portal.files import file_response
from portal.permissions import can
from portal.templatetags.portal import euro

from ..forms.officer import (
    AssignmentForm,
    AssignmentWithdrawForm,
    CommitteeForm,
    ContractEndForm,
    DecisionForm,
    DeputyChairForm,
    ExpertInviteForm,
    MemberAddForm,
    MemberRemoveForm,
    PhaseDeadlineForm,
    PrizeWithholdForm,
    ProposalFilterForm,
    ReviewForm,
    prize_label,
)
from ..models import (
    Assessment,
    CommitteeMember,
    Contract,
    Decision,
    Deliverable,
    Proposal,
)
from ..selectors.assessment import (
    active_assignments_of_phase,
    active_members_of_phase,
    advice_of,
    advice_selects,
    committee_exists,
    committee_matrix,
    committee_members_with_counts,
    committee_of,
    open_assignments_of,
    phase_advice,
    removed_members_of,
)
from ..selectors.capacity import phase_capacity
from ..selectors.contracts import (
    contract_of,
    contracts_for_officer_with_milestones,
    contracts_with_proposal,
    deliverables_with_contract,
)
from ..selectors.decisions import (
    intended_decision_counts,
    objections_of_phase,
    open_reassessment_of_phase,
    standing_decision,
    standing_decisions_by_proposal,
    standstill_end_of_phase,
)
from ..selectors.letters import letters_of_phase, prize_lines
from ..selectors.opening import phase_is_opened
from ..selectors.proposals import proposals_for_officer, status_counts, submitted_proposals
from ..selectors.ranking import Ranking, ranked_by_number
from ..services.assessment import (
    assessment_open,
    assignment_add,
    assignment_withdraw,
    assignments_balance,
    committee_create,
    committee_deputy_designate,
    committee_invite_expert,
    committee_member_add,
    committee_member_remove,
)
from ..services.decisions import (
    contract_complete,
    contract_terminate,
    deliverable_review,
    prize_withhold,
    proposal_award,
    proposal_award_check,
    proposal_reject,
    proposal_reject_check,
    standstill_days_for,
)
from ..services.opening import phase_open_if_due
from ..services.submission import phase_deadline

PAGE_SIZE = 25
PHASE_ROWS_PER_PAGE = 50
# Service refusals that belong to one field of the decision form.
DECISION_ERROR_FIELDS = {
    "motivation": "motivation",
    "amount": "amount",
    "budget": "amount",
    "prize_taken": "prize",
    "prize_withheld": "prize",
}


# --- Finding the object, or a 404 --------------------------------------------------------------


def _require_manages(request, call: Call) -> None:
    if not can(request.user, "calls.manage_call", call):
        raise Http404


def _managed_call(request, call_pk: int) -> Call:
    call = get_object_or_404(calls_with_authority(), pk=call_pk)
    _require_manages(request, call)
    return call


def _managed_phase(request, phase_pk: int) -> Phase:
    phase = get_object_or_404(phases_with_call(), pk=phase_pk)
    _require_manages(request, phase.call)
    return phase


def _managed_proposal(request, pk: int) -> Proposal:
    """A submitted (never draft) proposal of a call this person manages, once its phase's
    deadline has passed (sealed until then)."""
    proposal = get_object_or_404(submitted_proposals().opened(), pk=pk)
    _require_manages(request, proposal.call)
    return proposal


def _managed_deliverable(request, deliverable_pk: int) -> Deliverable:
    deliverable = get_object_or_404(deliverables_with_contract(), pk=deliverable_pk)
    _require_manages(request, deliverable.contract.proposal.call)
    return deliverable


def _committee_of(request, phase: Phase):
    committee = committee_of(phase)
    if committee is None:
        messages.error(request, _("Set up the committee first."))
    return committee


def _put_on_form(form, error: DomainError, fields: dict[str, str] | None = None) -> None:
    """A service's refusal on the field it names (by its code), else on the whole form."""
    field = (fields or {}).get(error.code)
    if field is not None and field not in form.fields:
        field = None  # e.g. a contest's decision has no amount field
    if field is None and error.code in form.fields:
        field = error.code
    form.add_error(field, ValidationError(error.message, code=error.code))


def _committee_closed(request, phase: Phase, error: DomainError, anchor: str):
    """A committee change refused because the advice is signed: the page shows no form for it
    any more, so the refusal is a message on the page instead. None for any other refusal."""
    if error.code != "signed":
        return None
    messages.error(request, error.message)
    return redirect(_phase_url(phase, anchor))


def _phase_url(phase: Phase, anchor: str = "") -> str:
    url = reverse("proposals:officer_phase", kwargs={"phase_pk": phase.pk})
    return f"{url}#{anchor}" if anchor else url


# --- The proposals of a call -------------------------------------------------------------------


def _status_table(counts: dict, intended: dict) -> list[dict]:
    """How many came in (every submission, whatever became of it), then how many are in each
    state now: a submitted proposal moves on to "under assessment", so "submitted" alone
    would read 0 once the assessment started. Under assessment, how many of those have an
    intended decision: the proposal is awarded or rejected only once it is final."""
    received = {"value": "", "label": _("received"), "count": sum(counts.values())}
    labels = {
        Proposal.Status.SUBMITTED: _("waiting for the assessment"),
        Proposal.Status.AWARDED: _("awarded (final)"),
        Proposal.Status.REJECTED: _("rejected (final)"),
    }
    rows = [received]
    for value, label in Proposal.Status.choices:
        if value == Proposal.Status.DRAFT:
            continue
        rows.append(
            {
                "value": value,
                "label": labels.get(value, label),
                "count": counts.get(value, 0),
            }
        )
        if value == Proposal.Status.UNDER_ASSESSMENT:
            subs = [
                {
                    "value": "intended_award",
                    "label": _("of which an intended award"),
                    "count": intended.get(Decision.Kind.AWARD, 0),
                    "sub": True,
                },
                {
                    "value": "intended_rejection",
                    "label": _("of which an intended rejection"),
                    "count": intended.get(Decision.Kind.REJECTION, 0)
                    + intended.get(Decision.Kind.NOT_ELIGIBLE, 0),
                    "sub": True,
                },
            ]
            # A list of figures shows them as rows of their own, a table in this row's cell.
            rows[-1]["subs"] = subs
            rows += subs
    return rows


@login_required
def officer_proposals(request, call_pk: int):
    call = _managed_call(request, call_pk)
    phases = list(call.phases.all())
    filter_form = ProposalFilterForm(request.GET or None, phases=phases)
    filters = filter_form.filters()
    proposals = (
        proposals_for_officer(request.user)
        .filter(call=call, **filters)
        .select_related("contract")
        .order_by(*filter_form.order())
    )
    page = Paginator(proposals, PAGE_SIZE).get_page(request.GET.get("page"))
    # The intended decision, as the phase page shows it: the status changes only once final.
    standing = standing_decisions_by_proposal([proposal.pk for proposal in page])
    for proposal in page:
        proposal.decision = standing.get(proposal.pk)
    counts = status_counts(call=call)
    intended = intended_decision_counts(phase__call=call)
    # The pagination keeps the valid choices (the filters and the order).
    chosen = filter_form.cleaned_data if filter_form.is_valid() else {}
    query = {name: chosen[name] for name in ("phase", "status", "sort") if chosen.get(name)}
    context = {
        "call": call,
        "phases": [
            {
                "phase": phase,
                "statuses": _status_table(counts.get(phase.pk, {}), intended.get(phase.pk, {})),
                "deadline": phase_deadline(phase),
                "sealed": not phase_is_opened(phase),
            }
            for phase in phases
        ],
        "filter_form": filter_form,
        "is_filtered": bool(filters) or bool(chosen.get("sort")),
        "page_obj": page,
        "querystring_base": urlencode(query),
    }
    return render(request, "proposals/officer/proposals.html", context)


# --- A phase: the assessment set-up, the committee and the ranking ------------------------------


def _phase_page(request, phase: Phase, **bound_forms):
    """The phase's page; a form that was posted with errors comes back as it was typed."""
    call = phase.call
    deadline = phase_deadline(phase)
    counts = status_counts(phase=phase).get(phase.pk, {})
    committee = committee_of(phase)
    ranking = Ranking(phase)
    members: list[CommitteeMember] = []
    removed_members: list[CommitteeMember] = []
    matrix: list[dict] = []
    matrix_page = None
    advice = None
    selected: set[int] = set()
    if committee is not None:
        members = committee_members_with_counts(committee)
        removed_members = removed_members_of(committee)
        matrix_page = Paginator(ranked_by_number(phase), PHASE_ROWS_PER_PAGE).get_page(
            request.GET.get("matrix_page")
        )
        matrix = committee_matrix(
            committee=committee, members=members, proposals=list(matrix_page.object_list)
        )
        advice = advice_of(committee=committee)
        if advice is not None:
            selected = set(advice.selected.values_list("pk", flat=True))
    # Rank and matrix a page at a time: a phase may hold thousands of proposals.
    ranking_page = Paginator(ranking, PHASE_ROWS_PER_PAGE).get_page(request.GET.get("ranking_page"))
    standing = standing_decisions_by_proposal([row.proposal.pk for row in ranking_page.object_list])
    for row in ranking_page.object_list:
        row.decision = standing.get(row.proposal.pk)
    capacity = phase_capacity(phase, awarded=counts.get(Proposal.Status.AWARDED, 0))
    forms = {
        "committee_form": CommitteeForm() if committee is None else None,
        "member_form": MemberAddForm(committee=committee) if committee else None,
        "expert_form": ExpertInviteForm() if committee else None,
        "assign_form": AssignmentForm(committee=committee) if committee else None,
        "deputy_form": DeputyChairForm(committee=committee) if committee else None,
    }
    forms.update(bound_forms)
    context = {
        "deadline_form": PhaseDeadlineForm(
            initial={"deadline": timezone.localtime(phase.deadline) if phase.deadline else None}
        ),
        "call": call,
        "phase": phase,
        "deadline": deadline,
        "deadline_passed": deadline is not None and timezone.now() >= deadline,
        "sealed": not phase_is_opened(phase),
        "statuses": _status_table(counts, intended_decision_counts(phase=phase).get(phase.pk, {})),
        "submitted": counts.get(Proposal.Status.SUBMITTED, 0),
        "under_assessment": counts.get(Proposal.Status.UNDER_ASSESSMENT, 0),
        "committee": committee,
        "members": members,
        "removed_members": removed_members,
        "matrix": matrix,
        "matrix_page": matrix_page,
        "ranking": ranking_page.object_list,
        "ranking_page": ranking_page,
        # Each pagination keeps the page the other one shows.
        "ranking_query": _other_page("matrix_page", matrix_page),
        "matrix_query": _other_page("ranking_page", ranking_page),
        "ranked": ranking_page.paginator.count,
        "advice": advice,
        "selected": selected,
        "standstill_end": standstill_end_of_phase(phase),
        "objections": objections_of_phase(phase),
        "reassessment": open_reassessment_of_phase(phase),
        "budget_left": capacity.budget_left,
        "awarded": capacity.awarded,
        "awards_left": capacity.awards_left,
        "letters": list(letters_of_phase(phase)),
        **forms,
    }
    return render(request, "proposals/officer/phase.html", context)


def _other_page(parameter: str, page) -> str:
    """``parameter=<n>`` for a link of the other pagination, unless that one is at page 1."""
    return urlencode({parameter: page.number}) if page is not None and page.number > 1 else ""


@login_required
def officer_phase(request, phase_pk: int):
    phase = _managed_phase(request, phase_pk)
    # The first officer here after the deadline opens the proposals if beat has not yet.
    phase_open_if_due(phase=phase, actor=request.user)
    return _phase_page(request, phase)


@login_required
def officer_prizes(request, phase_pk: int):
    """A contest's prizes: who won each, and a prize to leave unawarded with its reason."""
    phase = _managed_phase(request, phase_pk)
    if not phase.call.is_contest:
        raise Http404
    form = PrizeWithholdForm(request.POST or None)
    if request.method == "POST":
        prize = prize_of_phase(phase_id=phase.pk, rank=_int(request.POST.get("rank")))
        if prize is None:
            raise Http404
        if form.is_valid():
            try:
                prize_withhold(prize=prize, actor=request.user, reason=form.cleaned_data["reason"])
            except DomainError as error:
                messages.error(request, error.message)
            else:
                messages.success(
                    request,
                    _("%(prize)s is left unawarded.") % {"prize": prize_label(prize)},
                )
                return redirect("proposals:officer_prizes", phase_pk=phase.pk)
    context = {
        "call": phase.call,
        "phase": phase,
        "lines": prize_lines(phase),
        "form": form,
        "posted_rank": _int(request.POST.get("rank")) if request.method == "POST" else None,
    }
    return render(request, "proposals/officer/prizes.html", context)


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


@login_required
@require_POST
def officer_open_assessment(request, phase_pk: int):
    phase = _managed_phase(request, phase_pk)
    try:
        opened = assessment_open(phase=phase, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        if opened:
            messages.success(
                request,
                ngettext(
                    "The assessment has started: %(count)d proposal goes to the committee.",
                    "The assessment has started: %(count)d proposals go to the committee.",
                    opened,
                )
                % {"count": opened},
            )
        else:
            messages.info(request, _("No submitted proposals were waiting for the assessment."))
    return redirect(_phase_url(phase, "assessment"))


@login_required
@require_POST
def officer_phase_deadline(request, phase_pk: int):
    """A later phase gets (or extends) its deadline, so that companies can apply for it."""
    phase = _managed_phase(request, phase_pk)
    form = PhaseDeadlineForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter a date and time."))
        return redirect(_phase_url(phase, "deadline"))
    try:
        phase_deadline_set(phase=phase, actor=request.user, deadline=form.cleaned_data["deadline"])
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The deadline of this phase is set."))
    return redirect(_phase_url(phase, "deadline"))


@login_required
@require_POST
def officer_committee_create(request, phase_pk: int):
    phase = _managed_phase(request, phase_pk)
    form = CommitteeForm(request.POST)
    if form.is_valid():
        try:
            committee_create(phase=phase, actor=request.user, **form.cleaned_data)
        except DomainError as error:
            if committee_exists(phase):
                # A double click: the committee is there, the page shows it.
                messages.error(request, error.message)
                return redirect(_phase_url(phase, "committee"))
            _put_on_form(form, error)
        else:
            messages.success(request, _("The committee is set up. Now add its members."))
            return redirect(_phase_url(phase, "committee"))
    return _phase_page(request, phase, committee_form=form)


@login_required
@require_POST
def officer_member_add(request, phase_pk: int):
    phase = _managed_phase(request, phase_pk)
    committee = _committee_of(request, phase)
    if committee is None:
        return redirect(_phase_url(phase, "committee"))
    form = MemberAddForm(request.POST, committee=committee)
    if form.is_valid():
        try:
            seat = committee_member_add(
                committee=committee,
                actor=request.user,
                user=form.cleaned_data["user"],
                role=form.cleaned_data["role"],
                expertise=form.cleaned_data["expertise"],
            )
        except DomainError as error:
            if closed := _committee_closed(request, phase, error, "members"):
                return closed
            _put_on_form(form, error)
        else:
            messages.success(
                request,
                _("%(name)s is added to the committee as %(role)s.")
                % {"name": seat.user.full_name or seat.user.email, "role": seat.get_role_display()},
            )
            return redirect(_phase_url(phase, "members"))
    return _phase_page(request, phase, member_form=form)


@login_required
@require_POST
def officer_expert_invite(request, phase_pk: int):
    phase = _managed_phase(request, phase_pk)
    committee = _committee_of(request, phase)
    if committee is None:
        return redirect(_phase_url(phase, "committee"))
    form = ExpertInviteForm(request.POST)
    if form.is_valid():
        try:
            seat = committee_invite_expert(
                committee=committee, actor=request.user, **form.cleaned_data
            )
        except DomainError as error:
            if closed := _committee_closed(request, phase, error, "members"):
                return closed
            _put_on_form(form, error)
        else:
            messages.success(
                request,
                _("%(name)s is added as an independent expert; an invitation is sent to %(email)s.")
                % {"name": seat.user.full_name, "email": seat.user.email},
            )
            return redirect(_phase_url(phase, "members"))
    return _phase_page(request, phase, expert_form=form)


@login_required
@require_POST
def officer_assign(request, phase_pk: int):
    phase = _managed_phase(request, phase_pk)
    committee = _committee_of(request, phase)
    if committee is None:
        return redirect(_phase_url(phase, "committee"))
    form = AssignmentForm(request.POST, committee=committee)
    if form.is_valid():
        member, proposal = form.cleaned_data["member"], form.cleaned_data["proposal"]
        try:
            assignment_add(member=member, proposal=proposal, actor=request.user)
        except DomainError as error:
            if closed := _committee_closed(request, phase, error, "assignments"):
                return closed
            _put_on_form(form, error)
        else:
            messages.success(
                request,
                _("%(name)s assesses %(proposal)s.")
                % {
                    "name": member.user.full_name or member.user.email,
                    "proposal": proposal.submission_number,
                },
            )
            return redirect(_phase_url(phase, "assignments"))
    return _phase_page(request, phase, assign_form=form)


@login_required
@require_POST
def officer_assign_auto(request, phase_pk: int):
    phase = _managed_phase(request, phase_pk)
    committee = _committee_of(request, phase)
    if committee is None:
        return redirect(_phase_url(phase, "committee"))
    try:
        added = assignments_balance(committee=committee, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            ngettext("%(count)d assignment is added.", "%(count)d assignments are added.", added)
            % {"count": added},
        )
    return redirect(_phase_url(phase, "assignments"))


@login_required
@require_POST
def officer_deputy(request, phase_pk: int):
    """Designate the committee's deputy chair (or none)."""
    phase = _managed_phase(request, phase_pk)
    committee = _committee_of(request, phase)
    if committee is None:
        return redirect(_phase_url(phase, "committee"))
    form = DeputyChairForm(request.POST, committee=committee)
    if form.is_valid():
        member = form.cleaned_data["member"]
        try:
            committee_deputy_designate(committee=committee, actor=request.user, member=member)
        except DomainError as error:
            if closed := _committee_closed(request, phase, error, "deputy"):
                return closed
            _put_on_form(form, error)
        else:
            if member is None:
                messages.success(request, _("The committee has no deputy chair now."))
            else:
                messages.success(
                    request,
                    _("%(name)s is the deputy chair.")
                    % {"name": member.user.full_name or member.user.email},
                )
            return redirect(_phase_url(phase, "deputy"))
    return _phase_page(request, phase, deputy_form=form)


@login_required
def officer_member_remove(request, phase_pk: int, member_pk: int):
    """Remove a member from the committee, with a reason; their open assignments go."""
    phase = _managed_phase(request, phase_pk)
    member = get_object_or_404(active_members_of_phase(phase), pk=member_pk)
    form = MemberRemoveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            withdrawn = committee_member_remove(
                member=member, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            _put_on_form(form, error)
        else:
            messages.success(
                request,
                ngettext(
                    "%(name)s is removed from the committee; %(count)d open assignment is "
                    "withdrawn.",
                    "%(name)s is removed from the committee; %(count)d open assignments are "
                    "withdrawn.",
                    withdrawn,
                )
                % {"name": member.user.full_name or member.user.email, "count": withdrawn},
            )
            return redirect(_phase_url(phase, "members"))
    open_assignments = open_assignments_of(member)
    context = {
        "call": phase.call,
        "phase": phase,
        "member": member,
        "open_assignments": open_assignments,
        "form": form,
    }
    return render(request, "proposals/officer/member_remove.html", context)


@login_required
def officer_assignment_withdraw(request, phase_pk: int, assignment_pk: int):
    """Withdraw one assignment, with a reason, and give the proposal to another member."""
    phase = _managed_phase(request, phase_pk)
    assignment = get_object_or_404(active_assignments_of_phase(phase), pk=assignment_pk)
    form = AssignmentWithdrawForm(request.POST or None, assignment=assignment)
    if request.method == "POST" and form.is_valid():
        target = form.cleaned_data["reassign_to"]
        try:
            assignment_withdraw(
                assignment=assignment,
                actor=request.user,
                reason=form.cleaned_data["reason"],
                reassign_to=target,
            )
        except DomainError as error:
            _put_on_form(form, error)
        else:
            names = {
                "name": assignment.member.user.full_name or assignment.member.user.email,
                "proposal": assignment.proposal.submission_number,
            }
            if target is None:
                text = _("The assignment of %(name)s for %(proposal)s is withdrawn.") % names
            else:
                names["other"] = target.user.full_name or target.user.email
                text = (
                    _("%(proposal)s is withdrawn from %(name)s and assigned to %(other)s.") % names
                )
            messages.success(request, text)
            return redirect(_phase_url(phase, "assignments"))
    context = {
        "call": phase.call,
        "phase": phase,
        "assignment": assignment,
        "submitted": getattr(assignment, "assessment", None) is not None
        and assignment.assessment.status == Assessment.Status.SUBMITTED,
        "form": form,
    }
    return render(request, "proposals/officer/assignment_withdraw.html", context)


# --- The decision on one proposal --------------------------------------------------------------


@login_required
def officer_decide(request, pk: int):
    proposal = _managed_proposal(request, pk)
    phase = proposal.phase
    prizes = list(prizes_of_phase(phase.pk)) if proposal.call.is_contest else []
    form = DecisionForm(request.POST or None, proposal=proposal, prizes=prizes)
    if (
        request.method == "POST"
        and not is_revision(request)
        and form.is_valid()
        and _decision_allowed(request, proposal, form)
    ):
        motivation = form.cleaned_data["motivation"]
        if not is_confirmed(request):
            return confirmation_page(
                request,
                _decision_confirmation(proposal, form),
                context={"call": proposal.call, "phase": phase},
            )
        try:
            if form.is_award:
                proposal_award(
                    proposal=proposal,
                    actor=request.user,
                    motivation=motivation,
                    amount=form.cleaned_data["amount"],
                    prize=form.prize,
                )
            else:
                proposal_reject(proposal=proposal, actor=request.user, motivation=motivation)
        except DomainError as error:
            _put_on_form(form, error, DECISION_ERROR_FIELDS)
        else:
            decision = standing_decision(proposal)
            if decision is not None and decision.is_intended:
                if form.is_award:
                    text = _(
                        "%(number)s is to be awarded; the standstill period runs until "
                        "%(end)s. The company gets its letter by e-mail once every proposal of the "
                        "phase is decided."
                    )
                else:
                    text = _(
                        "%(number)s is not to be awarded; the standstill period runs until "
                        "%(end)s. The company gets its letter by e-mail once every proposal of the "
                        "phase is decided."
                    )
            elif form.is_award and form.prize is not None:
                text = _(
                    "%(number)s wins prize %(rank)s; the decision is final and the company "
                    "receives its letter once every entry is decided."
                )
            elif form.is_award:
                text = _(
                    "%(number)s is awarded; the company gets its letter by e-mail once every "
                    "proposal of the phase is decided."
                )
            else:
                text = _(
                    "%(number)s is not awarded; the company gets its letter by e-mail once "
                    "every proposal of the phase is decided."
                )
            end = date_format(decision.standstill_ends_on) if decision else ""
            rank = form.prize.rank if form.prize is not None else ""
            messages.success(
                request,
                text % {"number": proposal.submission_number, "end": end, "rank": rank},
            )
            return redirect(_phase_url(phase, "decisions"))
    ranking = Ranking(phase)
    row = ranking.rank_of(proposal)
    advice = phase_advice(phase)
    capacity = phase_capacity(phase)
    decision = standing_decision(proposal)
    context = {
        "proposal": proposal,
        "call": proposal.call,
        "phase": phase,
        "row": row,
        "ranked": ranking.eligible_count(),
        "criterion_scores": [
            {
                "criterion": criterion,
                "score": row.scores.get(criterion.pk) if row else None,
                "consensus": bool(row and criterion.pk in row.consensus),
            }
            for criterion in phase.criteria.all()
        ],
        "advice": advice,
        "advice_selected": advice_selects(advice=advice, proposal=proposal),
        "budget_left": capacity.budget_left,
        "awards_left": capacity.awards_left,
        "contract": contract_of(proposal),
        "decision": decision,
        "objections": decision.objections.all() if decision else [],
        "reassessment": open_reassessment_of_phase(phase),
        "standstill_days": standstill_days_for(proposal.call),
        "prizes": prize_lines(phase) if proposal.call.is_contest else [],
        "show_form": (proposal.status == Proposal.Status.UNDER_ASSESSMENT and decision is None)
        or form.is_bound,
        "form": form,
    }
    return render(request, "proposals/officer/decide.html", context)


def _decision_allowed(request, proposal: Proposal, form: DecisionForm) -> bool:
    """The service's own rules, asked before the confirmation (the officer is never asked to
    confirm a decision that is then refused); a refusal goes on the form."""
    try:
        if form.is_award:
            proposal_award_check(
                proposal=proposal,
                actor=request.user,
                motivation=form.cleaned_data["motivation"],
                amount=form.cleaned_data["amount"],
                prize=form.prize,
            )
        else:
            proposal_reject_check(
                proposal=proposal, actor=request.user, motivation=form.cleaned_data["motivation"]
            )
    except DomainError as error:
        _put_on_form(form, error, DECISION_ERROR_FIELDS)
        return False
    return True


def _decision_confirmation(proposal: Proposal, form: DecisionForm) -> Confirmation:
    summary = [
        (_("Proposal"), f"{proposal.submission_number} {proposal.title}"),
        (_("Company"), proposal.company.name),
        (_("Decision"), _("Award") if form.is_award else _("Do not award")),
    ]
    if form.is_award and form.prize is not None:
        summary.append((_("Prize"), prize_label(form.prize)))
        happens = [
            _(
                "The entry wins the prize: its amount is committed from the phase's budget and "
                "the decision is final at once (a prize has no standstill period)."
            ),
            _("The company receives its letter once every entry of the phase is decided."),
        ]
        final = [_("The prize and the motivation cannot be changed here afterwards.")]
        button = _("Yes, award the prize")
    elif form.is_award:
        amount = form.cleaned_data["amount"] or proposal.requested_amount
        summary.append((_("Contract amount"), euro(amount)))
        happens = [
            _(
                "The proposal is awarded: a contract is made for the amount above and the "
                "amount is committed from the phase's budget."
            ),
            _("The company receives the decision and your motivation by e-mail."),
        ]
        final = [
            _(
                "The award, the amount and the motivation cannot be changed here afterwards; "
                "the contract can only be ended, with a reason."
            ),
        ]
        button = _("Yes, award the proposal")
    else:
        happens = [
            _("The proposal is not awarded."),
            _("The company receives the decision and your motivation by e-mail."),
        ]
        final = [_("The decision and the motivation cannot be changed afterwards.")]
        button = _("Yes, do not award the proposal")
    summary.append((_("Motivation"), form.cleaned_data["motivation"]))
    return Confirmation(
        title=_("Decide on %(number)s?") % {"number": proposal.submission_number},
        lead=_("Check the decision once more before the company is told."),
        summary=summary,
        happens=happens,
        final=final,
        button=button,
        back_url=reverse("proposals:officer_decide", kwargs={"pk": proposal.pk}),
        back_label=_("Back, do not decide"),
        revisable=True,
        breadcrumbs="proposals/officer/_breadcrumbs.html",
    )


# --- Contracts and deliverables ----------------------------------------------------------------


@login_required
def officer_contracts(request):
    if not can(request.user, "calls.add_call"):
        raise Http404
    contracts = contracts_for_officer_with_milestones(request.user)
    only_to_review = request.GET.get("to_review") == "1"
    if only_to_review:
        contracts = contracts.filter(to_review=True)
    page = Paginator(contracts, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page_obj": page,
        "only_to_review": only_to_review,
        "querystring_base": "to_review=1" if only_to_review else "",
    }
    return render(request, "proposals/officer/contracts.html", context)


@login_required
def officer_review(request, deliverable_pk: int):
    deliverable = _managed_deliverable(request, deliverable_pk)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            deliverable_review(
                deliverable=deliverable,
                actor=request.user,
                accept=form.accepts,
                remarks=form.cleaned_data["remarks"],
            )
        except DomainError as error:
            _put_on_form(form, error)
        else:
            if form.accepts:
                text = _("“%(name)s” of %(company)s is accepted.")
            else:
                text = _("“%(name)s” is sent back to %(company)s with your remarks.")
            messages.success(
                request,
                text % {"name": deliverable.name, "company": deliverable.contract.proposal.company},
            )
            return redirect("proposals:officer_contracts")
    context = {
        "deliverable": deliverable,
        "contract": deliverable.contract,
        "proposal": deliverable.contract.proposal,
        "call": deliverable.contract.proposal.call,
        "show_form": deliverable.awaits_review or (form.is_bound and not deliverable.is_cancelled),
        "form": form,
    }
    return render(request, "proposals/officer/review.html", context)


@login_required
def officer_contract_end(request, contract_pk: int):
    """Complete or terminate a contract; what its milestones did not pay is released."""
    contract = get_object_or_404(contracts_with_proposal(), pk=contract_pk)
    _require_manages(request, contract.proposal.call)
    form = ContractEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        reason = form.cleaned_data["reason"]
        try:
            if form.terminates:
                contract_terminate(contract=contract, actor=request.user, reason=reason)
            else:
                contract_complete(contract=contract, actor=request.user, reason=reason)
        except DomainError as error:
            _put_on_form(form, error)
        else:
            messages.success(
                request,
                _("The contract of %(number)s has ended; what it did not pay is released.")
                % {"number": contract.proposal.submission_number},
            )
            return redirect("proposals:officer_contracts")
    context = {
        "contract": contract,
        "proposal": contract.proposal,
        "call": contract.proposal.call,
        "milestones": contract.deliverables.order_by("due_date", "pk"),
        "show_form": contract.status == Contract.Status.ACTIVE or form.is_bound,
        "form": form,
    }
    return render(request, "proposals/officer/contract_end.html", context)


@login_required
def officer_deliverable_file(request, deliverable_pk: int):
    """The delivered file, only through this permission check (never via MEDIA_URL)."""
    deliverable = _managed_deliverable(request, deliverable_pk)
    if not deliverable.file:
        raise Http404
    return file_response(deliverable.file, filename=deliverable.file.name, as_attachment=True)
