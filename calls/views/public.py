"""The public pages of calls: no login needed, drafts only for their own authority's officers.

A call nobody may see is a 404 (never a 403), so that outsiders cannot even learn
that another authority's draft exists.
"""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from portal.exceptions import DomainError
from portal.files import file_response
from portal.hooks import call_sections
from portal.permissions import can

from ..api.filters import CallFilter
from ..models import Call, CallDocument, ClarificationRelease, ParticipationRequest
from ..selectors.calls import (
    call_detail,
    call_with_authority,
    calls_public,
    calls_with_authority,
    calls_with_phases,
    is_following,
)
from ..selectors.participation import (
    is_partnership,
    participation_open_problem,
    participation_requests_of_company_member,
)
from ..selectors.selection import exclusion_grounds_of, selection_criteria_of
from ..services.lifecycle import call_follow, call_unfollow
from ..tasks import render_clarification_pdf
from .feeds import call_calendar

PAGE_SIZE = 20


def _open_first(queryset: QuerySet[Call]) -> QuerySet[Call]:
    """Open calls first, soonest deadline on top; then the others, latest deadline first."""
    is_open = Q(status=Call.Status.PUBLISHED, deadline__gt=timezone.now())
    return queryset.annotate(
        open_rank=Case(When(is_open, then=Value(0)), default=Value(1), output_field=IntegerField())
    ).order_by(
        "open_rank",
        Case(When(is_open, then=F("deadline"))).asc(nulls_last=True),
        F("deadline").desc(),
        "-pk",
    )


def _visible_call(request, pk: int, queryset: QuerySet[Call] | None = None) -> Call:
    """The call if this person may see it; a 404 otherwise, also for drafts of others."""
    if queryset is None:
        queryset = calls_with_authority()
    call = get_object_or_404(queryset, pk=pk)
    if not can(request.user, "calls.view_call", call):
        raise Http404
    return call


@require_GET
def call_list(request):
    filterset = CallFilter(request.GET or None, queryset=_open_first(calls_public()))
    paginator = Paginator(filterset.qs, PAGE_SIZE)
    page_obj = paginator.get_page(request.GET.get("page"))
    # The active filters, kept in the pagination links.
    params = request.GET.copy()
    params.pop("page", None)
    for key in [key for key, values in params.lists() if not any(values)]:
        del params[key]
    return render(
        request,
        "calls/list.html",
        {
            "filterset": filterset,
            "form": filterset.form,
            "page_obj": page_obj,
            "querystring_base": params.urlencode(),
            "is_filtered": bool(params),
        },
    )


@require_GET
def call_detail_page(request, pk: int, slug: str):
    call = _visible_call(request, pk, call_detail())
    if slug != call.slug:
        return redirect(call, permanent=True)
    user = request.user
    phases = list(call.phases.all())
    questions = list(call.questions.all())
    phases_by_pk = {phase.pk: phase for phase in phases}
    for question in questions:
        # Use the prefetched phases instead of one query per question.
        if question.phase_id in phases_by_pk:
            question.phase = phases_by_pk[question.phase_id]
    response = render(
        request,
        "calls/detail.html",
        {
            "call": call,
            "phases": phases,
            "questions": questions,
            "is_preview": call.status == Call.Status.DRAFT,
            "can_follow": can(user, "calls.follow_call", call),
            "is_following": user.is_authenticated and is_following(call=call, user=user),
            "can_ask_question": can(user, "calls.ask_question", call),
            "sections": call_sections(call, user, "public", phases),
            **_partnership_context(call, user),
        },
    )
    if not call.is_public:
        patch_cache_control(response, private=True, no_store=True)
    return response


def _partnership_context(call: Call, user) -> dict:
    """Innovation partnership: the two stages, and where this company stands in them."""
    if not is_partnership(call):
        return {"is_partnership": False}
    own = None
    if user.is_authenticated:
        own = (
            participation_requests_of_company_member(user)
            .filter(call=call)
            .exclude(status=ParticipationRequest.Status.WITHDRAWN)
            .first()
        )
    return {
        "is_partnership": True,
        "selection_criteria": selection_criteria_of(call),
        "exclusion_grounds": exclusion_grounds_of(call),
        "participation_open": participation_open_problem(call) is None,
        "can_request_participation": own is None
        and (not user.is_authenticated or can(user, "calls.request_participation", call)),
        "own_participation": own,
        "invited_to_tender": own is not None and own.is_invited,
    }


@require_POST
def follow(request, pk: int):
    call = _visible_call(request, pk)
    if not request.user.is_authenticated:
        return redirect_to_login(call.get_absolute_url())
    try:
        call_follow(call=call, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _(
                "You follow this call. We will e-mail you when answers to questions or "
                "amendments are published."
            ),
        )
    return redirect(call)


@require_POST
def unfollow(request, pk: int):
    call = _visible_call(request, pk)
    if not request.user.is_authenticated:
        return redirect_to_login(call.get_absolute_url())
    call_unfollow(call=call, actor=request.user)
    messages.success(request, _("You no longer follow this call."))
    return redirect(call)


@require_GET
def document(request, pk: int, document_pk: int):
    call = _visible_call(request, pk)
    document = get_object_or_404(CallDocument, pk=document_pk, call=call)
    filename = f"{slugify(document.title)[:80] or 'document'}.pdf"
    response = file_response(document.file, filename=filename, private=not call.is_public)
    return response


@require_GET
def ical(request, pk: int):
    call = _visible_call(request, pk, calls_with_phases())
    url = request.build_absolute_uri(call.get_absolute_url())
    response = HttpResponse(
        call_calendar(call, url=url), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'inline; filename="{call.reference}-deadlines.ics"'
    if not call.is_public:
        patch_cache_control(response, private=True, no_store=True)
    return response


def _call_or_404(user, pk: int, permission: str) -> Call:
    """The call, if this person may see it; 404 otherwise, so outsiders learn nothing."""
    call = call_with_authority(pk)
    if call is None or not can(user, permission, call):
        raise Http404
    return call


@require_GET
def clarification_pdf(request, pk: int, number: int):
    """A nota van inlichtingen as PDF, rendered now if the background task has not yet."""
    call = _call_or_404(request.user, pk, "calls.view_call")
    release = get_object_or_404(ClarificationRelease, call=call, number=number)
    if not release.pdf:
        render_clarification_pdf(release.pk)  # in this process, as the reader is waiting
        release.refresh_from_db(fields=["pdf"])
    return file_response(
        release.pdf,
        filename=f"nota-van-inlichtingen-{call.reference}-{release.number}.pdf",
        private=False,
    )


def _partnership(request, pk: int, *, manage: bool = False) -> Call:
    call = get_object_or_404(calls_with_authority(), pk=pk)
    permission = "calls.manage_call" if manage else "calls.view_call"
    if not is_partnership(call) or not can(request.user, permission, call):
        raise Http404
    return call
