"""Co-financing pages: an officer applies for EZK co-financing, ministry staff decide.

Thin views: who may see the page comes from the permission rules, every write is a service
from funding.services, and a refusal of a service (DomainError) becomes a form error or a
message with what was typed kept.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from calls.models import Call
from portal.exceptions import DomainError
from portal.models import Role
from portal.permissions import can
from portal.selectors import organisations_of, roles_of

from .models import CoFinancingApplication, FundingRound
from .services import cofinancing_apply, cofinancing_approve, cofinancing_reject

PAGE_SIZE = 25


def open_rounds():
    now = timezone.now()
    return FundingRound.objects.filter(opens_at__lte=now, closes_at__gt=now).select_related("fund")


class ApplyForm(forms.Form):
    funding_round = forms.ModelChoiceField(
        label=gettext_lazy("Funding round"), queryset=FundingRound.objects.none()
    )
    trajectory_cost = forms.DecimalField(
        label=gettext_lazy("Total cost of the trajectory (€)"),
        max_digits=16,
        decimal_places=2,
        min_value=0,
    )
    requested = forms.DecimalField(
        label=gettext_lazy("Requested co-financing (€)"),
        max_digits=16,
        decimal_places=2,
        min_value=0,
        help_text=gettext_lazy("At most the round's share of the cost and its maximum amount."),
    )
    motivation = forms.CharField(
        label=gettext_lazy("Motivation"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy("How the trajectory fits the missions."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["funding_round"].queryset = open_rounds()


class RejectForm(forms.Form):
    motivation = forms.CharField(label=gettext_lazy("Motivation"), widget=forms.Textarea)


def _managed_call(request, pk: int) -> Call:
    """The call, if this person manages it; 404 otherwise, so nobody learns it exists."""
    call = get_object_or_404(Call.objects.select_related("authority"), pk=pk)
    if not can(request.user, "calls.manage_call", call):
        raise Http404
    return call


@login_required
def apply(request, call_pk: int):
    call = _managed_call(request, call_pk)
    form = ApplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            cofinancing_apply(
                funding_round=data["funding_round"],
                call=call,
                actor=request.user,
                trajectory_cost=data["trajectory_cost"],
                requested=data["requested"],
                motivation=data["motivation"],
            )
        except DomainError as error:
            field = {"amount": None, "limit": "requested", "motivation": "motivation"}.get(
                error.code
            )
            form.add_error(field, error.message)
        else:
            messages.success(
                request,
                _("The application for co-financing of %(reference)s is submitted.")
                % {"reference": call.reference},
            )
            return redirect("cofinancing:mine")
    return render(
        request,
        "cofinancing/apply.html",
        {"call": call, "form": form, "has_open_round": open_rounds().exists()},
    )


@login_required
def mine(request):
    if Role.PROCUREMENT_OFFICER not in roles_of(request.user):
        raise PermissionDenied
    authorities = organisations_of(request.user, role=Role.PROCUREMENT_OFFICER)
    applications = (
        CoFinancingApplication.objects.filter(authority__in=authorities)
        .select_related("round", "call", "call__authority", "authority")
        .order_by("-submitted_at", "-pk")
    )
    page = Paginator(applications, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "cofinancing/mine.html", {"page_obj": page})


def _require_ministry_staff(request) -> None:
    if Role.MINISTRY_STAFF not in roles_of(request.user):
        raise PermissionDenied


@login_required
def review(request):
    _require_ministry_staff(request)
    applications = CoFinancingApplication.objects.filter(
        round__opens_at__lte=timezone.now()
    ).select_related("round", "round__fund", "call", "authority", "submitted_by", "decided_by")
    page = Paginator(applications.order_by("submitted_at", "pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request, "cofinancing/review.html", {"page_obj": page, "reject_form": RejectForm()}
    )


def _application(pk: int) -> CoFinancingApplication:
    return get_object_or_404(CoFinancingApplication.objects.select_related("call"), pk=pk)


@login_required
@require_POST
def approve(request, pk: int):
    _require_ministry_staff(request)
    application = _application(pk)
    try:
        cofinancing_approve(
            application=application,
            actor=request.user,
            motivation=request.POST.get("motivation", ""),
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Co-financing of %(call)s is approved and committed.")
            % {"call": application.call.title},
        )
    return redirect("cofinancing:review")


@login_required
@require_POST
def reject(request, pk: int):
    _require_ministry_staff(request)
    application = _application(pk)
    form = RejectForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Motivate the decision."))
        return redirect("cofinancing:review")
    try:
        cofinancing_reject(
            application=application,
            actor=request.user,
            motivation=form.cleaned_data["motivation"],
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("The application for %(call)s is rejected.") % {"call": application.call.title},
        )
    return redirect("cofinancing:review")
