"""Objections to an intended decision: the company lodges, follows or withdraws one; the
call's officer answers it. Who may do what is asked of ``can`` (proposals/permissions.py)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.exceptions import DomainError
from portal.files import file_response
from portal.permissions import can

from ..forms.objections import ObjectionAnswerForm, ObjectionForm
from ..models import Objection, Proposal
from ..permissions import is_company_member
from ..selectors.decisions import (
    feedback_for,
    lapsed_with,
    objection_detail,
    objection_document_of,
    reassessable_proposals,
    standing_decision,
)
from ..selectors.proposals import proposals_with_people
from ..services.objections import (
    objection_dismiss,
    objection_lodge,
    objection_uphold,
    objection_withdraw,
)
from ..tasks import render_objection_receipt_pdf

PDF = "application/pdf"


def _objection(request, objection_pk: int) -> Objection:
    objection = objection_detail(objection_pk)
    if objection is None or not can(request.user, "proposals.view_objection", objection):
        raise Http404
    return objection


@login_required
@require_http_methods(["GET", "POST"])
def lodge(request, pk: int):
    """The objection page: the company objects to the intended decision on its proposal."""
    proposal: Proposal = get_object_or_404(proposals_with_people(), pk=pk)
    if not is_company_member(request.user, proposal.company_id):
        raise Http404
    decision = standing_decision(proposal)
    if decision is None:
        raise Http404
    allowed = can(request.user, "proposals.lodge_objection", decision)
    open_objection = decision.objections.filter(status=Objection.Status.OPEN).first()
    form = ObjectionForm(request.POST or None, request.FILES or None, under_awb=decision.under_awb)
    if request.method == "POST" and allowed and form.is_valid():
        try:
            objection = objection_lodge(
                decision=decision,
                actor=request.user,
                text=form.cleaned_data["text"],
                uploads=form.cleaned_data["documents"],
            )
        except DomainError as error:
            form.add_error("documents" if error.code in _FILE_CODES else "text", error.message)
        else:
            if decision.under_awb:
                # A final decision under the Awb: it stays in force meanwhile (art. 6:16 Awb).
                text = _(
                    "Your objection %(number)s has been received; the receipt is sent by "
                    "e-mail. The decision stays in force while the objection is handled."
                )
            else:
                text = _(
                    "Your objection %(number)s has been received; the receipt is sent by "
                    "e-mail. No contract is concluded in this phase while it is open."
                )
            messages.success(request, text % {"number": objection.number})
            return redirect("proposals:objection", objection_pk=objection.pk)
    context = {
        "proposal": proposal,
        "call": proposal.call,
        "decision": decision,
        "allowed": allowed and open_objection is None,
        "open_objection": open_objection,
        "feedback": feedback_for(proposal),
        "form": form,
    }
    return render(request, "proposals/company/objection_lodge.html", context)


_FILE_CODES = {
    "empty",
    "too_large",
    "extension",
    "content_mismatch",
    "active_content",
    "declared_mismatch",
    "virus",
    "scan_unavailable",
    "documents",
}


@login_required
@require_GET
def detail(request, objection_pk: int):
    """The company's view of its objection: text, documents, where it stands."""
    objection = _objection(request, objection_pk)
    proposal = objection.decision.proposal
    if not is_company_member(request.user, proposal.company_id):
        # The officer answers on the officer's page.
        return redirect("proposals:officer_objection", objection_pk=objection.pk)
    context = {
        "objection": objection,
        "proposal": proposal,
        "call": proposal.call,
        "decision": objection.decision,
        "can_withdraw": objection.is_open
        and can(request.user, "proposals.withdraw_objection", objection),
    }
    return render(request, "proposals/company/objection.html", context)


@login_required
@require_POST
def withdraw(request, objection_pk: int):
    objection = _objection(request, objection_pk)
    try:
        objection_withdraw(objection=objection, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("Your objection %(number)s is withdrawn.") % {"number": objection.number}
        )
    return redirect("proposals:objection", objection_pk=objection.pk)


@login_required
@require_GET
def document(request, objection_pk: int, document_pk: int):
    objection = _objection(request, objection_pk)
    stored = objection_document_of(objection, document_pk)
    if stored is None:
        raise Http404
    return file_response(stored.file, filename=stored.original_name, as_attachment=True)


@login_required
@require_GET
def receipt(request, objection_pk: int):
    """The receipt of an objection (PDF): its number, moment and text."""
    objection = _objection(request, objection_pk)
    filename = f"ontvangstbevestiging-{objection.number}.pdf"
    if objection.receipt:
        return file_response(objection.receipt, filename=filename)
    with translation.override(settings.LANGUAGE_CODE):
        pdf = render_objection_receipt_pdf(objection)
    response = HttpResponse(pdf, content_type=PDF)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, private=True, no_store=True)
    return response


@login_required
@require_http_methods(["GET", "POST"])
def officer_answer(request, objection_pk: int):
    """The officer's objection page: the objection, the decision, and the answer."""
    objection = objection_detail(objection_pk)
    if objection is None or not can(
        request.user, "calls.manage_call", objection.decision.proposal.call
    ):
        raise Http404
    # Left open against a decision since withdrawn (before objections lapsed): nothing to
    # answer, and the service refuses it.
    decision_withdrawn = objection.is_open and objection.decision.is_withdrawn
    can_answer = (
        objection.is_open
        and not decision_withdrawn
        and can(request.user, "proposals.answer_objection", objection)
    )
    form = ObjectionAnswerForm(
        request.POST or None,
        proposals=reassessable_proposals(objection),
        objecting=objection.decision.proposal,
        revokes=objection.revokes_final_decision,
    )
    if request.method == "POST" and can_answer and form.is_valid():
        answer = form.cleaned_data["answer"]
        try:
            if form.cleaned_data["outcome"] == ObjectionAnswerForm.DISMISS:
                objection = objection_dismiss(
                    objection=objection, actor=request.user, answer=answer
                )
            else:
                objection = objection_uphold(
                    objection=objection,
                    actor=request.user,
                    answer=answer,
                    follow_up=form.follow_up,
                    reassess=list(form.cleaned_data.get("reassess", [])),
                )
        except DomainError as error:
            field = "reassess" if error.code == "proposals" and "reassess" in form.fields else None
            form.add_error(field or "answer", error.message)
        else:
            if objection.is_upheld and objection.revokes_final_decision:
                text = (
                    _(
                        "Objection %(number)s is upheld; the decision on the entry is revoked "
                        "and the jury reassesses it. Decide again after its new advice."
                    )
                    if objection.leads_to_reassessment
                    else _(
                        "Objection %(number)s is upheld; the decision on the entry is revoked. "
                        "Decide again."
                    )
                )
            elif objection.leads_to_reassessment:
                text = _(
                    "Objection %(number)s is upheld; the phase's intended decisions are "
                    "withdrawn and the committee reassesses. Decide again after its new advice."
                )
            elif objection.is_upheld:
                text = _(
                    "Objection %(number)s is upheld; the phase's intended decisions are "
                    "withdrawn. Decide again."
                )
            else:
                text = _("Objection %(number)s is dismissed; the decision stands.")
            messages.success(request, text % {"number": objection.number})
            lapsed = lapsed_with(objection)
            if lapsed:
                messages.info(
                    request,
                    ngettext(
                        "Objection %(numbers)s against a withdrawn decision has lapsed; its "
                        "company has been told.",
                        "Objections %(numbers)s against withdrawn decisions have lapsed; their "
                        "companies have been told.",
                        len(lapsed),
                    )
                    % {"numbers": ", ".join(other.number for other in lapsed)},
                )
            return redirect("proposals:officer_objection", objection_pk=objection.pk)
    proposal = objection.decision.proposal
    context = {
        "objection": objection,
        "proposal": proposal,
        "call": proposal.call,
        "phase": objection.decision.phase,
        "decision": objection.decision,
        "can_answer": can_answer,
        "decision_withdrawn": decision_withdrawn,
        "form": form,
        "lapsed": lapsed_with(objection),
    }
    return render(request, "proposals/officer/objection.html", context)
