"""Innovation partnership, the selection's letters and objections: the candidate downloads
its letter and, if it was not selected, objects within the standstill; the call's officer
answers the objection. The letters are the decision letters of issue 15 (one numbering, PDF,
e-mail and read tracking)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from portal.exceptions import DomainError
from portal.files import file_response
from portal.permissions import can

from ..forms.objections import SelectionObjectionAnswerForm, SelectionObjectionForm
from ..selectors.decisions import selection_objection_detail
from ..selectors.letters import letter_by_pk
from ..services.letters import decision_letter_mark_read
from ..services.objections import objection_dismiss, objection_uphold, selection_objection_lodge


def _selection_letter(request, pk: int, letter_pk: int):
    found = letter_by_pk(letter_pk)
    if (
        found is None
        or found.participation_request_id != pk
        or not can(request.user, "proposals.view_letter", found)
    ):
        raise Http404
    return found


@login_required
@require_GET
def letter(request, pk: int, letter_pk: int):
    """The selection letter as PDF; a first download by the candidate marks it read."""
    found = _selection_letter(request, pk, letter_pk)
    if not found.pdf:
        raise Http404
    response = file_response(found.pdf, filename=found.filename)
    decision_letter_mark_read(letter=found, actor=request.user)
    return response


@login_required
@require_http_methods(["GET", "POST"])
def objection_lodge(request, pk: int, letter_pk: int):
    """The candidate objects to the selection, within the standstill of its letter."""
    found = _selection_letter(request, pk, letter_pk)
    if not can(request.user, "proposals.lodge_selection_objection", found):
        raise Http404
    form = SelectionObjectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            objection = selection_objection_lodge(
                letter=found, actor=request.user, text=form.cleaned_data["text"]
            )
        except DomainError as error:
            form.add_error("text", error.message)
        else:
            messages.success(
                request,
                _(
                    "Your objection %(number)s has been received. The tender stage does not "
                    "open while it is open."
                )
                % {"number": objection.number},
            )
            return redirect("calls:participation_detail", request_pk=pk)
    participation = found.participation_request
    context = {
        "letter": found,
        "participation": participation,
        "call": participation.call,
        "form": form,
    }
    return render(request, "proposals/company/selection_objection.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def objection_answer(request, objection_pk: int):
    """The officer's page of an objection to the selection: the objection and the answer."""
    objection = selection_objection_detail(objection_pk)
    if objection is None or not can(request.user, "proposals.view_objection", objection):
        raise Http404
    participation = objection.participation_request
    if not can(request.user, "calls.manage_call", participation.call):
        raise Http404
    can_answer = objection.is_open and can(request.user, "proposals.answer_objection", objection)
    form = SelectionObjectionAnswerForm(request.POST or None)
    if request.method == "POST" and can_answer and form.is_valid():
        service = (
            objection_uphold
            if form.cleaned_data["outcome"] == SelectionObjectionAnswerForm.UPHOLD
            else objection_dismiss
        )
        try:
            objection = service(
                objection=objection, actor=request.user, answer=form.cleaned_data["answer"]
            )
        except DomainError as error:
            form.add_error("answer", error.message)
        else:
            if objection.is_upheld:
                text = _(
                    "Objection %(number)s is upheld; the selection is taken back. Decide on "
                    "the requests again and send the decisions."
                )
            else:
                text = _("Objection %(number)s is dismissed; the selection stands.")
            messages.success(request, text % {"number": objection.number})
            return redirect("proposals:selection_objection_answer", objection_pk=objection.pk)
    context = {
        "objection": objection,
        "participation": participation,
        "call": participation.call,
        "can_answer": can_answer,
        "form": form,
    }
    return render(request, "proposals/officer/selection_objection.html", context)
