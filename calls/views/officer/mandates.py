"""An authority's mandates: which organisations (RVO) run its calls, and which authorities
this officer's organisation acts for. Thin: rules in calls.services.mandates."""

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

from ...forms.mandates import MandateForm
from ...selectors.mandates import mandate_of_user, mandates_of
from ...services.mandates import mandate_grant, mandate_revoke

MANDATES_PER_PAGE = 50


def _require_officer(request) -> None:
    if not can(request.user, "calls.add_call"):
        raise PermissionDenied


@login_required
def mandates(request):
    _require_officer(request)
    form = MandateForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            mandate = mandate_grant(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(error.code if error.code in form.fields else None, error.message)
        else:
            messages.success(
                request,
                _("%(agent)s may now act for %(authority)s.")
                % {"agent": mandate.agent.name, "authority": mandate.principal.name},
            )
            return redirect("calls:mandates")
    page = Paginator(mandates_of(request.user), MANDATES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "calls/officer/mandates.html",
        {"mandates": page.object_list, "page_obj": page, "form": form},
    )


@login_required
@require_POST
def revoke(request, pk: int):
    _require_officer(request)
    mandate = mandate_of_user(request.user, pk)
    if mandate is None:
        raise Http404
    try:
        mandate_revoke(actor=request.user, mandate=mandate)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The mandate is revoked."))
    return redirect("calls:mandates")
