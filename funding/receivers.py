"""The ledger follows the contracts and calls: receivers of proposals' and calls' signals.

Connected in FundingConfig.ready. Each runs inside the sending service's database
transaction and lets a refusal (DomainError) through, so the award, acceptance or ending is
undone with it: money and contracts never disagree.
"""

from .services.cofinancing import call_release
from .services.contracts import contract_commit, contract_release, milestone_pay
from .services.partnership import partnership_phase_continue, partnership_purchase_record


def commit_on_award(sender, *, contract, actor, **kwargs) -> None:
    contract_commit(contract=contract, actor=actor)


def pay_on_acceptance(sender, *, deliverable, actor, **kwargs) -> None:
    milestone_pay(deliverable=deliverable, actor=actor)


def release_on_end(sender, *, contract, actor, reason, **kwargs) -> None:
    contract_release(contract=contract, actor=actor, reason=reason)


def release_on_call_end(sender, *, call, actor, reason, **kwargs) -> None:
    call_release(call=call, actor=actor, reason=reason)


def commit_next_phase_on_go(sender, *, plan, next_plan, actor, **kwargs) -> None:
    partnership_phase_continue(plan=plan, next_plan=next_plan, actor=actor)


def record_partnership_purchase(sender, *, plan, actor, **kwargs) -> None:
    partnership_purchase_record(plan=plan, actor=actor)
