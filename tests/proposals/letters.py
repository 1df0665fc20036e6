"""A decided phase with real scores and motivations, for the decision letter tests."""

from decimal import Decimal
from types import SimpleNamespace

import time_machine
from django.utils import timezone

from calls.services.lifecycle import call_close
from portal.models import Role
from proposals.models import Advice, Committee, CommitteeMember, ConsensusScore, Proposal
from proposals.selectors.ranking import ranking_for
from proposals.services.assessment import assessment_open
from proposals.services.decisions import proposal_award, proposal_reject
from tests.calls.factories import published_call
from tests.factories import person_with_role

from .factories import submitted_proposals

# Per proposal (winner, runner-up, not eligible): a score per criterion, distinct enough that
# each one can be found in a letter's text.
SCORES = {
    "winner": (9, 8, 9),
    "runner_up": (7, 9, 6),
    "not_eligible": (2, 3, 2),
}


def scored_advice(phase, scores: dict[Proposal, tuple[int, ...]], chair=None) -> Advice:
    """Consensus scores with a motivation that names the proposal and criterion, then the
    chair's signed advice with the ranking computed from them."""
    committee, _created = Committee.objects.get_or_create(
        phase=phase, defaults={"code_of_conduct": "Vertrouwelijk."}
    )
    chair = chair or person_with_role(Role.COMMITTEE_CHAIR, organisation=phase.call.authority)
    CommitteeMember.objects.get_or_create(
        committee=committee, user=chair, defaults={"role": CommitteeMember.Role.CHAIR}
    )
    criteria = list(phase.criteria.all())
    for proposal, values in scores.items():
        for criterion, value in zip(criteria, values, strict=False):
            ConsensusScore.objects.create(
                proposal=proposal,
                criterion=criterion,
                score=value,
                motivation=f"Motivatie-{proposal.pk}-{criterion.pk}",
                recorded_by=chair,
            )
    rows = ranking_for(phase)
    advice = Advice.objects.create(
        committee=committee,
        ranking=[row.as_dict() for row in rows],
        signed_by=chair,
        signed_at=timezone.now(),
    )
    advice.selected.set([row.proposal for row in rows if row.eligible][:1])
    return advice


def decided_phase(*, decide: bool = True, standstill_days: int = 20) -> SimpleNamespace:
    """A call with three proposals in phase 1: one (intended to be) awarded, one not awarded
    (eligible, lower), one not eligible (below the minimum). Scores per SCORES. The decisions
    are intended: the standstill period of ``standstill_days`` runs."""
    call = published_call(
        standstill_days=standstill_days,
        standstill_reason="" if standstill_days >= 20 else "Spoedeisend.",
    )
    winner, runner_up, not_eligible = submitted_proposals(call, 3)
    phase = winner.phase
    criteria = list(phase.criteria.all())
    # The third is below the minimum on the first criterion.
    first = criteria[0]
    if first.threshold is None:
        type(first).objects.filter(pk=first.pk).update(threshold=5)
    with time_machine.travel(call.deadline + timezone.timedelta(minutes=1)):
        call_close(call=call, actor=call.officer)
        assessment_open(phase=phase, actor=call.officer)
        scored_advice(
            phase,
            {
                winner: SCORES["winner"][: len(criteria)],
                runner_up: SCORES["runner_up"][: len(criteria)],
                not_eligible: SCORES["not_eligible"][: len(criteria)],
            },
        )
        if decide:
            proposal_award(
                proposal=winner,
                actor=call.officer,
                motivation="Beste voorstel.",
                amount=Decimal("20000.00"),
            )
            proposal_reject(
                proposal=runner_up, actor=call.officer, motivation="Lager gerangschikt."
            )
            proposal_reject(proposal=not_eligible, actor=call.officer, motivation="Niet geschikt.")
    for proposal in (winner, runner_up, not_eligible):
        proposal.refresh_from_db()
    return SimpleNamespace(
        call=call,
        phase=phase,
        criteria=criteria,
        officer=call.officer,
        winner=winner,
        runner_up=runner_up,
        not_eligible=not_eligible,
    )
