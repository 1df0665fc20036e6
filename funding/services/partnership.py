"""The money of an innovation partnership's phases: go commits the next phase's maximum cost
from that phase's fund (and pays what is left of a finished phase after the first, whose
price is due once its interim targets are met); no-go ends the contract, and
``contract_release`` gives back every commitment it still holds; the purchase phase is
recorded as a follow-up purchase, which the reports count.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.models import User
from proposals.models import PhasePlan

from ..models import Account, FollowUpPurchase, Transaction
from .cofinancing import commitment_pay
from .contracts import contract_commitment, phase_fund
from .ledger import fund_account, transaction_post


def partnership_phase_continue(
    *, plan: PhasePlan, next_plan: PhasePlan, actor: User
) -> list[Transaction]:
    contract = plan.contract
    proposal = contract.proposal
    call = proposal.call
    links = {"call": call, "proposal": proposal, "contract": contract}
    records: list[Transaction] = []
    with transaction.atomic():
        if plan.phase_id != proposal.phase_id:
            finished = contract_commitment(contract, plan.phase)
            if finished is not None and finished.balance > 0:
                records.append(
                    commitment_pay(
                        account=finished,
                        amount=finished.balance,
                        actor=actor,
                        description=_("Interim targets of %(phase)s met by %(company)s")
                        % {"phase": plan.phase.name, "company": proposal.company.name},
                        **links,
                    )
                )
        if next_plan.is_purchase:
            return records
        fund = phase_fund(phase=next_plan.phase, actor=actor)
        committed = Account.objects.create(
            fund=fund, kind=Account.Kind.COMMITTED, call=call, contract=contract
        )
        records.append(
            transaction_post(
                fund=fund,
                kind=Transaction.Kind.COMMITMENT,
                actor=actor,
                description=_("Go for %(company)s: %(phase)s")
                % {"company": proposal.company.name, "phase": next_plan.phase.name},
                entries=[
                    (fund_account(fund, Account.Kind.AVAILABLE), -next_plan.max_cost),
                    (committed, next_plan.max_cost),
                ],
                **links,
            )
        )
    return records


def partnership_purchase_record(*, plan: PhasePlan, actor: User) -> FollowUpPurchase:
    """The purchase phase of a partnership, counted with the follow-up purchases."""
    proposal = plan.contract.proposal
    assert plan.purchase_amount is not None
    assert plan.purchased_on is not None
    return FollowUpPurchase.objects.create(
        call=proposal.call,
        supplier=proposal.company,
        amount=plan.purchase_amount,
        purchased_on=plan.purchased_on or timezone.localdate(),
        description=plan.purchase_description,
        phase_plan=plan,
        recorded_by=actor,
    )
