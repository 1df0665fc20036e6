"""How funds, transactions, trajectories and co-financing applications look in the API,
and what clients may send. Serializers only read and validate.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    extend_schema_field,
)
from rest_framework import serializers

from calls.models import Call
from calls.selectors.calls import calls_of_authorities, no_calls
from portal.models import Role
from portal.money import MONEY_DIGITS, ZERO
from portal.selectors.identity import authorities, no_organisations, organisations_of

from ..models import (
    CoFinancingApplication,
    Entry,
    FollowUpPurchase,
    FundingRound,
    Transaction,
)
from ..selectors.budget import no_funds
from ..selectors.cofinancing import funding_rounds
from ..selectors.funds import ezk_funds, fund_owners_for
from ..selectors.purchases import developers_of

# --- Serializers ---------------------------------------------------------------------------------


class FundSerializer(serializers.Serializer):
    code = serializers.SlugField(source="fund.code")
    name = serializers.CharField(source="fund.name")
    kind = serializers.CharField(source="fund.kind")
    owner = serializers.CharField(source="fund.owner.name")
    period_start = serializers.DateField(source="fund.period_start")
    period_end = serializers.DateField(source="fund.period_end")
    appropriated = serializers.DecimalField(**MONEY_DIGITS)
    available = serializers.DecimalField(**MONEY_DIGITS)
    committed = serializers.DecimalField(**MONEY_DIGITS)
    paid = serializers.DecimalField(**MONEY_DIGITS)


class EntrySerializer(serializers.ModelSerializer):
    account = serializers.IntegerField(source="account_id")
    account_kind = serializers.CharField(source="account.kind")

    class Meta:
        model = Entry
        fields = ["account", "account_kind", "amount"]


class TransactionSerializer(serializers.ModelSerializer):
    created_by = serializers.CharField(source="created_by.full_name")
    entries = EntrySerializer(many=True)

    class Meta:
        model = Transaction
        fields = [
            "id",
            "kind",
            "description",
            "created_by",
            "created_at",
            "call",
            "application",
            "contract",
            "reverses",
            "entries",
        ]


class TransactionQuerySerializer(serializers.Serializer):
    call = serializers.IntegerField(
        required=False, min_value=1, help_text=_("Only the transactions of this call.")
    )


class ApplicationSerializer(serializers.ModelSerializer):
    round_name = serializers.CharField(source="round.name")
    call_reference = serializers.CharField(source="call.reference")
    call_title = serializers.CharField(source="call.title")
    authority = serializers.CharField(source="authority.name")

    class Meta:
        model = CoFinancingApplication
        fields = [
            "id",
            "round",
            "round_name",
            "call",
            "call_reference",
            "call_title",
            "authority",
            "trajectory_cost",
            "requested",
            "motivation",
            "plan",
            "status",
            "submitted_at",
            "decided_at",
            "decision_motivation",
        ]


class FundShareSerializer(serializers.Serializer):
    fund = serializers.SlugField()
    granted = serializers.DecimalField(**MONEY_DIGITS)
    paid = serializers.DecimalField(**MONEY_DIGITS)


class TrajectorySerializer(serializers.Serializer):
    """A co-financed call with what EZK granted and paid (in all and per fund) and its funnel."""

    call = serializers.IntegerField(source="call.pk")
    reference = serializers.CharField(source="call.reference")
    title = serializers.CharField(source="call.title")
    authority = serializers.CharField(source="call.authority.name")
    instrument = serializers.CharField(source="call.instrument")
    status = serializers.CharField(source="call.status")
    missions = serializers.SerializerMethodField()
    granted = serializers.DecimalField(source="ezk_amount", **MONEY_DIGITS)
    paid = serializers.DecimalField(source="ezk_paid", **MONEY_DIGITS)
    funds = serializers.SerializerMethodField()
    responses = serializers.IntegerField(help_text=_("Proposals received in the first phase."))
    feasibility = serializers.IntegerField(help_text=_("Awards in the first phase."))
    prototype = serializers.IntegerField(help_text=_("Awards in the later phases."))

    def get_missions(self, trajectory) -> list[str]:
        return [mission.code for mission in trajectory.missions]

    @extend_schema_field(FundShareSerializer(many=True))
    def get_funds(self, trajectory) -> list[dict]:
        codes = self.context["fund_codes"]
        shares = [
            {
                "fund": codes[fund_pk],
                "granted": granted,
                "paid": trajectory.paid_per_fund.get(fund_pk, ZERO),
            }
            for fund_pk, granted in sorted(trajectory.granted_per_fund.items())
        ]
        # Through the serializer, so amounts are strings like everywhere else, never floats.
        return FundShareSerializer(shares, many=True).data


class ApplyRequestSerializer(serializers.Serializer):
    round = serializers.PrimaryKeyRelatedField(queryset=funding_rounds())
    # Only calls this person manages: someone else's call does not exist here (no IDOR).
    call = serializers.PrimaryKeyRelatedField(queryset=no_calls())
    trajectory_cost = serializers.DecimalField(**MONEY_DIGITS)
    requested = serializers.DecimalField(**MONEY_DIGITS)
    motivation = serializers.CharField()
    plan = serializers.CharField(required=False, allow_blank=True, default="")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated:
            self.fields["call"].queryset = calls_of_authorities(
                organisations_of(request.user, role=Role.PROCUREMENT_OFFICER)
            )


class DecisionSerializer(serializers.Serializer):
    motivation = serializers.CharField(required=False, allow_blank=True, default="")


class RejectSerializer(serializers.Serializer):
    motivation = serializers.CharField()


class FundCreateSerializer(serializers.Serializer):
    """A new EZK fund; the owner is one of the ministries the person works for."""

    code = serializers.SlugField(max_length=50)
    name = serializers.CharField(max_length=200)
    owner = serializers.PrimaryKeyRelatedField(queryset=no_organisations())
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    amount = serializers.DecimalField(**MONEY_DIGITS)
    description = serializers.CharField(max_length=500, required=False, allow_blank=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated:
            self.fields["owner"].queryset = fund_owners_for(request.user)


class AppropriationRequestSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["appropriation", "correction"])
    amount = serializers.DecimalField(**MONEY_DIGITS)
    description = serializers.CharField(max_length=500)


class RoundSerializer(serializers.ModelSerializer):
    fund = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = FundingRound
        fields = [
            "id",
            "fund",
            "name",
            "status",
            "opens_at",
            "closes_at",
            "max_share",
            "max_amount",
            "instruments",
            "mission_required",
            "allocation",
            "publish_by",
        ]


class RoundCreateSerializer(serializers.Serializer):
    fund = serializers.SlugRelatedField(slug_field="code", queryset=no_funds())
    name = serializers.CharField(max_length=200)
    opens_at = serializers.DateTimeField()
    closes_at = serializers.DateTimeField()
    max_share = serializers.DecimalField(
        max_digits=4, decimal_places=3, help_text=_("A share: 0.5 is 50%.")
    )
    max_amount = serializers.DecimalField(**MONEY_DIGITS)
    instruments = serializers.ListField(
        child=serializers.ChoiceField(choices=Call.Instrument.choices), allow_empty=False
    )
    mission_required = serializers.BooleanField(default=True)
    allocation = serializers.ChoiceField(
        choices=FundingRound.Allocation.choices, default=FundingRound.Allocation.FIRST_COME
    )
    publish_by = serializers.DateField(required=False, allow_null=True, default=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fund"].queryset = ezk_funds()


class PurchaseSerializer(serializers.ModelSerializer):
    supplier_name = serializers.CharField(source="supplier.name")
    recorded_by = serializers.CharField(source="recorded_by.full_name")

    class Meta:
        model = FollowUpPurchase
        fields = [
            "id",
            "call",
            "supplier",
            "supplier_name",
            "amount",
            "purchased_on",
            "description",
            "recorded_by",
            "recorded_at",
        ]


class PurchaseCreateSerializer(serializers.Serializer):
    """A follow-up purchase of the call in the URL; the supplier developed the solution in it."""

    supplier = serializers.PrimaryKeyRelatedField(
        queryset=authorities().none(),
        help_text=_("A company that was awarded a phase of this call."),
    )
    amount = serializers.DecimalField(**MONEY_DIGITS)
    purchased_on = serializers.DateField()
    description = serializers.CharField(max_length=500)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        call = self.context.get("call")
        if call is not None:
            self.fields["supplier"].queryset = developers_of(call)
