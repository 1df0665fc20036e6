"""An authority's phase budgets and its contracts: an award commits the contract amount from
the phase's fund, an accepted milestone pays it (with EZK's share), an ended contract
releases what is left.
"""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from calls.models import Phase
from portal.models import User
from portal.money import ZERO, round_cents
from proposals.models import Contract, Deliverable

from ..models import Account, CoFinancingApplication, Fund, Transaction
from .cofinancing import commitment_pay, commitment_release
from .ledger import fund_account, fund_appropriate, fund_open, logger, transaction_post

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


def contract_commitment(contract: Contract, phase: Phase | None = None) -> Account | None:
    """The contract's commitment in the fund of ``phase`` (by default the awarded phase; an
    innovation partnership commits each later phase from that phase's fund)."""
    return (
        Account.objects.filter(
            kind=Account.Kind.COMMITTED,
            contract=contract,
            fund__kind=Fund.Kind.AUTHORITY,
            fund__phase_id=(phase or contract.proposal.phase).pk,
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
        if application is None:  # excluded by the filter: committed accounts of applications
            continue
        share = round_cents(
            deliverable.amount * application.requested / application.trajectory_cost
        )
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
    """A completed or terminated contract gives back what it did not pay: from every
    commitment it holds (an innovation partnership holds one per phase that started)."""
    accounts = Account.objects.filter(
        kind=Account.Kind.COMMITTED,
        contract=contract,
        fund__kind=Fund.Kind.AUTHORITY,
        balance__gt=0,
    ).order_by("pk")
    last = None
    with transaction.atomic():
        for account in accounts:
            last = (
                commitment_release(
                    account=account,
                    actor=actor,
                    description=reason,
                    proposal=contract.proposal,
                )
                or last
            )
    return last
