"""Ministry staff's pages for co-financing rounds: the list with a form to prepare one, and
opening and closing a round. Thin: the rules are in funding.services.rounds."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.exceptions import DomainError
from portal.permissions import can

from ..forms.rounds import RoundForm
from ..selectors.cofinancing import round_by_pk, rounds_with_counts
from ..services.rounds import round_close, round_create, round_open

PAGE_SIZE = 25


def _require_staff(request) -> None:
    if not can(request.user, "funding.manage_rounds"):
        raise PermissionDenied


@login_required
def rounds(request):
    _require_staff(request)
    form = RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            funding_round = round_create(actor=request.user, **form.service_arguments())
        except DomainError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request,
                _("The round %(name)s is prepared; open it to accept applications.")
                % {"name": funding_round.name},
            )
            return redirect("cofinancing:rounds")
    page = Paginator(rounds_with_counts(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "cofinancing/rounds.html", {"page_obj": page, "form": form})


def _transition(request, pk: int, service, done: str):
    _require_staff(request)
    funding_round = round_by_pk(pk)
    if funding_round is None:
        raise Http404
    try:
        service(funding_round=funding_round, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done % {"name": funding_round.name})
    return redirect("cofinancing:rounds")


@login_required
@require_POST
def open_round(request, pk: int):
    return _transition(request, pk, round_open, _("The round %(name)s is open."))


@login_required
@require_POST
def close_round(request, pk: int):
    return _transition(request, pk, round_close, _("The round %(name)s is closed."))
