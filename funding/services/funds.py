"""Ministry staff manage EZK's funds: create a fund with its first appropriation, book later
appropriations and corrections. Every amount moves through `transaction_post`, so the ledger's
invariants hold here as everywhere: entries balance, the available balance never goes below
zero (a correction cannot take back what is committed or paid), nothing is edited afterwards.
"""

from datetime import date

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from portal.exceptions import DomainError, NotAllowed
from portal.models import Organisation, User
from portal.permissions import can

from ..models import Account, Fund, Transaction
from .ledger import _positive, fund_account, fund_appropriate, transaction_post


def _require_staff(actor: User) -> None:
    if not can(actor, "funding.manage_funds"):
        raise NotAllowed(_("Only ministry staff manage funds."))


def fund_create(
    *,
    actor: User,
    code: str,
    name: str,
    owner: Organisation,
    period_start: date,
    period_end: date,
    amount,
    description: str = "",
) -> Fund:
    """A new EZK co-financing fund (a cabinet period, a year, a one-off amount) with the amount
    appropriated to it, booked as its first transaction."""
    _require_staff(actor)
    if owner.kind != Organisation.Kind.MINISTRY:
        raise DomainError(_("An EZK fund is owned by a ministry."), code="owner")
    if not actor.memberships.filter(organisation=owner).exists():
        raise NotAllowed(_("You can only create funds of your own ministry."), code="owner")
    if period_end < period_start:
        raise DomainError(_("The period must end on or after its start."), code="period_end")
    if not code.strip() or not name.strip():
        raise DomainError(_("A fund needs a code and a name."), code="code")
    amount = _positive(amount)
    try:
        with transaction.atomic():
            fund = Fund.objects.create(
                code=code.strip(),
                name=name.strip(),
                kind=Fund.Kind.EZK,
                owner=owner,
                period_start=period_start,
                period_end=period_end,
            )
            fund_appropriate(
                fund=fund,
                amount=amount,
                actor=actor,
                description=description.strip() or name.strip(),
            )
    except IntegrityError as error:
        raise DomainError(
            _("A fund with the code %(code)s exists already.") % {"code": code}, code="code"
        ) from error
    return fund


def appropriation_book(
    *, fund: Fund, actor: User, amount, description: str, correction: bool = False
) -> Transaction:
    """Book more money to a fund (an appropriation) or less (a correction of what was
    appropriated). A correction takes money back from what is still available only: the
    database refuses an available balance below zero, so committed money stays committed."""
    _require_staff(actor)
    if fund.kind != Fund.Kind.EZK:
        raise DomainError(
            _("Only EZK funds are managed here; a phase budget follows its call."), code="fund"
        )
    amount = _positive(amount)
    if not correction:
        return fund_appropriate(fund=fund, amount=amount, actor=actor, description=description)
    return transaction_post(
        fund=fund,
        kind=Transaction.Kind.CORRECTION,
        actor=actor,
        description=description,
        entries=[
            (fund_account(fund, Account.Kind.AVAILABLE), -amount),
            (fund_account(fund, Account.Kind.APPROPRIATION), amount),
        ],
    )
