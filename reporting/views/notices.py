"""A call's procurement notices (eForms): the officer's page, its actions, and the published XML.

Thin: the call and its notices come from reporting.selectors.notices, every change from
reporting.services.notices (and the publication details from calls' service).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from calls.models import Call
from calls.services.lifecycle import call_update_publication_details
from portal.confirm import Confirmation, confirmation_page, is_confirmed, moment
from portal.exceptions import DomainError
from portal.permissions import can

from ..forms.notices import PublicationDetailsForm
from ..models import Notice
from ..selectors.findings import CallPhases, notice_findings
from ..selectors.notices import (
    above_eu_threshold,
    call_for_notices,
    competition_notice,
    final_awards,
    goes_to_tenderned,
    notice_of_call,
    notice_waits_for,
    notices_of_call,
    order_message,
    result_notice,
    takes_notices,
    waits_for,
)
from ..services.notices import notice_prepare, notice_prepare_again, notice_send


def _managed_call(request, pk: int) -> Call:
    call = call_for_notices(pk)
    if call is None or not can(request.user, "calls.manage_call", call):
        raise Http404
    return call


def _notice(call: Call, notice_pk: int) -> Notice:
    notice = notice_of_call(call, notice_pk)
    if notice is None:
        raise Http404
    return notice


def _waiting(notice: Notice, notices: list[Notice]) -> str:
    """Why a notice that could be sent must wait ("" when it need not)."""
    if notice.is_published or notice.awaits_publisher:
        return ""
    previous = waits_for(notice, notices)
    return order_message(notice, previous) if previous is not None else ""


def _page(request, call: Call, form: PublicationDetailsForm | None = None):
    notices = list(notices_of_call(call))
    phases = CallPhases(call)
    awards = final_awards(call) if call.is_public else []
    context = {
        "call": call,
        "form": form or PublicationDetailsForm(instance=call),
        "notices": notices,
        # Each notice with its findings in words and where each is fixed, and why it waits
        # (the notice it follows is not yet published).
        "notice_rows": [
            (
                notice,
                notice_findings(notice, call, user=request.user, phases=phases),
                _waiting(notice, notices),
            )
            for notice in notices
        ],
        "takes_notices": takes_notices(call),
        "above_threshold": above_eu_threshold(call),
        "goes_to_tenderned": goes_to_tenderned(call),
        "may_prepare_competition": call.is_public and competition_notice(call) is None,
        "may_prepare_result": bool(awards) and result_notice(call) is None,
        "final_awards": len(awards),
        "details_editable": not call.has_ended,
    }
    return render(request, "reporting/notices/officer.html", context)


@login_required
@require_GET
def officer_notices(request, pk: int):
    return _page(request, _managed_call(request, pk))


@login_required
@require_POST
def update_details(request, pk: int):
    call = _managed_call(request, pk)
    form = PublicationDetailsForm(request.POST, instance=call_for_notices(pk))
    if form.is_valid():
        try:
            call_update_publication_details(call=call, actor=request.user, data=form.cleaned_data)
        except (DomainError, ValidationError) as error:
            form.add_error(None, getattr(error, "message", None) or "; ".join(error.messages))
        else:
            messages.success(
                request,
                _("The publication details are saved. Prepare the notices again to use them."),
            )
            return redirect("notices:officer", pk=call.pk)
    return _page(request, call, form)


def _act(request, call: Call, action, success: str):
    try:
        action()
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success)
    return redirect("notices:officer", pk=call.pk)


@login_required
@require_POST
def prepare(request, pk: int):
    call = _managed_call(request, pk)
    kind = request.POST.get("kind")
    if kind not in (Notice.Kind.COMPETITION, Notice.Kind.RESULT):
        raise Http404
    return _act(
        request,
        call,
        lambda: notice_prepare(call=call, kind=kind, actor=request.user),
        _("The notice is prepared and checked."),
    )


@login_required
@require_POST
def prepare_again(request, pk: int, notice_pk: int):
    call = _managed_call(request, pk)
    notice = _notice(call, notice_pk)
    return _act(
        request,
        call,
        lambda: notice_prepare_again(notice=notice, actor=request.user),
        _("The notice is prepared again from the call's current data and checked."),
    )


def _send_confirmation(call: Call, notice: Notice, user) -> Confirmation:
    """What the officer confirms: the notice as last checked, where it goes, what remains."""
    findings = notice_findings(notice, call, user=user)["rules"]
    kind = str(notice.get_kind_display()).capitalize()
    if notice.amendment is not None:
        kind += " " + _("(amendment %(number)s)") % {"number": notice.amendment.number}
    remaining = (
        "\n".join(f"– {finding.words}" for finding in findings)
        if findings
        else _("None: the notice meets the schema, the mandatory terms and the business rules.")
    )
    destination = (
        _("TenderNed, which forwards it to TED (the call reaches the EU threshold)")
        if above_eu_threshold(call)
        else _("TenderNed")
    )
    return Confirmation(
        title=_("Send the notice to TenderNed?"),
        lead=_("Check what will be sent. Nothing is sent until you confirm."),
        summary=[
            (_("Call"), f"{call.reference} – {call.title}"),
            (_("Notice"), kind),
            (_("Notice identifier"), str(notice.notice_id)),
            (_("Notice subtype"), notice.subtype),
            (_("Checked at"), moment(notice.validated_at)),
            (_("Goes to"), str(destination)),
            (_("Remaining findings of the business rules"), str(remaining)),
        ],
        happens=[
            _(
                "The notice's XML as it was last prepared and checked goes to TenderNed; this "
                "page shows when it is published or why it was refused."
            ),
            _(
                "TenderNed or TED may refuse the notice on the remaining findings above; "
                "then you solve them, prepare the notice again and send it again."
            ),
        ],
        final=[
            _(
                "A sent notice can no longer be prepared again or taken back here; once "
                "published, a change to the call needs an amendment (a change notice)."
            )
        ],
        button=_("Yes, send to TenderNed"),
        back_url=reverse("notices:officer", kwargs={"pk": call.pk}),
        back_label=_("No, back to the notices"),
        breadcrumbs="calls/officer/_breadcrumbs.html",
    )


@login_required
@require_POST
def send(request, pk: int, notice_pk: int):
    """Asks first (portal.confirm): the notice is sent only by a POST with confirmed=1."""
    call = _managed_call(request, pk)
    notice = _notice(call, notice_pk)
    # A notice that must wait for another is refused by the service, without asking first.
    if notice.may_be_sent and not is_confirmed(request) and notice_waits_for(notice) is None:
        return confirmation_page(
            request, _send_confirmation(call, notice, request.user), context={"call": call}
        )
    return _act(
        request,
        call,
        lambda: notice_send(notice=notice, actor=request.user),
        _("The notice is sent to TenderNed. This page shows when it is published."),
    )


def _xml_response(notice: Notice) -> HttpResponse:
    response = HttpResponse(notice.xml.encode("utf-8"), content_type="application/xml")
    response["Content-Disposition"] = f'attachment; filename="notice-{notice.notice_id}.xml"'
    return response


@login_required
@require_GET
def xml(request, pk: int, notice_pk: int):
    return _xml_response(_notice(_managed_call(request, pk), notice_pk))


@require_GET
def published_xml(request, pk: int, notice_pk: int):
    """Anyone may read a notice once it is published."""
    call = call_for_notices(pk)
    notice = _notice(call, notice_pk) if call is not None else None
    if notice is None or not notice.is_published:
        raise Http404
    return _xml_response(notice)
