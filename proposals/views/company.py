"""The company's own proposal pages: start, draft, submit, follow up, deliver.

Views stay thin: they find the proposal the person may see (404 otherwise, so nobody learns
another company's proposal exists), validate the form and call the services. A refusal of
a service (a DomainError) becomes a message or a form error, never a 500, and never costs
the person what they typed.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from calls.selectors.calls import phases_with_call
from calls.selectors.participation import participation_requests_of_company_member
from calls.structures import declaration_text
from portal.exceptions import DomainError
from portal.files import file_response, safe_filename
from portal.models import Role
from portal.permissions import can
from portal.selectors.identity import organisations_of, roles_of

from ..forms.company import (
    DeliverableForm,
    ProposalDraftForm,
    ProposalStartForm,
    SubmissionForm,
)
from ..models import Attachment, Proposal
from ..permissions import is_company_member
from ..selectors.contracts import (
    contract_with_milestones,
    deliverables_due_for_company_member,
    deliverables_with_contract,
)
from ..selectors.decisions import (
    decisions_of_proposal,
    feedback_for,
    standing_decision,
    withdrawing_objection,
)
from ..selectors.letters import letters_of_proposal
from ..selectors.proposals import (
    answers_for_display,
    proposals_of_company_member,
    proposals_with_people,
    running_proposal_of,
)
from ..services.decisions import deliverable_deliver
from ..services.submission import (
    attachment_add,
    funnel_problem,
    phase_deadline,
    phase_open_problem,
    proposal_missing,
    proposal_save_draft,
    proposal_start,
    proposal_submit,
    proposal_withdraw,
    questions_for,
)
from ..tasks import render_receipt_pdf

PAGE_SIZE = 20
PDF = "application/pdf"


def _require_applicant(request) -> None:
    if Role.APPLICANT not in roles_of(request.user):
        raise PermissionDenied


def _proposal(request, pk: int, *, own: bool = False) -> Proposal:
    """The proposal if this person may see it (``own``: only its company's people), else 404."""
    proposal = get_object_or_404(
        proposals_with_people(),
        pk=pk,
    )
    if own:
        allowed = is_company_member(request.user, proposal.company_id)
    else:
        allowed = can(request.user, "proposals.view_proposal", proposal)
        if (
            allowed
            and proposal.call.blind_assessment
            and not is_company_member(request.user, proposal.company_id)
            and not can(request.user, "calls.manage_call", proposal.call)
        ):
            # Blind assessment: the committee reads proposals only on its scoring pages,
            # which leave out the company and its people; this page shows them.
            allowed = False
    if not allowed:
        raise Http404
    return proposal


def _attachments(proposal: Proposal) -> list[Attachment]:
    return list(
        proposal.attachments.select_related("required_document", "question").order_by(
            "required_document__order", "question__order", "pk"
        )
    )


# --- My proposals -----------------------------------------------------------------------------


@login_required
@require_GET
def mine(request):
    _require_applicant(request)
    proposals = (
        proposals_of_company_member(request.user)
        .select_related("phase__call")
        .order_by("-created_at", "-pk")
    )
    page = Paginator(proposals, PAGE_SIZE).get_page(request.GET.get("page"))
    for proposal in page.object_list:
        proposal.deadline = phase_deadline(proposal.phase)
    deliverables = deliverables_due_for_company_member(request.user).order_by("due_date", "pk")
    return render(
        request,
        "proposals/company/mine.html",
        {
            "page_obj": page,
            "deliverables": deliverables,
            "has_requests": participation_requests_of_company_member(request.user).exists(),
        },
    )


# --- Starting a proposal ----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def start(request, phase_pk: int):
    _require_applicant(request)
    phase = get_object_or_404(phases_with_call(), pk=phase_pk)
    if not can(request.user, "calls.view_call", phase.call):
        raise Http404
    company = organisations_of(request.user, role=Role.APPLICANT).first()
    existing = running_proposal_of(phase=phase, company=company)
    form = ProposalStartForm(request.POST or None)
    refusal = None
    if request.method == "POST" and form.is_valid():
        try:
            proposal = proposal_start(
                phase=phase, actor=request.user, title=form.cleaned_data["title"]
            )
        except DomainError as error:
            refusal = error.message
        else:
            messages.success(
                request,
                _(
                    "Your draft is started. Fill it in and save it as often as you like, "
                    "then submit it."
                ),
            )
            return redirect("proposals:edit", pk=proposal.pk)
    context = {
        "phase": phase,
        "call": phase.call,
        "company": company,
        "deadline": phase_deadline(phase),
        "documents": phase.required_documents.all(),
        "problem": phase_open_problem(phase) or funnel_problem(phase=phase, company=company),
        "existing": existing,
        "refusal": refusal,
        "form": form,
    }
    return render(request, "proposals/company/start.html", context)


# --- The draft --------------------------------------------------------------------------------


def _frozen_reason(proposal: Proposal) -> str | None:
    """Why this proposal can no longer be changed, or None while it can."""
    if proposal.status != Proposal.Status.DRAFT:
        return _("This proposal has been submitted and can no longer be changed.")
    return phase_open_problem(proposal.phase)


def _save_what_is_valid(request, proposal: Proposal, form: ProposalDraftForm) -> dict:
    """Store every valid field and every accepted file; report what was not stored.

    A refusal of a service lands on the form (a refused file on its own field), so the page
    shows it next to what was typed, which the re-rendered form still holds.
    """
    form.is_valid()
    try:
        proposal_save_draft(
            proposal=proposal,
            actor=request.user,
            fields=form.valid_fields(),
            answers=form.answers(),
        )
    except DomainError as error:
        form.add_error(None, error.message)
        return {"stored": False, "not_saved": []}
    for name, upload, document, question in form.uploads():
        try:
            attachment_add(
                proposal=proposal,
                actor=request.user,
                upload=upload,
                required_document=document,
                question=question,
            )
        except DomainError as error:
            form.add_error(name, error.message)
    not_saved = [form.label_of(name) for name in form.errors if name in form.fields]
    return {"stored": True, "not_saved": not_saved}


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, pk: int):
    proposal = _proposal(request, pk, own=True)
    phase = proposal.phase
    questions = list(questions_for(phase).order_by("order", "pk"))
    documents = list(phase.required_documents.all())
    frozen = _frozen_reason(proposal)
    arguments = {"proposal": proposal, "questions": questions, "documents": documents}
    outcome = None
    if request.method == "POST":
        form = ProposalDraftForm(request.POST, request.FILES, **arguments)
        if frozen is None:
            outcome = _save_what_is_valid(request, proposal, form)
            if outcome["stored"] and not form.errors:
                messages.success(request, _("Your draft is saved."))
                if request.POST.get("action") == "submit":
                    return redirect("proposals:submit", pk=proposal.pk)
                return redirect("proposals:edit", pk=proposal.pk)
            proposal.refresh_from_db()
    else:
        form = ProposalDraftForm(**arguments)
    if frozen is not None:
        form.make_read_only()
    context = {
        "proposal": proposal,
        "call": proposal.call,
        "phase": phase,
        "deadline": phase_deadline(phase),
        "form": form,
        "file_rows": form.file_rows(_attachments(proposal)),
        "frozen": frozen,
        "outcome": outcome,
    }
    return render(request, "proposals/company/edit.html", context)


# --- Submitting -------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def submit(request, pk: int):
    proposal = _proposal(request, pk, own=True)
    refusal = None
    form = SubmissionForm(
        request.POST if request.method == "POST" else None, text=declaration_text(proposal.call)
    )
    if request.method == "POST":
        if proposal.status not in (Proposal.Status.DRAFT, Proposal.Status.SUBMITTED):
            return redirect("proposals:detail", pk=proposal.pk)
        if form.is_valid():
            try:
                proposal = proposal_submit(
                    proposal=proposal, actor=request.user, declaration_accepted=True
                )
            except DomainError as error:
                refusal = (
                    _(
                        "Not submitted: your proposal is not complete yet. "
                        "See what is missing below."
                    )
                    if error.code == "incomplete"
                    else error.message
                )
            else:
                messages.success(
                    request,
                    _(
                        "Your proposal is submitted. Its submission number is %(number)s; "
                        "the receipt is sent to you by e-mail."
                    )
                    % {"number": proposal.submission_number},
                )
                return redirect("proposals:detail", pk=proposal.pk)
    elif proposal.status != Proposal.Status.DRAFT:
        messages.info(request, _("This proposal has already been submitted."))
        return redirect("proposals:detail", pk=proposal.pk)
    context = {
        "proposal": proposal,
        "call": proposal.call,
        "phase": proposal.phase,
        "deadline": phase_deadline(proposal.phase),
        "missing": proposal_missing(proposal),
        "problem": phase_open_problem(proposal.phase),
        "refusal": refusal,
        "form": form,
        "answers": answers_for_display(proposal),
        "attachments": _attachments(proposal),
    }
    return render(request, "proposals/company/submit.html", context)


# --- One proposal -----------------------------------------------------------------------------


@login_required
@require_GET
def detail(request, pk: int):
    proposal = _proposal(request, pk)
    is_member = is_company_member(request.user, proposal.company_id)
    open_problem = phase_open_problem(proposal.phase)
    contract = None
    if proposal.status == Proposal.Status.AWARDED or (
        is_member and proposal.status == Proposal.Status.UNDER_ASSESSMENT
    ):
        # Under assessment again: a prize revoked on objection shows its ended contract,
        # with the deliverables cancelled with it.
        contract = contract_with_milestones(proposal)
    context = {
        "proposal": proposal,
        "call": proposal.call,
        "phase": proposal.phase,
        "deadline": phase_deadline(proposal.phase),
        "is_member": is_member,
        "can_edit": is_member and proposal.status == Proposal.Status.DRAFT and not open_problem,
        "can_withdraw": is_member
        and proposal.status == Proposal.Status.SUBMITTED
        and not open_problem,
        "can_delete": is_member and proposal.status == Proposal.Status.DRAFT,
        "answers": answers_for_display(proposal),
        "attachments": _attachments(proposal),
        "contract": contract,
        "decided": proposal.status in (Proposal.Status.AWARDED, Proposal.Status.REJECTED),
        "letters": list(letters_of_proposal(proposal)) if is_member else [],
        **_decision_context(request, proposal, is_member),
    }
    return render(request, "proposals/company/detail.html", context)


def _decision_context(request, proposal: Proposal, is_member: bool) -> dict:
    """The decision, its standstill and objections; the company's own feedback per criterion.

    Feedback only for the proposal's own company, once a decision is intended (``can``).
    """
    decision = standing_decision(proposal)
    if decision is None and is_member:
        # Withdrawn after an upheld objection: the company reads why, and finds its objection.
        decisions = decisions_of_proposal(proposal)
        withdrawn = next((d for d in decisions if d.is_withdrawn), None)
        if withdrawn is not None and can(request.user, "proposals.view_decision", withdrawn):
            return {
                "decision": None,
                "withdrawn": withdrawn,
                "withdrawn_by": withdrawing_objection(withdrawn),
                "decisions": decisions,
            }
    if decision is None or not can(request.user, "proposals.view_decision", decision):
        return {"decision": None}
    return {
        "decision": decision,
        "decisions": decisions_of_proposal(proposal),
        "feedback": feedback_for(proposal) if is_member else [],
        "can_object": is_member and can(request.user, "proposals.lodge_objection", decision),
    }


@login_required
@require_GET
def receipt(request, pk: int):
    proposal = _proposal(request, pk, own=True)
    if not proposal.submission_number:
        raise Http404
    filename = f"ontvangstbevestiging-{proposal.submission_number}.pdf"
    if proposal.receipt:
        return file_response(proposal.receipt, filename=filename)
    # The task keeps a copy once it has run; until then, render the same PDF on the spot.
    pdf = render_receipt_pdf(proposal)  # in the language the company submitted in
    response = HttpResponse(pdf, content_type=PDF)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, private=True, no_store=True)
    return response


@login_required
@require_GET
def attachment(request, pk: int, attachment_pk: int):
    proposal = _proposal(request, pk)
    document = get_object_or_404(Attachment, pk=attachment_pk, proposal=proposal)
    return file_response(
        document.file,
        filename=safe_filename(document.original_name, f"document-{document.pk}"),
        content_type=document.content_type,
        as_attachment=True,
    )


@login_required
@require_http_methods(["GET", "POST"])
def withdraw(request, pk: int):
    proposal = _proposal(request, pk, own=True)
    if proposal.status not in (Proposal.Status.DRAFT, Proposal.Status.SUBMITTED):
        messages.error(request, _("This proposal can no longer be withdrawn."))
        return redirect("proposals:detail", pk=proposal.pk)
    problem = (
        phase_open_problem(proposal.phase) if proposal.status == Proposal.Status.SUBMITTED else None
    )
    if request.method == "POST" and problem is None:
        was_draft = proposal.status == Proposal.Status.DRAFT
        try:
            proposal_withdraw(proposal=proposal, actor=request.user)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("proposals:detail", pk=proposal.pk)
        if was_draft:
            messages.success(request, _("Your draft is deleted."))
            return redirect("proposals:mine")
        messages.success(
            request,
            _("Your proposal %(number)s is withdrawn.") % {"number": proposal.submission_number},
        )
        return redirect("proposals:detail", pk=proposal.pk)
    return render(
        request,
        "proposals/company/withdraw.html",
        {"proposal": proposal, "call": proposal.call, "problem": problem},
    )


# --- Deliverables of a contract ---------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def deliver(request, deliverable_pk: int):
    deliverable = get_object_or_404(
        deliverables_with_contract(),
        pk=deliverable_pk,
    )
    proposal = deliverable.contract.proposal
    if not is_company_member(request.user, proposal.company_id):
        raise Http404
    # Accepted, or cancelled when its contract ended: nothing more to deliver.
    closed = not deliverable.is_open
    form = DeliverableForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and not closed and form.is_valid():
        try:
            deliverable_deliver(
                deliverable=deliverable, actor=request.user, upload=form.cleaned_data["file"]
            )
        except DomainError as error:
            form.add_error("file", error.message)
        else:
            messages.success(
                request,
                _("“%(name)s” is delivered; the contracting authority will review it.")
                % {"name": deliverable.name},
            )
            return redirect("proposals:detail", pk=proposal.pk)
    context = {
        "deliverable": deliverable,
        "proposal": proposal,
        "call": proposal.call,
        "accepted": deliverable.is_accepted,
        "closed": closed,
        "form": form,
    }
    return render(request, "proposals/company/deliver.html", context)
