"""The opening record of a phase (proces-verbaal van opening): for its officers and committee.

Before the deadline the page says how many proposals came in and when they open; after it,
the record (written by beat, or here by the first visit after the deadline).
"""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from calls.selectors.calls import phases_with_call
from portal.permissions import can

from ..selectors.opening import opening_entries, phase_deadline, received_counts
from ..services.opening import phase_open_if_due

# The record lists every proposal received: a page of it at a time.
OPENING_PAGE_SIZE = 100


@login_required
@require_GET
def opening(request, phase_pk: int):
    phase = get_object_or_404(phases_with_call(), pk=phase_pk)
    if not can(request.user, "proposals.view_opening", phase):
        raise Http404
    record = phase_open_if_due(phase=phase, actor=request.user)
    page = (
        Paginator(opening_entries(record), OPENING_PAGE_SIZE).get_page(request.GET.get("page"))
        if record
        else None
    )
    context = {
        "phase": phase,
        "call": phase.call,
        "deadline": phase_deadline(phase),
        "record": record,
        "entries": list(page.object_list) if page else [],
        "page_obj": page,
        "received": received_counts(phase=phase).get(phase.pk, 0),
        "is_officer": can(request.user, "calls.manage_call", phase.call),
    }
    return render(request, "proposals/opening.html", context)
