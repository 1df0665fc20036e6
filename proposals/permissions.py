"""Who may see and do what with proposals and assessments; pages, API and tasks ask these.

A company sees only its own organisation's proposals. Everyone else sees a submitted proposal
only once its phase's deadline has passed (the sealed opening): before that not even its
company's name, whatever their role, and a superuser gets no exception. Officers of the
call's authority see submitted proposals of their calls, never drafts. A committee member
sees a proposal only after accepting the code of conduct and declaring no conflict of
interest for it, and then only if assigned to it (the chair: every proposal of the phase;
the deputy chair: also those on which the chair declared a conflict). A declared conflict
hides the proposal entirely; the rule itself is ``selectors.assessment.cleared_proposals``,
which the ranking and the advice ask too.
"""

import rules
from django.utils import timezone

from calls.permissions import is_officer_of, manages_call
from portal.models import Role
from portal.permissions import is_applicant

from .models import Committee, CommitteeMember, Decision, Objection, Proposal
from .selectors.assessment import is_cleared_for
from .selectors.opening import phase_is_opened


def is_company_member(user, company_id: int) -> bool:
    if not user.is_authenticated:
        return False
    cache = getattr(user, "_applicant_of", None)
    if cache is None:
        cache = set(
            user.memberships.filter(role=Role.APPLICANT).values_list("organisation_id", flat=True)
        )
        user._applicant_of = cache
    return company_id in cache


def seat_for(user, proposal: Proposal) -> CommitteeMember | None:
    if not user.is_authenticated:
        return None
    return (
        CommitteeMember.objects.active()
        .filter(committee__phase_id=proposal.phase_id, user=user)
        .select_related("committee")
        .first()
    )


@rules.predicate
def of_own_company(user, proposal) -> bool:
    return proposal is not None and is_company_member(user, proposal.company_id)


@rules.predicate
def is_opened(user, proposal) -> bool:
    """The proposal's phase has passed its deadline: until then it is sealed."""
    return proposal is not None and phase_is_opened(proposal.phase)


@rules.predicate
def is_call_officer_for_submitted(user, proposal) -> bool:
    return (
        proposal is not None
        and proposal.status != Proposal.Status.DRAFT
        and is_officer_of(user, proposal.call.authority_id)
    )


@rules.predicate
def is_cleared_assessor(user, proposal) -> bool:
    if proposal is None or proposal.status in (Proposal.Status.DRAFT, Proposal.Status.WITHDRAWN):
        return False
    return is_cleared_for(seat_for(user, proposal), proposal)


@rules.predicate
def is_draft(user, proposal) -> bool:
    return proposal is not None and proposal.status == Proposal.Status.DRAFT


@rules.predicate
def is_officer_of_phase(user, phase) -> bool:
    return phase is not None and is_officer_of(user, phase.call.authority_id)


@rules.predicate
def is_on_committee_of_phase(user, phase) -> bool:
    return (
        phase is not None
        and user.is_authenticated
        and Committee.objects.filter(phase=phase, members__user=user).exists()
    )


rules.add_perm(
    "proposals.view_proposal",
    of_own_company | (is_opened & (is_call_officer_for_submitted | is_cleared_assessor)),
)
rules.add_perm("proposals.change_proposal", of_own_company & is_draft)
rules.add_perm("proposals.start_proposal", is_applicant)
rules.add_perm("proposals.decide_proposal", is_opened & is_call_officer_for_submitted)
# The opening record of a phase: its officers and its committee.
rules.add_perm("proposals.view_opening", is_officer_of_phase | is_on_committee_of_phase)


@rules.predicate
def letter_of_own_company(user, letter) -> bool:
    return letter is not None and is_company_member(user, letter.company_id)


@rules.predicate
def letter_of_managed_call(user, letter) -> bool:
    return letter is not None and manages_call(user, letter.call)


# A decision letter: the company it is addressed to, and the officers who run the call.
rules.add_perm("proposals.view_letter", letter_of_own_company | letter_of_managed_call)


# --- Decisions and objections ------------------------------------------------------------------


@rules.predicate
def of_own_company_decision(user, decision: Decision | None) -> bool:
    return decision is not None and is_company_member(user, decision.proposal.company_id)


@rules.predicate
def is_intended_decision(user, decision: Decision | None) -> bool:
    """Open to objection: intended and in its standstill, or a prize decision under the Awb
    within its six weeks."""
    return decision is not None and decision.open_to_objection


@rules.predicate
def is_officer_of_decision(user, decision: Decision | None) -> bool:
    return decision is not None and is_officer_of(user, decision.proposal.call.authority_id)


@rules.predicate
def of_own_company_objection(user, objection: Objection | None) -> bool:
    return objection is not None and is_company_member(user, objection.company_id)


@rules.predicate
def is_officer_of_objection(user, objection: Objection | None) -> bool:
    return objection is not None and is_officer_of(user, objection.call.authority_id)


@rules.predicate
def is_open_objection(user, objection: Objection | None) -> bool:
    return objection is not None and objection.is_open


# A decision and its feedback (own scores per criterion, the committee's motivation): the
# company it is about and the call's officers; nobody else, and no company another's.
rules.add_perm("proposals.view_decision", of_own_company_decision | is_officer_of_decision)
rules.add_perm("proposals.lodge_objection", of_own_company_decision & is_intended_decision)
rules.add_perm("proposals.view_objection", of_own_company_objection | is_officer_of_objection)
# Answering and withdrawing: who may; whether the objection is still open is the state
# machine's question (an answer to a closed objection is a 409, not a 403).
rules.add_perm("proposals.answer_objection", is_officer_of_objection)
rules.add_perm("proposals.withdraw_objection", of_own_company_objection)


@rules.predicate
def selection_letter_in_standstill(user, letter) -> bool:
    """A letter to a candidate not selected (or excluded) whose standstill still runs, on the
    selection that is still final."""
    return (
        letter is not None
        and letter.is_selection
        and letter.standstill_ends_on is not None
        and timezone.localdate() <= letter.standstill_ends_on
        and letter.participation_request.call.invitations_sent_at == letter.decided_at
    )


# An objection to the selection: the candidate the letter is addressed to, in its standstill.
rules.add_perm(
    "proposals.lodge_selection_objection", letter_of_own_company & selection_letter_in_standstill
)
# --- Innovation partnership: negotiation and phases -------------------------------------------


@rules.predicate
def is_officer_of_contract(user, contract) -> bool:
    return contract is not None and is_officer_of(user, contract.proposal.call.authority_id)


@rules.predicate
def is_partner_of_plan(user, plan) -> bool:
    return plan is not None and is_company_member(user, plan.contract.proposal.company_id)


@rules.predicate
def is_officer_of_plan(user, plan) -> bool:
    return plan is not None and is_officer_of(user, plan.contract.proposal.call.authority_id)


@rules.predicate
def is_officer_of_round(user, round_) -> bool:
    return round_ is not None and is_officer_of(user, round_.phase.call.authority_id)


@rules.predicate
def is_tenderer_in_round(user, round_) -> bool:
    if round_ is None or not user.is_authenticated:
        return False
    cache = getattr(user, "_applicant_of", None)
    if cache is None:
        is_company_member(user, 0)  # fills the cache
        cache = user._applicant_of
    return any(p.company_id in cache for p in round_.recipients.all())


@rules.predicate
def is_tender_of_own_company(user, proposal) -> bool:
    return (
        proposal is not None
        and proposal.status == Proposal.Status.SUBMITTED
        and is_company_member(user, proposal.company_id)
    )


# The officer opens rounds and sees the revised tenders once a round's deadline has passed.
rules.add_perm("proposals.negotiate", is_officer_of_phase)
rules.add_perm("proposals.view_round", is_officer_of_round | is_tenderer_in_round)
rules.add_perm("proposals.revise_tender", is_tender_of_own_company)
rules.add_perm("proposals.manage_partnership", is_officer_of_contract)
rules.add_perm("proposals.view_plan", is_officer_of_plan | is_partner_of_plan)
rules.add_perm("proposals.report_targets", is_partner_of_plan)
