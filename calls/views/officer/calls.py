"""The procurement officer's pages: their calls, drafting, publication and the lifecycle.

Views stay thin: they check who may see the page, validate the form and call a service.
Every refusal of a service (a DomainError) becomes a message or a form error, never a 500.
"""

import copy
from datetime import datetime
from decimal import Decimal
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Max, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from portal import states
from portal.confirm import (
    Confirmation,
    Replacement,
    confirmation_page,
    is_confirmed,
    is_revision,
    moment,
)
from portal.exceptions import DomainError
from portal.hooks import call_sections
from portal.permissions import can
from portal.templatetags.portal import euro

from ...forms.calls import (
    CallAmendForm,
    CallCreateForm,
    CallDocumentForm,
    CallEditForm,
    CancelForm,
    CriterionFormSet,
    OfficerCallFilter,
    PhaseFormSet,
    PrizeFormSet,
    QuestionFormSet,
    RequiredDocumentFormSet,
)
from ...models import Call
from ...models.call import validity_in_words
from ...selectors.calls import (
    call_detail,
    calls_managed_listed,
    calls_with_authority,
    with_open_questions,
)
from ...services.lifecycle import (
    VALIDITY_FIELDS,
    call_amend,
    call_amend_check,
    call_cancel,
    call_close,
    call_complete,
    call_create,
    call_document_add,
    call_document_delete,
    call_may_amend,
    call_publication_problems,
    call_publish,
    call_update_draft,
    call_update_draft_rows,
    phase_budget_total,
)

PAGE_SIZE = 25
CONTESTS = (Call.Instrument.PRIZE_COMPETITION, Call.Instrument.HACKATHON)


def _require_officer(request) -> None:
    if not can(request.user, "calls.add_call"):
        raise PermissionDenied


def _managed_call(request, pk: int, queryset=None) -> Call:
    """The call, if this person manages it; 404 otherwise, so nobody learns it exists."""
    queryset = queryset if queryset is not None else calls_with_authority()
    call = get_object_or_404(queryset, pk=pk)
    if not can(request.user, "calls.manage_call", call):
        raise Http404
    return call


def _field_for(error: DomainError, form) -> str | None:
    """Services name the field they refuse in the error's code, when there is one."""
    return error.code if error.code in form.fields else None


# --- My calls and a new call ----------------------------------------------------------------


@login_required
def officer_list(request):
    _require_officer(request)
    filters = OfficerCallFilter(request.GET)
    calls = calls_managed_listed(request.user, **filters.choice())
    page = Paginator(calls, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = with_open_questions(page.object_list)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    return render(
        request,
        "calls/officer/list.html",
        {
            "page_obj": page,
            "filters": filters,
            "querystring_base": urlencode({k: v for k, v in chosen.items() if v}),
        },
    )


@login_required
def officer_create(request):
    _require_officer(request)
    form = CallCreateForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            call = call_create(actor=request.user, **form.service_arguments())
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("The draft %(reference)s is saved. Complete it, then publish it.")
                % {"reference": call.reference},
            )
            return redirect("calls:officer_manage", pk=call.pk)
    return render(request, "calls/officer/call_form.html", {"form": form, "call": None})


# --- One call: overview and lifecycle -------------------------------------------------------


@login_required
def officer_manage(request, pk: int):
    call = _managed_call(request, pk, queryset=call_detail())
    next_states = states.next_states(call)
    is_draft = call.status == Call.Status.DRAFT
    context = {
        "call": call,
        "is_draft": is_draft,
        "is_contest": call.instrument in CONTESTS,
        "phase_total": sum((phase.budget for phase in call.phases.all()), Decimal("0.00")),
        "problems": call_publication_problems(call) if is_draft else [],
        "can_publish": Call.Status.PUBLISHED in next_states,
        "can_close": Call.Status.CLOSED in next_states,
        "can_start_assessment": Call.Status.UNDER_ASSESSMENT in next_states,
        "can_cancel": Call.Status.CANCELLED in next_states,
        "can_complete": Call.Status.COMPLETED in next_states,
        "can_amend": call_may_amend(call),
        "deadline_passed": not call.is_open and call.status == Call.Status.PUBLISHED,
        "sections": call_sections(call, request.user, "officer"),
    }
    return render(request, "calls/officer/manage.html", context)


def _transition(request, pk: int, service, success: str):
    call = _managed_call(request, pk)
    try:
        service(call=call, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success)
    return redirect("calls:officer_manage", pk=call.pk)


@login_required
@require_http_methods(["GET", "POST"])
def officer_publish(request, pk: int):
    """Publish the draft, after a confirmation page (portal/confirm.py): it cannot be undone."""
    if is_confirmed(request):
        return _transition(request, pk, call_publish, _("The call is published."))
    call = _managed_call(request, pk, queryset=call_detail())
    if not states.can_move(call, Call.Status.PUBLISHED) or call_publication_problems(call):
        if request.method == "GET":  # the page says what is missing; a GET changes nothing
            return redirect("calls:officer_manage", pk=call.pk)
        # Nothing to confirm: the service says why it cannot be published.
        return _transition(request, pk, call_publish, _("The call is published."))
    return confirmation_page(request, _publish_confirmation(call), context={"call": call})


def _publish_confirmation(call: Call) -> Confirmation:
    phases = list(call.phases.all())
    return Confirmation(
        title=_("Publish the call?"),
        lead=_("Check the call once more. Publishing makes it public at once."),
        summary=[
            (_("Call"), f"{call.reference} {call.display_title}"),
            (_("Instrument"), call.get_instrument_display()),
            (_("Deadline"), moment(call.deadline)),
            (_("Deadline for questions"), moment(call.questions_deadline)),
            (_("Total budget"), euro(call.total_budget)),
            (_("Phases"), ", ".join(phase.display_name for phase in phases)),
        ],
        happens=[
            _("The call appears for everyone on the calls page, in the feed and in the open data."),
            _("Companies can ask questions and submit proposals until the deadline."),
        ],
        final=[
            _(
                "The phases, criteria and their weights, the budgets and the required documents "
                "are frozen."
            ),
            _(
                "Other changes (such as the deadline) are only possible as a public amendment "
                "with a reason. The publication cannot be undone; the call can only be "
                "cancelled, with a reason."
            ),
        ],
        button=_("Yes, publish the call"),
        back_url=reverse("calls:officer_manage", kwargs={"pk": call.pk}),
        back_label=_("Back, do not publish"),
        breadcrumbs="calls/officer/_breadcrumbs.html",
    )


@login_required
@require_POST
def officer_close(request, pk: int):
    return _transition(request, pk, call_close, _("The call is closed."))


@login_required
def officer_complete(request, pk: int):
    """Complete an awarded call: asked for on a page first, since it cannot be undone."""
    if request.method == "POST":
        return _transition(request, pk, call_complete, _("The call is completed."))
    call = _managed_call(request, pk)
    can_complete = states.can_move(call, Call.Status.COMPLETED)
    return render(
        request, "calls/officer/complete.html", {"call": call, "can_complete": can_complete}
    )


@login_required
def officer_cancel(request, pk: int):
    call = _managed_call(request, pk)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            call_cancel(call=call, actor=request.user, reason=form.cleaned_data["reason"])
        except DomainError as error:
            if _field_for(error, form) is None:
                messages.error(request, error.message)
                return redirect("calls:officer_manage", pk=call.pk)
            form.add_error(_field_for(error, form), error.message)
        else:
            messages.success(request, _("The call is cancelled."))
            return redirect("calls:officer_manage", pk=call.pk)
    return render(request, "calls/officer/cancel.html", {"call": call, "form": form})


@login_required
def officer_amend(request, pk: int):
    """Record and publish an amendment (rectificatie), after a confirmation page: it is
    public and sent to the followers at once."""
    call = _managed_call(request, pk)
    form = CallAmendForm(request.POST or None, call=call)
    if request.method == "POST" and form.is_valid():
        reason, changes = form.cleaned_data["reason"], form.changes()
        try:
            if not is_confirmed(request):
                call_amend_check(call=call, actor=request.user, reason=reason, changes=changes)
                if not is_revision(request):
                    return confirmation_page(
                        request, _amend_confirmation(call, form, changes), context={"call": call}
                    )
            else:
                amendment = call_amend(
                    call=call, actor=request.user, reason=reason, changes=changes
                )
        except DomainError as error:
            form.add_error(_field_for(error, form), error.message)
        else:
            if is_confirmed(request):
                messages.success(
                    request,
                    _("Amendment %(number)s is published and sent to the followers of the call.")
                    % {"number": amendment.number},
                )
                return redirect("calls:officer_manage", pk=call.pk)
    context = {
        "call": call,
        "may_amend": call_may_amend(call),
        "form": form,
        "amendments": call.amendments.select_related("created_by"),
    }
    return render(request, "calls/officer/amend.html", context)


def _amend_confirmation(call: Call, form: CallAmendForm, changes: dict) -> Confirmation:
    number = (call.amendments.aggregate(last=Max("number"))["last"] or 0) + 1

    def shown(value) -> str:
        return moment(value) if isinstance(value, datetime) else str(value or "–")

    summary: list[tuple[str, str | Replacement]] = [
        (_("Call"), f"{call.reference} {call.display_title}")
    ]
    rows = [(name, getattr(call, name), value) for name, value in changes.items()]
    if set(changes) & set(VALIDITY_FIELDS):
        # One row for the period, in words with its unit ("3 months"), as it is recorded.
        rows = [row for row in rows if row[0] not in VALIDITY_FIELDS]
        period = validity_in_words(
            changes.get("tender_validity", call.tender_validity),
            changes.get("tender_validity_unit") or call.tender_validity_unit,
        )
        rows.append(("tender_validity", call.tender_validity_display, period))
    for name, before, after in rows:
        old, new = shown(before), shown(after)
        label = str(form.fields[name].label)
        if isinstance(form.fields[name].widget, forms.Textarea):
            written_in = "en" if name.endswith("_en") else settings.LANGUAGE_CODE
            summary.append((label, Replacement(old=old, new=new, lang=written_in)))  # two blocks
        else:
            summary.append((label, _("%(old)s, becomes %(new)s") % {"old": old, "new": new}))
    summary.append((_("Reason for the amendment"), form.cleaned_data["reason"]))
    return Confirmation(
        title=_("Publish amendment %(number)s?") % {"number": number},
        lead=_("Check the changes once more. The amendment is published at once."),
        summary=summary,
        happens=[
            _("The call shows the changes and the amendment with its reason to everyone."),
            _("Everyone who follows the call receives an e-mail about the amendment."),
        ],
        final=[_("A published amendment cannot be withdrawn; a new amendment can correct it.")],
        button=_("Publish the amendment"),
        back_url=reverse("calls:officer_manage", args=[call.pk]),
        back_label=_("Back to the call"),
        revisable=True,
    )


# --- Drafting: main fields, phases, criteria, questions, documents --------------------------


@login_required
def officer_edit(request, pk: int):
    call = _managed_call(request, pk)
    if call.status != Call.Status.DRAFT:
        return render(request, "calls/officer/call_form.html", {"call": call, "frozen": True})
    # The form changes its instance while validating; the page keeps showing the saved call.
    form = CallEditForm(request.POST or None, instance=copy.copy(call))
    if request.method == "POST" and form.is_valid():
        try:
            call_update_draft(call=call, actor=request.user, data=form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect("calls:officer_manage", pk=call.pk)
    return render(request, "calls/officer/call_form.html", {"call": call, "form": form})


def _formsets_page(request, call: Call, formsets: list, template: str, **context):
    """Show and save one or more formsets of a draft; read-only once the call is published."""
    frozen = call.status != Call.Status.DRAFT
    if frozen:
        for formset in formsets:
            formset.freeze()
    # Validate every formset (no short cut), so that each shows its errors at once.
    valid = [formset.is_valid() for formset in formsets] if request.method == "POST" else []
    if valid and all(valid):
        try:
            call_update_draft_rows(
                call=call, actor=request.user, changes=[formset.changes() for formset in formsets]
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Your changes are saved."))
        return redirect(request.path)
    context = {
        "call": call,
        "formsets": formsets,
        "frozen": frozen,
        "has_errors": any(formset.total_error_count() for formset in formsets),
        **context,
    }
    return render(request, template, context)


@login_required
def officer_phases(request, pk: int):
    call = _managed_call(request, pk)
    formset = PhaseFormSet(
        request.POST or None,
        instance=call,
        prefix="phases",
        form_kwargs={"contest": call.is_contest},
    )
    return _formsets_page(
        request,
        call,
        [formset],
        "calls/officer/phases.html",
        phase_total=phase_budget_total(call),
        is_contest=call.instrument in CONTESTS,
        phases=call.phases.all(),
    )


def _phase_of(call: Call, phase_pk: int):
    return get_object_or_404(call.phases.all(), pk=phase_pk)


@login_required
def officer_criteria(request, pk: int, phase_pk: int):
    call = _managed_call(request, pk)
    phase = _phase_of(call, phase_pk)
    criteria = CriterionFormSet(request.POST or None, instance=phase, prefix="criteria")
    documents = RequiredDocumentFormSet(request.POST or None, instance=phase, prefix="documents")
    return _formsets_page(
        request,
        call,
        [criteria, documents],
        "calls/officer/criteria.html",
        phase=phase,
        weights=phase.criteria.aggregate(total=Sum("weight"))["total"] or 0,
    )


@login_required
def officer_prizes(request, pk: int, phase_pk: int):
    call = _managed_call(request, pk)
    if call.instrument not in CONTESTS:
        raise Http404
    phase = _phase_of(call, phase_pk)
    formset = PrizeFormSet(request.POST or None, instance=phase, prefix="prizes")
    prize_total = sum((prize.total for prize in phase.prizes.all()), Decimal("0.00"))
    return _formsets_page(
        request,
        call,
        [formset],
        "calls/officer/prizes.html",
        phase=phase,
        prize_total=prize_total,
    )


@login_required
def officer_form_questions(request, pk: int):
    call = _managed_call(request, pk)
    formset = QuestionFormSet(
        request.POST or None,
        instance=call,
        prefix="questions",
        form_kwargs={"phases": call.phases.all()},
    )
    return _formsets_page(request, call, [formset], "calls/officer/form_questions.html")


@login_required
def officer_documents(request, pk: int):
    call = _managed_call(request, pk)
    form = CallDocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            document = call_document_add(
                call=call,
                actor=request.user,
                title=form.cleaned_data["title"],
                file=form.cleaned_data["file"],
            )
        except DomainError as error:
            # Refusals of the file itself (type, size, virus) belong at the file field.
            field = None if error.code == "frozen" else "file"
            form.add_error(field, error.message)
        else:
            messages.success(
                request, _("The document “%(title)s” is added.") % {"title": document.title}
            )
            return redirect("calls:officer_documents", pk=call.pk)
    context = {
        "call": call,
        "form": form,
        "documents": call.documents.all(),
        "is_draft": call.status == Call.Status.DRAFT,
        "accepts_documents": call.status in (Call.Status.DRAFT, Call.Status.PUBLISHED),
    }
    return render(request, "calls/officer/documents.html", context)


@login_required
@require_POST
def officer_document_delete(request, pk: int, document_pk: int):
    call = _managed_call(request, pk)
    document = get_object_or_404(call.documents.all(), pk=document_pk)

    try:
        call_document_delete(call=call, actor=request.user, document=document)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("The document “%(title)s” is deleted.") % {"title": document.title}
        )
    return redirect("calls:officer_documents", pk=call.pk)
