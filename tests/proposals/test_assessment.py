"""The committee's work through the services: conflicts, assignment, scoring, ranking, awards."""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.utils.translation import gettext

from calls.models import Call
from portal.exceptions import DomainError, IllegalTransition, NotAllowed
from portal.models import Role
from proposals.models import Assignment, CommitteeMember, Contract, Proposal
from proposals.selectors.ranking import ranking_for
from proposals.services.assessment import (
    advice_sign,
    assessment_open,
    assessment_reopen,
    assessment_save,
    assignments_balance,
    code_of_conduct_accept,
    committee_create,
    committee_member_add,
    conflict_declare,
    consensus_record,
)
from proposals.services.decisions import proposal_award, proposal_reject
from tests.calls.factories import published_call
from tests.factories import person_with_role

from .factories import signed_advice, submitted_proposals

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting():
    """A closed SBIR call with 4 submitted proposals and a committee of a chair and 3."""
    call = published_call()
    officer = call.officer
    proposals = submitted_proposals(call, 4)
    phase = call.phases.get(order=1)
    traveller = time_machine.travel(call.deadline + timedelta(minutes=1))
    traveller.start()
    from calls.services.lifecycle import call_close

    call_close(call=call, actor=officer)
    assessment_open(phase=phase, actor=officer)
    committee = committee_create(
        phase=phase, actor=officer, code_of_conduct="Vertrouwelijk.", assessors_per_proposal=2
    )
    authority = call.authority
    chair = committee_member_add(
        committee=committee,
        actor=officer,
        user=person_with_role(Role.COMMITTEE_CHAIR, organisation=authority),
        role=CommitteeMember.Role.CHAIR,
    )
    members = [
        committee_member_add(
            committee=committee,
            actor=officer,
            user=person_with_role(Role.ASSESSOR, organisation=authority),
            role=CommitteeMember.Role.MEMBER,
        )
        for _ in range(3)
    ]
    for seat in [chair, *members]:
        code_of_conduct_accept(member=seat, actor=seat.user)
    yield {
        "call": call,
        "officer": officer,
        "phase": phase,
        "committee": committee,
        "chair": chair,
        "members": members,
        "proposals": [Proposal.objects.get(pk=p.pk) for p in proposals],
    }
    traveller.stop()


def declare_all(setting, conflicts=()):
    for seat in [setting["chair"], *setting["members"]]:
        for proposal in setting["proposals"]:
            conflict = (seat, proposal) in conflicts
            conflict_declare(
                member=seat,
                proposal=proposal,
                actor=seat.user,
                has_conflict=conflict,
                explanation="Oud-collega" if conflict else "",
            )


def score_all(assignment, value, *, submit=True):
    criteria = assignment.proposal.phase.criteria.all()
    return assessment_save(
        assignment=assignment,
        actor=assignment.member.user,
        scores={c.pk: (value, f"Motivering {c.name}") for c in criteria},
        submit=submit,
    )


def test_opening_the_assessment_moves_proposals_and_the_call(setting):
    assert {p.status for p in setting["proposals"]} == {Proposal.Status.UNDER_ASSESSMENT}
    setting["call"].refresh_from_db()
    assert setting["call"].status == Call.Status.UNDER_ASSESSMENT


def test_code_of_conduct_comes_before_declaring():
    call = published_call()
    officer = call.officer
    submitted_proposals(call, 1)
    phase = call.phases.get(order=1)
    committee = committee_create(phase=phase, actor=officer, code_of_conduct="Code")
    seat = committee_member_add(
        committee=committee,
        actor=officer,
        user=person_with_role(Role.ASSESSOR, organisation=call.authority),
        role=CommitteeMember.Role.MEMBER,
    )
    with pytest.raises(DomainError):
        conflict_declare(
            member=seat, proposal=phase.proposals.first(), actor=seat.user, has_conflict=False
        )


def test_balanced_assignment_respects_conflicts_and_spreads_work(setting):
    member = setting["members"][0]
    conflicted = setting["proposals"][0]
    declare_all(setting, conflicts={(member, conflicted)})

    added = assignments_balance(committee=setting["committee"], actor=setting["officer"])

    assert added == 8  # 4 proposals x 2 assessors
    assert not Assignment.objects.filter(member=member, proposal=conflicted).exists()
    for proposal in setting["proposals"]:
        assert Assignment.objects.filter(proposal=proposal).count() == 2
    loads = [
        Assignment.objects.filter(member=seat).count()
        for seat in [setting["chair"], *setting["members"]]
    ]
    assert max(loads) - min(loads) <= 1
    # Running it again adds nothing.
    assert assignments_balance(committee=setting["committee"], actor=setting["officer"]) == 0


def test_scores_lock_on_submit_and_the_chair_reopens_with_a_reason(setting):
    declare_all(setting)
    assignments_balance(committee=setting["committee"], actor=setting["officer"])
    assignment = Assignment.objects.filter(member=setting["members"][0]).first()

    assessment = score_all(assignment, 7)
    with pytest.raises(DomainError) as locked:
        score_all(assignment, 8)
    assert locked.value.code == "locked"

    with pytest.raises(NotAllowed):
        assessment_reopen(assessment=assessment, actor=assignment.member.user, reason="x")
    with pytest.raises(DomainError):
        assessment_reopen(assessment=assessment, actor=setting["chair"].user, reason=" ")
    assessment_reopen(assessment=assessment, actor=setting["chair"].user, reason="Typefout")
    assert score_all(assignment, 8).scores.first().score == 8


def test_scores_outside_the_scale_or_without_motivation_are_refused(setting):
    declare_all(setting)
    assignments_balance(committee=setting["committee"], actor=setting["officer"])
    assignment = Assignment.objects.first()
    criteria = list(assignment.proposal.phase.criteria.all())
    with pytest.raises(DomainError):
        assessment_save(
            assignment=assignment,
            actor=assignment.member.user,
            scores={criteria[0].pk: (11, "te hoog")},
        )
    with pytest.raises(DomainError):
        assessment_save(
            assignment=assignment,
            actor=assignment.member.user,
            scores={c.pk: (6, "") for c in criteria},
            submit=True,
        )


def test_ranking_by_weighted_score_with_thresholds_and_tie_break(setting):
    declare_all(setting)
    phase = setting["phase"]
    impact, feasibility, economy = phase.criteria.order_by("order")
    feasibility.threshold = 5
    feasibility.save()
    a, b, c, d = setting["proposals"]
    chair = setting["chair"].user
    # Consensus scores fix the numbers exactly: (impact 40%, feasibility 40%, economy 20%)
    plan = {
        a: (8, 8, 5),  # 7.40
        b: (9, 7, 6),  # 7.60 and ties with c on weighted score
        c: (7, 9, 6),  # 7.60: tie broken on the heaviest criterion (impact, first of 40s)
        d: (10, 4, 10),  # 7.60, but below the minimum on feasibility: not eligible
    }
    for proposal, values in plan.items():
        for criterion, value in zip((impact, feasibility, economy), values, strict=True):
            consensus_record(
                proposal=proposal,
                actor=chair,
                criterion_id=criterion.pk,
                score=value,
                motivation="Consensus",
            )

    rows = ranking_for(phase)

    assert [row.proposal for row in rows] == [b, c, a, d]
    assert [row.rank for row in rows] == [1, 2, 3, None]
    assert rows[0].weighted == Decimal("7.60")
    assert rows[3].eligible is False
    assert rows[3].reasons


def test_ranking_tie_break_by_earliest_submission(setting):
    declare_all(setting)
    call = setting["call"]
    Call.objects.filter(pk=call.pk).update(tie_break=Call.TieBreak.EARLIEST_SUBMISSION)
    phase = setting["phase"]
    phase.call.refresh_from_db()
    first, second = setting["proposals"][:2]
    for proposal, values in ((second, (9, 7, 6)), (first, (7, 9, 6))):
        for criterion, value in zip(phase.criteria.order_by("order"), values, strict=True):
            consensus_record(
                proposal=proposal,
                actor=setting["chair"].user,
                criterion_id=criterion.pk,
                score=value,
                motivation="Consensus",
            )
    rows = [row for row in ranking_for(phase) if row.eligible]
    assert [row.proposal for row in rows] == [first, second]


def test_large_spread_between_assessors_is_flagged(setting):
    declare_all(setting)
    assignments_balance(committee=setting["committee"], actor=setting["officer"])
    proposal = setting["proposals"][0]
    low, high = Assignment.objects.filter(proposal=proposal)
    score_all(low, 2)
    score_all(high, 9)
    row = next(r for r in ranking_for(setting["phase"]) if r.proposal == proposal)
    assert row.large_spread
    assert row.weighted == Decimal("5.50")


def test_advice_only_selects_eligible_proposals_and_is_signed_once(setting):
    declare_all(setting)
    chair = setting["chair"].user
    phase = setting["phase"]
    for proposal in setting["proposals"][:2]:
        for criterion in phase.criteria.all():
            consensus_record(
                proposal=proposal,
                actor=chair,
                criterion_id=criterion.pk,
                score=7,
                motivation="ok",
            )
    unscored = setting["proposals"][3]
    with pytest.raises(DomainError):
        advice_sign(committee=setting["committee"], actor=chair, selected=[unscored])
    with pytest.raises(NotAllowed):
        advice_sign(
            committee=setting["committee"],
            actor=setting["members"][0].user,
            selected=setting["proposals"][:1],
        )
    advice = advice_sign(
        committee=setting["committee"], actor=chair, selected=setting["proposals"][:2]
    )
    assert len(advice.ranking) == 4
    with pytest.raises(DomainError):
        advice_sign(committee=setting["committee"], actor=chair, selected=[])


def test_awards_within_budget_and_planned_number(setting):
    officer = setting["officer"]
    phase = setting["phase"]
    phase.planned_awards = 2
    phase.save()
    a, b, c, d = setting["proposals"]
    signed_advice(phase)

    contract = proposal_award(proposal=a, actor=officer, motivation="Beste plan").contract
    assert contract.amount == a.requested_amount
    assert [(d.kind, d.amount) for d in contract.deliverables.order_by("due_date", "pk")] == [
        ("progress_report", Decimal("6000.00")),
        ("feasibility_report", Decimal("14000.00")),
    ]
    proposal_award(proposal=b, actor=officer, motivation="Tweede")
    with pytest.raises(DomainError) as full:
        proposal_award(proposal=c, actor=officer, motivation="Derde")
    assert full.value.code == "awards_full"
    with pytest.raises(DomainError):
        proposal_reject(proposal=c, actor=officer, motivation=" ")
    proposal_reject(proposal=c, actor=officer, motivation="Onvoldoende")
    proposal_reject(proposal=d, actor=officer, motivation="Onvoldoende")
    with pytest.raises(IllegalTransition):
        proposal_reject(proposal=a, actor=officer, motivation="toch niet")
    setting["call"].refresh_from_db()
    assert setting["call"].status == Call.Status.AWARDED


def test_a_call_whose_first_phase_is_all_rejected_is_cancelled_not_awarded(
    setting, django_capture_on_commit_callbacks
):
    officer, call = setting["officer"], setting["call"]
    signed_advice(setting["phase"])
    *first, last = setting["proposals"]
    for proposal in first:
        proposal_reject(proposal=proposal, actor=officer, motivation="Onvoldoende")
    call.refresh_from_db()
    assert call.status == Call.Status.UNDER_ASSESSMENT  # one still waits for a decision

    with django_capture_on_commit_callbacks(execute=True):
        proposal_reject(proposal=last, actor=officer, motivation="Onvoldoende")

    call.refresh_from_db()
    assert call.status == Call.Status.CANCELLED
    assert call.cancellation_reason == gettext("No proposal could be awarded.")


def test_award_beyond_the_phase_budget_is_refused(setting):
    phase = setting["phase"]
    phase.budget = Decimal("30000.00")
    phase.max_per_award = Decimal("25000.00")
    phase.save()
    a, b = setting["proposals"][:2]
    signed_advice(phase)
    proposal_award(proposal=a, actor=setting["officer"], motivation="ok")  # 20.000
    with pytest.raises(DomainError) as refused:
        proposal_award(proposal=b, actor=setting["officer"], motivation="ok")
    assert refused.value.code == "budget"


def test_no_decision_before_the_chair_signs_the_advice(setting):
    officer = setting["officer"]
    a, b = setting["proposals"][:2]

    with pytest.raises(DomainError) as award:
        proposal_award(proposal=a, actor=officer, motivation="Beste plan")
    with pytest.raises(DomainError) as reject:
        proposal_reject(proposal=b, actor=officer, motivation="Zwak")

    assert award.value.code == reject.value.code == "advice"
    assert set(Proposal.objects.values_list("status", flat=True)) == {"under_assessment"}
    assert not Contract.objects.exists()

    signed_advice(setting["phase"])
    assert proposal_award(proposal=a, actor=officer, motivation="Beste plan").amount > 0
    assert (
        proposal_reject(proposal=b, actor=officer, motivation="Zwak").proposal.status == "rejected"
    )


def test_a_phase_without_a_committee_cannot_be_decided():
    call = published_call()
    proposal = submitted_proposals(call, 1)[0]
    with time_machine.travel(call.deadline + timedelta(minutes=1)):
        from calls.services.lifecycle import call_close

        call_close(call=call, actor=call.officer)
        assessment_open(phase=proposal.phase, actor=call.officer)
        with pytest.raises(DomainError) as refused:
            proposal_award(proposal=proposal, actor=call.officer, motivation="Beste")
    assert refused.value.code == "advice"


def test_a_proposal_the_advice_found_not_eligible_cannot_be_awarded_but_can_be_rejected(setting):
    officer = setting["officer"]
    weak, strong = setting["proposals"][:2]
    signed_advice(setting["phase"], not_eligible=[weak])

    with pytest.raises(DomainError) as refused:
        proposal_award(proposal=weak, actor=officer, motivation="Toch")
    assert refused.value.code == "not_eligible"
    assert Proposal.objects.get(pk=weak.pk).status == Proposal.Status.UNDER_ASSESSMENT
    proposal_award(proposal=strong, actor=officer, motivation="Beste")
    proposal_reject(proposal=weak, actor=officer, motivation="Onder de drempel")


def test_the_real_advice_ranks_unscored_proposals_not_eligible(setting):
    """Signed through the chair's service: the ranking it stores decides eligibility."""
    chair = setting["chair"].user
    scored, unscored = setting["proposals"][:2]
    for proposal in setting["proposals"]:
        conflict_declare(
            member=setting["chair"], proposal=proposal, actor=chair, has_conflict=False
        )
    for criterion in setting["phase"].criteria.all():
        consensus_record(
            proposal=scored,
            actor=chair,
            criterion_id=criterion.pk,
            score=criterion.scale_max,
            motivation="Sterk",
        )
    advice_sign(committee=setting["committee"], actor=chair, selected=[scored])

    with pytest.raises(DomainError) as refused:
        proposal_award(proposal=unscored, actor=setting["officer"], motivation="ok")
    assert refused.value.code == "not_eligible"
    assert proposal_award(proposal=scored, actor=setting["officer"], motivation="ok")


def test_only_the_owning_officer_decides(setting):
    outsider = person_with_role(Role.PROCUREMENT_OFFICER)
    with pytest.raises(NotAllowed):
        proposal_award(proposal=setting["proposals"][0], actor=outsider, motivation="ok")


@pytest.mark.django_db(transaction=True)
def test_two_officers_awarding_the_last_place_at_once_make_one_award():
    from tests.concurrency import require_postgresql, run_at_once

    require_postgresql()
    call = published_call()
    officer = call.officer
    colleague = person_with_role(Role.PROCUREMENT_OFFICER, organisation=call.authority)
    a, b = submitted_proposals(call, 2)
    phase = call.phases.get(order=1)
    phase.planned_awards = 1
    phase.save()
    with time_machine.travel(call.deadline + timedelta(minutes=1)):
        from calls.services.lifecycle import call_close

        call_close(call=call, actor=officer)
        assessment_open(phase=phase, actor=officer)
        signed_advice(phase)
        actions = iter([(a, officer), (b, colleague)])

        def award():
            proposal, actor = next(actions)
            return proposal_award(proposal=proposal, actor=actor, motivation="Beste")

        results = run_at_once(award, 2)

    assert sum(1 for r in results if isinstance(r, DomainError)) == 1
    assert Proposal.objects.filter(status=Proposal.Status.AWARDED).count() == 1
