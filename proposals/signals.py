"""What proposals tells the apps built on it, without importing them.

Each signal is sent inside the database transaction of the service that sends it, with
`send` (not `send_robust`): a receiver that raises rolls the whole action back. The funding
app listens to post the money of each step in its ledger (funding/receivers.py).
"""

from django.dispatch import Signal

# An award made a contract. Arguments: contract, actor.
contract_awarded = Signal()
# The officer accepted a milestone's deliverable; its amount is due. Arguments: deliverable, actor.
deliverable_accepted = Signal()
# A contract was completed or terminated; what it did not pay is free again.
# Arguments: contract, actor, reason.
contract_ended = Signal()
# The officer decided on a proposal: an intended decision (award, rejection or not eligible)
# whose standstill period now runs. One per proposal decided; the letters (one per company
# per decision) hang on it. Arguments: decision, actor.
decision_intended = Signal()
# The standstill passed without an open objection: the decision is final (an award has its
# contract now). Arguments: decision, actor (the officer who decided; the beat task acts
# for them).
decision_finalised = Signal()
# An upheld objection withdrew the intended decision. Arguments: decision, actor, reason.
decision_withdrawn = Signal()
# A company lodged an objection to an intended decision. Arguments: objection, actor.
objection_lodged = Signal()
# An objection was dismissed, upheld or withdrawn by its company. Arguments: objection, actor.
objection_answered = Signal()
# Innovation partnership: the officer's go after a phase; the partner continues in the next.
# The finished phase's money is due (after the first, which its milestones pay) and the next
# phase's maximum cost is committed. Arguments: plan, next_plan, actor.
partnership_continued = Signal()
# Innovation partnership: the authority bought the result in the purchase phase.
# Arguments: plan, actor.
partnership_purchased = Signal()
# A phase's proposals were opened at its deadline (the opening record): how many came in is
# known now. Arguments: opening, actor (None for the scheduled task).
phase_opened = Signal()
