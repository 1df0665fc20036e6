"""The budget ledger: funds, accounts, balanced transactions, co-financing, authority targets.

Double entry: every transaction moves money between accounts of one fund and its entries sum
to zero. Each account keeps its balance, updated in the same database transaction as its
entries, so a balance is one row read however many transactions there are. The database
itself refuses a negative balance on an "available" or "committed" account: no fund commits
more than it has, and no payment exceeds its commitment, whatever code writes.
"""

from auditlog.registry import auditlog
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from calls.models import Call, Phase
from portal.models import Organisation
from portal.money import ZERO, MoneyField
from proposals.models import Contract, Proposal


class Fund(models.Model):
    class Kind(models.TextChoices):
        EZK = "ezk", _("EZK co-financing budget")
        AUTHORITY = "authority", _("contracting authority's own budget")

    code = models.SlugField(_("code"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    owner = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="funds", verbose_name=_("owner")
    )
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period until"))
    # An authority's budget for one phase of its call: awards commit it, milestones pay it.
    phase = models.OneToOneField(
        Phase,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("phase"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("fund")
        verbose_name_plural = _("funds")
        ordering = ["period_start", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="fund_period_ordered"
            ),
            models.CheckConstraint(
                condition=Q(phase__isnull=True) | Q(kind="authority"),
                name="fund_phase_only_for_authority",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Account(models.Model):
    class Kind(models.TextChoices):
        # Where appropriated money comes from; its balance is minus what was appropriated.
        APPROPRIATION = "appropriation", _("appropriation")
        AVAILABLE = "available", _("available")
        COMMITTED = "committed", _("committed")
        PAID = "paid", _("paid")

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="accounts")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # A committed account belongs to what the money is committed to.
    call = models.ForeignKey(
        Call, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    contract = models.ForeignKey(
        Contract, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    application = models.ForeignKey(
        "CoFinancingApplication",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    balance = MoneyField(_("balance"), default=ZERO)

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind__in=["available", "committed", "paid"]) | Q(balance__gte=0),
                name="account_balance_never_negative",
            ),
            models.UniqueConstraint(
                fields=["fund", "kind"],
                condition=Q(kind__in=["appropriation", "available", "paid"]),
                name="account_one_per_fund_and_kind",
            ),
            models.UniqueConstraint(
                fields=["fund", "application"],
                condition=Q(kind="committed", application__isnull=False),
                name="account_one_commitment_per_application",
            ),
            models.UniqueConstraint(
                fields=["fund", "contract"],
                condition=Q(kind="committed", contract__isnull=False),
                name="account_one_commitment_per_contract",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.fund.code}:{self.kind}:{self.pk}"


class Transaction(models.Model):
    class Kind(models.TextChoices):
        APPROPRIATION = "appropriation", _("appropriation")
        # Less appropriated than booked before (a budget cut): back from available.
        CORRECTION = "correction", _("correction of the appropriation")
        COMMITMENT = "commitment", _("commitment")
        PAYMENT = "payment", _("payment")
        RELEASE = "release", _("release")
        REVERSAL = "reversal", _("reversal")

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="transactions")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, db_index=True)
    DESCRIPTION_LENGTH = 500
    description = models.CharField(_("why"), max_length=DESCRIPTION_LENGTH)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    call = models.ForeignKey(
        Call, on_delete=models.PROTECT, null=True, blank=True, related_name="transactions"
    )
    proposal = models.ForeignKey(
        Proposal, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    contract = models.ForeignKey(
        Contract, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    application = models.ForeignKey(
        "CoFinancingApplication",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="transactions",
    )
    reverses = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reversed_by"
    )

    class Meta:
        verbose_name = _("transaction")
        verbose_name_plural = _("transactions")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"


class Entry(models.Model):
    transaction = models.ForeignKey(Transaction, on_delete=models.PROTECT, related_name="entries")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="entries")
    amount = MoneyField(_("amount"))

    class Meta:
        verbose_name = _("entry")
        verbose_name_plural = _("entries")
        constraints = [models.CheckConstraint(condition=~Q(amount=0), name="entry_not_zero")]

    def __str__(self) -> str:
        return f"{self.account}: {self.amount}"


class CallUse(models.Model):
    """What a fund committed (and still holds) and paid for one call in one year.

    Kept by every posting that names a call, in the same database transaction, like the
    account balances: the dashboard's breakdowns per year, instrument, mission and authority
    read a few rows per call, however many transactions there are. The amounts are the sums of
    the entries on committed and paid accounts, so they can be rebuilt from the ledger
    (`call_use_rebuild`) and the tests compare both.
    """

    USED_KINDS = ("committed", "paid")

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="+")
    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=20, choices=Account.Kind.choices)
    amount = MoneyField(_("amount"), default=ZERO)

    class Meta:
        verbose_name = _("use per call")
        verbose_name_plural = _("use per call")
        constraints = [
            models.UniqueConstraint(
                fields=["fund", "call", "year", "kind"], name="call_use_once_per_year_and_kind"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["committed", "paid"]), name="call_use_kind_used"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.fund_id}:{self.call_id}:{self.year}:{self.kind} {self.amount}"


# The ledger's own rows record who, when and why, and are never changed: no audit copies.
auditlog.register(Fund)
