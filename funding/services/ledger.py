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
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext as _

from calls.models import Call, Phase
from portal.exceptions import DomainError, NotAllowed
from portal.models import Organisation, Role, User
from portal.money import ZERO, round_cents

from ..models import Account, CallUse, Entry, Fund, Transaction

logger = logging.getLogger(__name__)


def _positive(amount) -> Decimal:
    try:
        amount = round_cents(amount)
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
    amounts = [round_cents(amount) for _account, amount in entries]
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
