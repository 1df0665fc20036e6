"""The ministry's money pages (budget dashboard, a fund's transactions) and authority targets.

Thin views: who may see a page comes from funding.permissions; every figure is an aggregate
query, so a page costs the same number of queries for ten transactions or ten thousand.
"""

from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, DecimalField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce, ExtractYear
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from calls.models import Call, Mission
from portal.models import Organisation, Role
from portal.selectors import organisations_of, roles_of
from proposals.models import Contract

from .charts import fund_bar
from .models import Account, AuthorityTarget, CoFinancingApplication, Entry, Fund, Transaction
from .selectors import fund_balances

ZERO = Decimal("0.00")
MONEY_FIELD = DecimalField(max_digits=16, decimal_places=2)
TRANSACTIONS_PER_PAGE = 50
TARGETS_PER_PAGE = 50
RECENT_APPLICATIONS = 20
TRAJECTORY_INSTRUMENTS = (Call.Instrument.SBIR, Call.Instrument.INNOVATION_PARTNERSHIP)


def _require(request, permission: str, obj=None) -> None:
    if not request.user.has_perm(permission, obj):
        raise PermissionDenied


# --- Reads -------------------------------------------------------------------------------------


def _committed_entries():
    """Entries on commitment accounts: their sum is what is committed and not yet paid."""
    return Entry.objects.filter(account__kind=Account.Kind.COMMITTED).order_by()


def committed_by(key: str) -> list[dict]:
    """The committed amount grouped by one field (of the entry's transaction): one query."""
    return list(
        _committed_entries()
        .values(key)
        .annotate(total=Sum("amount"))
        .exclude(total=0)
        .order_by(key)
    )


def committed_per_year() -> list[dict]:
    rows = (
        _committed_entries()
        .annotate(year=ExtractYear("transaction__created_at"))
        .values("year")
        .annotate(total=Sum("amount"))
        .order_by("year")
    )
    return [{"label": row["year"], "total": row["total"]} for row in rows if row["total"]]


def committed_per_instrument() -> list[dict]:
    names = dict(Call.Instrument.choices)
    key = "transaction__call__instrument"
    return [
        {"label": names.get(row[key], _("no call")), "total": row["total"]}
        for row in committed_by(key)
    ]


def committed_per_mission() -> list[dict]:
    """Per mission of the call; a call with two missions counts for both."""
    missions = {mission.pk: str(mission) for mission in Mission.objects.all()}
    key = "transaction__call__missions"
    return [
        {"label": missions.get(row[key], _("no mission")), "total": row["total"]}
        for row in committed_by(key)
    ]


def committed_per_authority() -> list[dict]:
    key = "transaction__call__authority__name"
    return [{"label": row[key] or _("no call"), "total": row["total"]} for row in committed_by(key)]


def applications_per_status() -> list[dict]:
    names = dict(CoFinancingApplication.Status.choices)
    rows = (
        CoFinancingApplication.objects.order_by()
        .values("status")
        .annotate(count=Count("pk"), total=Sum("requested"))
        .order_by("status")
    )
    return [{"label": names[row["status"]], **row} for row in rows]


# --- Budget dashboard ----------------------------------------------------------------------


@login_required
def dashboard(request):
    _require(request, "funding.view_ledger")
    balances = fund_balances(Fund.objects.select_related("owner"))
    recent = CoFinancingApplication.objects.select_related("call", "authority", "round").order_by(
        "-submitted_at", "-pk"
    )[:RECENT_APPLICATIONS]
    return render(
        request,
        "funding/dashboard.html",
        {
            "funds": [{"balance": balance, "chart": fund_bar(balance)} for balance in balances],
            "per_year": committed_per_year(),
            "per_instrument": committed_per_instrument(),
            "per_mission": committed_per_mission(),
            "per_authority": committed_per_authority(),
            "applications_per_status": applications_per_status(),
            "applications": recent,
        },
    )


# --- A fund's transactions -----------------------------------------------------------------


class TransactionFilter(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"),
        required=False,
        choices=[("", gettext_lazy("All")), *list(Transaction.Kind.choices)],
    )


@login_required
def transactions(request, fund_code: str):
    _require(request, "funding.view_ledger")
    fund = get_object_or_404(Fund, code=fund_code)
    filters = TransactionFilter(request.GET or None)
    records = (
        Transaction.objects.filter(fund=fund)
        .select_related("created_by", "call")
        .annotate(amount=Sum("entries__amount", filter=Q(entries__amount__gt=0)))
        .order_by("-created_at", "-pk")
    )
    querystring = ""
    if filters.is_valid() and filters.cleaned_data["kind"]:
        records = records.filter(kind=filters.cleaned_data["kind"])
        querystring = f"kind={filters.cleaned_data['kind']}"
    page = Paginator(records, TRANSACTIONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "funding/transactions.html",
        {"fund": fund, "filters": filters, "page_obj": page, "querystring_base": querystring},
    )


# --- Authority targets ---------------------------------------------------------------------


class TargetForm(forms.ModelForm):
    class Meta:
        model = AuthorityTarget
        fields = ["authority", "year", "measure", "target", "procurement_budget"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["authority"].queryset = Organisation.objects.filter(
            kind=Organisation.Kind.AUTHORITY
        ).order_by("name")
        self.fields["year"].min_value = 2000
        self.fields["year"].widget.attrs["min"] = 2000
        self.fields["target"].min_value = 0
        self.fields["target"].widget.attrs["min"] = 0
        self.fields["procurement_budget"].widget.attrs["min"] = 0

    def clean_year(self):
        year = self.cleaned_data["year"]
        if year < 2000 or year > 2100:
            raise forms.ValidationError(_("Give a year between 2000 and 2100."))
        return year

    def clean_target(self):
        target = self.cleaned_data["target"]
        if target < 0:
            raise forms.ValidationError(_("A target cannot be negative."))
        return target

    def clean_procurement_budget(self):
        budget = self.cleaned_data.get("procurement_budget")
        if budget is not None and budget <= 0:
            raise forms.ValidationError(_("The procurement budget must be more than zero."))
        return budget

    def clean(self):
        data = super().clean()
        if data.get("measure") == AuthorityTarget.Measure.SHARE:
            if not data.get("procurement_budget"):
                self.add_error(
                    "procurement_budget",
                    _("A target as a share needs the authority's procurement budget."),
                )
            if data.get("target") is not None and data["target"] > 100:
                self.add_error("target", _("A share is at most 100%."))
        return data


def target_add(*, actor, data: dict) -> AuthorityTarget:
    """Ministry staff record a target agreed with an authority."""
    if not actor.has_perm("funding.view_ledger"):
        raise PermissionDenied
    with transaction.atomic():
        return AuthorityTarget.objects.create(**data)


def targets_with_progress(targets):
    """Each target with what the authority achieved in its year, as annotations."""
    trajectories = (
        Call.objects.filter(
            authority=OuterRef("authority"),
            publication_date__year=OuterRef("year"),
            instrument__in=TRAJECTORY_INSTRUMENTS,
        )
        .exclude(status=Call.Status.DRAFT)
        .order_by()
        .values("authority")
        .annotate(n=Count("pk"))
        .values("n")
    )
    contracted = (
        Contract.objects.filter(
            proposal__call__authority=OuterRef("authority"),
            start_date__year=OuterRef("year"),
        )
        .order_by()
        .values("proposal__call__authority")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return targets.select_related("authority").annotate(
        trajectories=Coalesce(Subquery(trajectories), Value(0)),
        contracted=Coalesce(Subquery(contracted), Value(ZERO), output_field=MONEY_FIELD),
    )


def progress_of(target: AuthorityTarget) -> dict:
    """What counts for the target's measure, and how much of the target that is (in %)."""
    if target.measure == AuthorityTarget.Measure.TRAJECTORIES:
        achieved = Decimal(target.trajectories)
    elif target.measure == AuthorityTarget.Measure.AMOUNT:
        achieved = Decimal(target.contracted)
    elif target.procurement_budget:
        achieved = (Decimal(target.contracted) / target.procurement_budget * 100).quantize(
            Decimal("0.1")
        )
    else:
        achieved = None
    percent = None
    if achieved is not None and target.target > 0:
        percent = min(int(achieved / target.target * 100), 999)
    return {"target": target, "achieved": achieved, "percent": percent}


@login_required
def targets(request):
    roles = roles_of(request.user)
    is_ministry = Role.MINISTRY_STAFF in roles
    if is_ministry:
        visible = AuthorityTarget.objects.all()
    elif Role.PROCUREMENT_OFFICER in roles:
        # An authority sees only its own money.
        visible = AuthorityTarget.objects.filter(
            authority__in=organisations_of(request.user, role=Role.PROCUREMENT_OFFICER)
        )
    else:
        raise PermissionDenied
    form = None
    if is_ministry:
        form = TargetForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            target_add(actor=request.user, data=form.cleaned_data)
            messages.success(request, _("The target is saved."))
            return redirect("funding:targets")
    elif request.method == "POST":
        raise PermissionDenied
    rows = targets_with_progress(visible.order_by("-year", "authority__name", "measure"))
    page = Paginator(rows, TARGETS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "funding/targets.html",
        {
            "page_obj": page,
            "rows": [progress_of(target) for target in page],
            "form": form,
            "measures": AuthorityTarget.Measure,
        },
    )
