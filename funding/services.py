"""The one writer of the ledger, and the money flow built on it.

`transaction_post` is the only function that creates transactions: it checks that the entries
balance, locks the accounts involved (always in id order, so two writers never deadlock),
adds the entries and updates each account's balance in the same database transaction. A
negative balance on an available or committed account is refused by a database constraint,
so two officers committing the last euro at once cannot both succeed: the second waits for
the first's row lock, then finds too little left.
"""

import logging
from collections import defaultdict
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from calls.models import Call, Phase
from portal.exceptions import DomainError, NotAllowed
from portal.models import Organisation, Role, User
from proposals.models import Contract, Deliverable

from .models import (
    Account,
    AuthorityTarget,
    CallUse,
    CoFinancingApplication,
    Entry,
    Fund,
    FundingRound,
    Transaction,
)

logger = logging.getLogger(__name__)
CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def money(value) -> Decimal:
    """The one rounding rule: two decimals, half up."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def _positive(amount) -> Decimal:
    try:
        amount = money(amount)
    except (ArithmeticError, TypeError, ValueError) as error:
        raise DomainError(_("The amount is not a number."), code="amount") from error
    if amount <= ZERO:
        raise DomainError(_("The amount must be more than zero."), code="amount")
    return amount


def _is_ministry_staff(user: User) -> bool:
    return user.memberships.filter(role=Role.MINISTRY_STAFF).exists()


# --- Accounts and the single writer --------------------------------------------------------


def fund_account(fund: Fund, kind: str) -> Account:
    account, _created = Account.objects.get_or_create(fund=fund, kind=kind)
    return account


def transaction_post(
    *,
    fund: Fund,
    kind: str,
    actor: User,
    description: str,
    entries: list[tuple[Account, Decimal]],
    **links,
) -> Transaction:
    """Record one balanced transaction and update the balances; refuses what does not fit."""
    if not description.strip():
        raise DomainError(_("Say why: every transaction records its reason."), code="why")
    amounts = [money(amount) for _account, amount in entries]
    if len(entries) < 2 or any(a == ZERO for a in amounts):
        raise DomainError(_("A transaction moves a non-zero amount between accounts."))
    if sum(amounts, ZERO) != ZERO:
        raise DomainError(_("The entries of a transaction must add up to zero."), code="unbalanced")
    if any(account.fund_id != fund.pk for account, _amount in entries):
        raise DomainError(_("All entries must be in the same fund."), code="wrong_fund")
    try:
        with transaction.atomic():
            ids = sorted({account.pk for account, _amount in entries})
            list(Account.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
            record = Transaction.objects.create(
                fund=fund, kind=kind, description=description.strip(), created_by=actor, **links
            )
            Entry.objects.bulk_create(
                Entry(transaction=record, account=account, amount=amount)
                for (account, _raw), amount in zip(entries, amounts, strict=True)
            )
            for (account, _raw), amount in zip(entries, amounts, strict=True):
                Account.objects.filter(pk=account.pk).update(balance=F("balance") + amount)
            _add_call_use(record, list(zip((a for a, _raw in entries), amounts, strict=True)))
    except IntegrityError as error:
        # The balance constraint: an available or committed account would go below zero.
        raise DomainError(
            _("Not enough money left for this in %(fund)s.") % {"fund": fund.name},
            code="insufficient",
        ) from error
    return record


def _add_call_use(record: Transaction, entries: list[tuple[Account, Decimal]]) -> None:
    """Keep CallUse up to date: what this posting moved on committed and paid accounts."""
    if record.call_id is None:
        return
    moved: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for account, amount in entries:
        if account.kind in CallUse.USED_KINDS:
            moved[account.kind] += amount
    year = timezone.localtime(record.created_at).year
    for kind, amount in moved.items():
        if amount == ZERO:
            continue
        use, _created = CallUse.objects.get_or_create(
            fund_id=record.fund_id, call_id=record.call_id, year=year, kind=kind
        )
        CallUse.objects.filter(pk=use.pk).update(amount=F("amount") + amount)


def call_use_rebuild() -> int:
    """Recompute CallUse from the entries, e.g. after transactions were dated back (the demo).
    Returns the number of rows."""
    rows = (
        Entry.objects.filter(transaction__call__isnull=False, account__kind__in=CallUse.USED_KINDS)
        .annotate(year=ExtractYear("transaction__created_at"))
        .order_by()
        .values("account__fund", "transaction__call", "year", "account__kind")
        .annotate(total=Sum("amount"))
    )
    with transaction.atomic():
        CallUse.objects.all().delete()
        made = CallUse.objects.bulk_create(
            CallUse(
                fund_id=row["account__fund"],
                call_id=row["transaction__call"],
                year=row["year"],
                kind=row["account__kind"],
                amount=row["total"],
            )
            for row in rows
            if row["total"]
        )
    return len(made)


def transaction_reverse(*, original: Transaction, actor: User, reason: str) -> Transaction:
    """The only correction: a new transaction with every entry negated."""
    if not _is_ministry_staff(actor):
        raise NotAllowed()
    if original.kind == Transaction.Kind.REVERSAL:
        raise DomainError(_("A reversal cannot itself be reversed; post a new transaction."))
    if Transaction.objects.filter(reverses=original).exists():
        raise DomainError(_("This transaction has been reversed already."), code="reversed")
    entries = [
        (entry.account, -entry.amount) for entry in original.entries.select_related("account")
    ]
    try:
        return transaction_post(
            fund=original.fund,
            kind=Transaction.Kind.REVERSAL,
            actor=actor,
            description=reason,
            entries=entries,
            reverses=original,
            call=original.call,
            proposal=original.proposal,
            contract=original.contract,
            application=original.application,
        )
    except IntegrityError as error:  # two reversals at once: the one-to-one link refuses
        raise DomainError(_("This transaction has been reversed already.")) from error


# --- Funds ------------------------------------------------------------------------------------


def fund_open(
    *,
    code: str,
    name: str,
    kind: str,
    owner: Organisation,
    period_start: date,
    period_end: date,
    amount,
    actor: User,
    phase: Phase | None = None,
    call: Call | None = None,
) -> Fund:
    """A fund with its appropriated amount made available."""
    amount = _positive(amount)
    with transaction.atomic():
        fund = Fund.objects.create(
            code=code,
            name=name,
            kind=kind,
            owner=owner,
            period_start=period_start,
            period_end=period_end,
            phase=phase,
        )
        fund_appropriate(fund=fund, amount=amount, actor=actor, description=name, call=call)
    return fund


def fund_appropriate(*, fund: Fund, amount, actor: User, description: str, **links) -> Transaction:
    amount = _positive(amount)
    return transaction_post(
        fund=fund,
        kind=Transaction.Kind.APPROPRIATION,
        actor=actor,
        description=description,
        entries=[
            (fund_account(fund, Account.Kind.APPROPRIATION), -amount),
            (fund_account(fund, Account.Kind.AVAILABLE), amount),
        ],
        **links,
    )


# --- Co-financing of trajectories by EZK -----------------------------------------------------


def cofinancing_apply(
    *,
    funding_round: FundingRound,
    call: Call,
    actor: User,
    trajectory_cost,
    requested,
    motivation: str,
) -> CoFinancingApplication:
    """An authority asks EZK to co-finance a trajectory, within the round's window and limits."""
    if not actor.has_perm("calls.manage_call", call):
        raise NotAllowed(_("Only officers of the call's authority can apply for it."))
    now = timezone.now()
    if not funding_round.opens_at <= now < funding_round.closes_at:
        raise DomainError(
            _("Applications for %(round)s are accepted from %(opens)s until %(closes)s.")
            % {
                "round": funding_round.name,
                "opens": timezone.localtime(funding_round.opens_at).strftime("%d-%m-%Y %H:%M"),
                "closes": timezone.localtime(funding_round.closes_at).strftime("%d-%m-%Y %H:%M"),
            },
            code="window",
        )
    if call.status in (Call.Status.DRAFT, Call.Status.CANCELLED, Call.Status.COMPLETED):
        raise DomainError(_("Only a published trajectory can be co-financed."), code="call")
    cost = _positive(trajectory_cost)
    requested = _positive(requested)
    limit = min(money(cost * funding_round.max_share), funding_round.max_amount)
    if requested > limit:
        raise DomainError(
            _(
                "At most € %(limit)s can be requested for this trajectory (%(share)s%% of its "
                "cost, and no more than € %(max)s)."
            )
            % {
                "limit": limit,
                "share": (funding_round.max_share * 100).normalize(),
                "max": funding_round.max_amount,
            },
            code="limit",
        )
    if not motivation.strip():
        raise DomainError(_("Explain how the trajectory fits the missions."), code="motivation")
    try:
        with transaction.atomic():
            return CoFinancingApplication.objects.create(
                round=funding_round,
                call=call,
                authority=call.authority,
                trajectory_cost=cost,
                requested=requested,
                motivation=motivation.strip(),
                submitted_by=actor,
            )
    except IntegrityError as error:
        raise DomainError(
            _("This trajectory has applied in this round already."), code="duplicate"
        ) from error


def cofinancing_approve(
    *, application: CoFinancingApplication, actor: User, motivation: str = ""
) -> Transaction:
    """Ministry staff approve: the amount is committed from the round's fund.

    First come, first served: approving a later application while an earlier one in the same
    round still waits is refused, so the order of submission decides who gets the last euro.
    """
    if not _is_ministry_staff(actor):
        raise NotAllowed(_("Only ministry staff decide on co-financing."))
    with transaction.atomic():
        application = CoFinancingApplication.objects.select_for_update().get(pk=application.pk)
        if application.status != CoFinancingApplication.Status.SUBMITTED:
            raise DomainError(_("This application has been decided already."), code="decided")
        # Locked like call_cancel and call_complete lock it: a trajectory that ends at this
        # moment either sees this commitment and releases it, or this approval sees it ended.
        call = Call.objects.select_for_update().get(pk=application.call_id)
        if call.status in (Call.Status.CANCELLED, Call.Status.COMPLETED):
            raise DomainError(
                _("The trajectory has ended (%(status)s): reject the application instead.")
                % {"status": call.get_status_display()},
                code="call",
            )
        earlier = CoFinancingApplication.objects.filter(
            round=application.round,
            status=CoFinancingApplication.Status.SUBMITTED,
            submitted_at__lt=application.submitted_at,
        )
        if earlier.exists():
            raise DomainError(
                _(
                    "Decide on the earlier applications of this round first (first come, first "
                    "served)."
                ),
                code="order",
            )
        fund = application.round.fund
        committed = Account.objects.create(
            fund=fund, kind=Account.Kind.COMMITTED, call=call, application=application
        )
        record = transaction_post(
            fund=fund,
            kind=Transaction.Kind.COMMITMENT,
            actor=actor,
            description=_("Co-financing of %(call)s") % {"call": call.title},
            entries=[
                (fund_account(fund, Account.Kind.AVAILABLE), -application.requested),
                (committed, application.requested),
            ],
            call=call,
            application=application,
        )
        application.status = CoFinancingApplication.Status.APPROVED
        application.decided_by = actor
        application.decided_at = timezone.now()
        application.decision_motivation = motivation.strip()
        application.save(
            update_fields=["status", "decided_by", "decided_at", "decision_motivation"]
        )
    return record


def cofinancing_reject(
    *, application: CoFinancingApplication, actor: User, motivation: str
) -> CoFinancingApplication:
    if not _is_ministry_staff(actor):
        raise NotAllowed(_("Only ministry staff decide on co-financing."))
    if not motivation.strip():
        raise DomainError(_("Motivate the decision."), code="motivation")
    with transaction.atomic():
        application = CoFinancingApplication.objects.select_for_update().get(pk=application.pk)
        if application.status != CoFinancingApplication.Status.SUBMITTED:
            raise DomainError(_("This application has been decided already."), code="decided")
        application.status = CoFinancingApplication.Status.REJECTED
        application.decided_by = actor
        application.decided_at = timezone.now()
        application.decision_motivation = motivation.strip()
        application.save(
            update_fields=["status", "decided_by", "decided_at", "decision_motivation"]
        )
    return application


def commitment_pay(
    *, account: Account, amount, actor: User, description: str, **links
) -> Transaction:
    """Pay out of a commitment (after an accepted milestone); never more than committed."""
    if account.kind != Account.Kind.COMMITTED:
        raise DomainError(_("Payments are made from a commitment."))
    amount = _positive(amount)
    fund = account.fund
    return transaction_post(
        fund=fund,
        kind=Transaction.Kind.PAYMENT,
        actor=actor,
        description=description,
        entries=[(account, -amount), (fund_account(fund, Account.Kind.PAID), amount)],
        **links,
    )


def commitment_release(
    *, account: Account, actor: User, description: str, **links
) -> Transaction | None:
    """Return what is left of a commitment to the fund (ended under budget, or stopped)."""
    if account.kind != Account.Kind.COMMITTED:
        raise DomainError(_("Only a commitment can be released."))
    with transaction.atomic():
        # Locked before reading, so a payment cannot slip in between reading and releasing.
        account = Account.objects.select_for_update().select_related("fund").get(pk=account.pk)
        if account.balance == ZERO:
            return None
        fund = account.fund
        return transaction_post(
            fund=fund,
            kind=Transaction.Kind.RELEASE,
            actor=actor,
            description=description,
            entries=[
                (account, -account.balance),
                (fund_account(fund, Account.Kind.AVAILABLE), account.balance),
            ],
            **{
                "call": account.call,
                "application": account.application,
                "contract": account.contract,
                **links,
            },
        )


def call_release(*, call: Call, actor: User, reason: str) -> list[Transaction]:
    """A trajectory stopped (completed or cancelled): what EZK still holds for it goes back to
    the fund it came from, one release per approved application."""
    accounts = Account.objects.filter(
        kind=Account.Kind.COMMITTED, application__call=call, balance__gt=0
    ).order_by("pk")
    description = Truncator(
        _("%(call)s ended: %(reason)s") % {"call": call.title, "reason": reason}
    ).chars(Transaction._meta.get_field("description").max_length)
    releases = []
    with transaction.atomic():
        for account in accounts:
            record = commitment_release(account=account, actor=actor, description=description)
            if record is not None:
                releases.append(record)
    return releases


# --- An authority's phase budgets and its contracts -------------------------------------------
#
# Each phase of a call has its own fund of the authority (kind AUTHORITY), opened with the
# phase's budget at the phase's first award: an award commits the contract amount from it, an
# accepted milestone pays from that commitment, and the end of a contract releases what it did
# not pay. The ledger then refuses, on its own, any award beyond the phase's budget and any
# payment beyond the contract. The proposals app sends signals for each step
# (proposals/signals.py); funding/receivers.py calls these services.


def phase_fund(*, phase: Phase, actor: User) -> Fund:
    """The authority's fund for a phase, opened with the phase's budget when first needed.

    A phase budget raised since (an amendment) is appropriated on top; a lowered budget is
    left as it is (the award check in proposals still keeps to the lower phase budget).
    """
    fund = Fund.objects.filter(phase=phase).first()
    call = phase.call
    if fund is None:
        start = timezone.localdate(call.publication_date) if call.publication_date else None
        start = min(start or timezone.localdate(), timezone.localdate())
        fund = fund_open(
            code=f"call-{call.pk}-phase-{phase.order}",
            name=_("%(call)s – %(phase)s") % {"call": call.title[:150], "phase": phase.name},
            kind=Fund.Kind.AUTHORITY,
            owner=call.authority,
            period_start=start,
            period_end=_months_after(timezone.localdate(), phase.duration_months + 12),
            amount=phase.budget,
            actor=actor,
            phase=phase,
            call=call,
        )
        return fund
    appropriated = -fund_account(fund, Account.Kind.APPROPRIATION).balance
    if phase.budget > appropriated:
        fund_appropriate(
            fund=fund,
            amount=phase.budget - appropriated,
            actor=actor,
            description=_("Phase budget raised to € %(budget)s") % {"budget": phase.budget},
            call=call,
        )
    return fund


def _months_after(start: date, months: int) -> date:
    year, month = divmod(start.month - 1 + months, 12)
    return date(start.year + year, month + 1, min(start.day, 28))


def contract_commit(*, contract: Contract, actor: User) -> Transaction:
    """An award commits the contract amount from its phase's fund."""
    proposal = contract.proposal
    phase = proposal.phase
    call = proposal.call
    with transaction.atomic():
        fund = phase_fund(phase=phase, actor=actor)
        committed = Account.objects.create(
            fund=fund, kind=Account.Kind.COMMITTED, call=call, contract=contract
        )
        return transaction_post(
            fund=fund,
            kind=Transaction.Kind.COMMITMENT,
            actor=actor,
            description=_("Award of %(number)s to %(company)s")
            % {"number": proposal.submission_number, "company": proposal.company.name},
            entries=[
                (fund_account(fund, Account.Kind.AVAILABLE), -contract.amount),
                (committed, contract.amount),
            ],
            call=call,
            proposal=proposal,
            contract=contract,
        )


def contract_commitment(contract: Contract) -> Account | None:
    return (
        Account.objects.filter(
            kind=Account.Kind.COMMITTED, contract=contract, fund__kind=Fund.Kind.AUTHORITY
        )
        .select_related("fund")
        .first()
    )


def milestone_pay(*, deliverable: Deliverable, actor: User) -> list[Transaction]:
    """An accepted milestone pays its amount from the contract's commitment.

    When EZK co-finances the call (an approved application), EZK pays its share of the same
    payment from its commitment to the call: the share it granted of the trajectory's cost,
    never more than is left of that commitment.
    """
    contract = deliverable.contract
    proposal = contract.proposal
    if deliverable.amount <= ZERO:
        return []
    account = contract_commitment(contract)
    if account is None:
        # A contract from before awards were booked in the ledger: it has nothing to pay from.
        logger.warning(
            "Contract %s has no commitment; milestone %s not paid.", contract.pk, deliverable.pk
        )
        return []
    links = {"call": proposal.call, "proposal": proposal, "contract": contract}
    description = _("Milestone “%(name)s” of %(number)s accepted") % {
        "name": deliverable.name,
        "number": proposal.submission_number,
    }
    with transaction.atomic():
        records = [
            commitment_pay(
                account=account,
                amount=deliverable.amount,
                actor=actor,
                description=description,
                **links,
            )
        ]
        records += _ezk_share_pay(
            deliverable=deliverable, actor=actor, description=description, links=links
        )
    return records


def _ezk_share_pay(*, deliverable, actor, description, links) -> list[Transaction]:
    records = []
    accounts = Account.objects.filter(
        kind=Account.Kind.COMMITTED,
        application__call=links["call"],
        application__status=CoFinancingApplication.Status.APPROVED,
        balance__gt=0,
    ).select_related("fund", "application")
    for account in accounts:
        application = account.application
        share = money(deliverable.amount * application.requested / application.trajectory_cost)
        amount = min(share, account.balance)
        if amount > ZERO:
            records.append(
                commitment_pay(
                    account=account,
                    amount=amount,
                    actor=actor,
                    description=_("EZK share of: %(what)s") % {"what": description},
                    application=application,
                    **links,
                )
            )
    return records


def contract_release(*, contract: Contract, actor: User, reason: str) -> Transaction | None:
    """A completed or terminated contract gives back what it did not pay."""
    account = contract_commitment(contract)
    if account is None:
        return None
    return commitment_release(
        account=account,
        actor=actor,
        description=reason,
        proposal=contract.proposal,
    )


TARGET_YEARS = (2000, 2100)


def target_add(*, actor, data: dict) -> AuthorityTarget:
    """Ministry staff record a target agreed with an authority.

    `data` holds authority, year, measure, target and procurement_budget (or None). A refusal
    names the field it is about in its code.
    """
    if not actor.has_perm("funding.view_ledger"):
        raise NotAllowed()
    year, measure = data["year"], data["measure"]
    target, budget = data["target"], data.get("procurement_budget")
    if not TARGET_YEARS[0] <= year <= TARGET_YEARS[1]:
        raise DomainError(
            _("Give a year between %(first)d and %(last)d.")
            % {"first": TARGET_YEARS[0], "last": TARGET_YEARS[1]},
            code="year",
        )
    if target < 0:
        raise DomainError(_("A target cannot be negative."), code="target")
    if budget is not None and budget <= 0:
        raise DomainError(
            _("The procurement budget must be more than zero."), code="procurement_budget"
        )
    if measure == AuthorityTarget.Measure.SHARE:
        if not budget:
            raise DomainError(
                _("A target as a share needs the authority's procurement budget."),
                code="procurement_budget",
            )
        if target > 100:
            raise DomainError(_("A share is at most 100%."), code="target")
    try:
        with transaction.atomic():
            return AuthorityTarget.objects.create(
                authority=data["authority"],
                year=year,
                measure=measure,
                target=target,
                procurement_budget=budget,
            )
    except IntegrityError as error:
        raise DomainError(
            _("%(authority)s already has a target for this measure in %(year)d.")
            % {"authority": data["authority"], "year": year},
            code="duplicate",
        ) from error
