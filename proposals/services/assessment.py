"""Writes of the assessment: committees, conflicts of interest, assignments, scores, advice.

Order of things for a committee member: accept the code of conduct → declare, per
proposal, whether there is a conflict of interest (before seeing its content) → score the
assigned proposals per criterion with a motivation → submit, which locks the scores and
shows the others' scores. The chair may reopen a submitted assessment, with a reason.

The chair presides (consensus, reopening, selection) over every proposal except those on
which the chair declared a conflict: there the deputy chair the officer designated does, and
the advice records it. The officer can remove a member or withdraw an assignment (and give it
to another member), always with a reason that the audit trail keeps. The advice is signed
only when nothing is missing (``selectors.assessment.advice_gaps``).
"""

from collections import Counter
from collections.abc import Collection
from datetime import datetime

from auditlog.context import set_actor
from django.contrib.auth.tokens import default_token_generator
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from calls.models import Call, Phase
from calls.services.lifecycle import call_close, call_start_assessment
from portal import states
from portal.exceptions import DomainError, NotAllowed
from portal.models import Role, User
from portal.permissions import can
from portal.services.outbox import outbox_enqueue

from ..models import (
    Advice,
    Assessment,
    Assignment,
    Committee,
    CommitteeMember,
    ConflictDeclaration,
    ConsensusScore,
    CriterionScore,
    DeputyDecision,
    Objection,
    Proposal,
    Reassessment,
)
from ..selectors.assessment import (
    advice_gaps,
    chair_conflicts,
    cleared_proposals,
    presides_over,
)


def _require_officer(actor: User, phase: Phase) -> None:
    if not can(actor, "calls.manage_call", phase.call):
        raise NotAllowed()


def _require_chair(actor: User, committee: Committee) -> CommitteeMember:
    member = committee.members.active().filter(user=actor, role=CommitteeMember.Role.CHAIR).first()
    if member is None:
        raise NotAllowed(_("Only the committee's chair can do this."))
    return member


def _require_presiding(actor: User, proposal: Proposal) -> CommitteeMember:
    """The chair, or for a proposal on which the chair declared a conflict the deputy chair;
    cleared for the proposal either way."""
    committee = proposal.phase.committee
    seat = committee.members.active().filter(user=actor).select_related("committee").first()
    if seat is None or not presides_over(seat, proposal):
        raise NotAllowed(
            _(
                "Only the chair can do this, or the deputy chair for a proposal on which the "
                "chair declared a conflict of interest."
            )
        )
    return seat


def _require_seat(actor: User, member: CommitteeMember) -> None:
    if member.user_id != actor.pk:
        raise NotAllowed()


# --- The committee ----------------------------------------------------------------------------


def committee_advice_signed(committee: Committee) -> bool:
    return Advice.objects.filter(committee=committee).exists()


def _lock_open(committee: Committee) -> Committee:
    """The committee's row, locked, if it may still change; refused once the advice is signed.

    Every change of the committee (members, experts, the deputy chair, assignments, the
    deputy's decisions) asks this inside its transaction. Signing takes the same lock, so no
    change slips in while the advice is being signed.
    """
    committee = Committee.objects.select_for_update().get(pk=committee.pk)
    if committee_advice_signed(committee):
        raise DomainError(
            _("The advice is signed; the committee can no longer change."), code="signed"
        )
    return committee


def committee_create(
    *,
    phase: Phase,
    actor: User,
    code_of_conduct: str,
    assessors_per_proposal: int = 3,
    assessment_deadline: datetime | None = None,
) -> Committee:
    _require_officer(actor, phase)
    if (
        phase.order > 1
        and phase.call.instrument == Call.Instrument.INNOVATION_PARTNERSHIP
        and not phase.call.rescore_later_phases
    ):
        raise DomainError(
            _(
                "A later phase of this innovation partnership is decided by go/no-go against "
                "the interim targets; the call does not score it again."
            ),
            code="no_rescoring",
        )
    if not code_of_conduct.strip():
        raise DomainError(_("Write the code of conduct the members must accept."))
    if assessment_deadline is not None and assessment_deadline <= timezone.now():
        raise DomainError(
            _("The assessment deadline must lie in the future."), code="assessment_deadline"
        )
    try:
        with transaction.atomic():
            return Committee.objects.create(
                phase=phase,
                code_of_conduct=code_of_conduct.strip(),
                assessors_per_proposal=assessors_per_proposal,
                assessment_deadline=assessment_deadline,
            )
    except IntegrityError as error:
        raise DomainError(_("This phase already has a committee.")) from error


def committee_member_add(
    *, committee: Committee, actor: User, user: User, role: str, expertise: str = ""
) -> CommitteeMember:
    """Seat a person: an assessor or chair of an organisation, or an independent expert."""
    _require_officer(actor, committee.phase)
    roles = set(user.memberships.values_list("role", flat=True))
    if roles and not roles & {Role.ASSESSOR, Role.COMMITTEE_CHAIR}:
        raise DomainError(
            _("%(name)s has no assessor role; invite outside experts as independent experts.")
            % {"name": user}
        )
    if user.memberships.filter(
        role=Role.APPLICANT,
        organisation__proposals__phase=committee.phase,
    ).exists():
        raise DomainError(_("Someone of a company with a proposal cannot sit on its committee."))
    try:
        with transaction.atomic():
            _lock_open(committee)
            return CommitteeMember.objects.create(
                committee=committee,
                user=user,
                role=role,
                expertise=expertise,
                is_independent=not roles,
            )
    except IntegrityError as error:
        raise DomainError(
            _("This person is already on the committee, or it already has a chair.")
        ) from error


def committee_invite_expert(
    *, committee: Committee, actor: User, email: str, full_name: str, expertise: str
) -> CommitteeMember:
    """An independent expert from outside the portal: an account and an e-mail to set it up."""
    _require_officer(actor, committee.phase)
    email = email.strip().lower()
    with transaction.atomic():
        _lock_open(committee)  # before an account is made for nothing
        user, created = User.objects.get_or_create(
            email=email, defaults={"full_name": full_name.strip()}
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        elif user.memberships.exclude(role__in=[Role.ASSESSOR, Role.COMMITTEE_CHAIR]).exists():
            raise DomainError(_("This address belongs to someone who is not an assessor."))
        member = committee_member_add(
            committee=committee, actor=actor, user=user, role="member", expertise=expertise
        )
        from ..tasks import send_expert_invitation

        token = default_token_generator.make_token(user)
        outbox_enqueue(send_expert_invitation, member.pk, token, secret=True)
    return member


def code_of_conduct_accept(*, member: CommitteeMember, actor: User) -> CommitteeMember:
    _require_seat(actor, member)
    if member.code_accepted_at is None:
        member.code_accepted_at = timezone.now()
        member.save(update_fields=["code_accepted_at"])
    return member


# A call in one of these states has no assessment to start: not yet out, or over.
CALL_STATUSES_WITHOUT_ASSESSMENT = (
    Call.Status.DRAFT,
    Call.Status.CANCELLED,
    Call.Status.COMPLETED,
)


def assessment_open(*, phase: Phase, actor: User) -> int:
    """After the deadline: the phase's submitted proposals go to the committee.

    With the first phase the call moves along: closed (if the automatic closing at the
    deadline has not come round yet), then under assessment. Returns how many proposals
    went to the committee; a repeat sends none and changes nothing.
    """
    _require_officer(actor, phase)
    from .submission import phase_deadline

    deadline = phase_deadline(phase)
    if deadline is None or timezone.now() < deadline:
        raise DomainError(
            _("The assessment can start once the deadline has passed."),
            code="deadline_not_passed",
        )
    from .negotiation import negotiation_blocks_assessment

    if problem := negotiation_blocks_assessment(phase):
        raise DomainError(problem, code="negotiating")
    with transaction.atomic():
        # Locked: two officers starting at once move the call once.
        call = Call.objects.select_for_update().get(pk=phase.call_id)
        if call.status in CALL_STATUSES_WITHOUT_ASSESSMENT:
            raise DomainError(
                _("The assessment cannot start: the call is %(status)s.")
                % {"status": call.get_status_display()},
                code="call_status",
            )
        if phase.order == 1 and call.status == Call.Status.PUBLISHED:
            call = call_close(call=call, actor=actor)
        if phase.order == 1 and call.status == Call.Status.CLOSED:
            call_start_assessment(call=call, actor=actor)
        # One by one, not in bulk: each proposal's move is checked and audited.
        submitted = Proposal.objects.select_for_update().filter(
            phase=phase, status=Proposal.Status.SUBMITTED
        )
        moved = 0
        for proposal in submitted:
            states.transition(
                proposal, Proposal.Status.UNDER_ASSESSMENT, actor=actor, extra_fields=["updated_at"]
            )
            moved += 1
        return moved


# --- Conflicts of interest and assignments -----------------------------------------------------


def conflict_declare(
    *,
    member: CommitteeMember,
    proposal: Proposal,
    actor: User,
    has_conflict: bool,
    explanation: str = "",
) -> ConflictDeclaration:
    """Declared once per proposal, before its content opens; a conflict hides it entirely."""
    _require_seat(actor, member)
    if member.code_accepted_at is None:
        raise DomainError(_("Accept the code of conduct first."), code="code_of_conduct")
    if proposal.phase_id != member.committee.phase_id:
        raise NotAllowed()
    if has_conflict and not explanation.strip():
        raise DomainError(_("Explain the conflict of interest briefly."), code="explanation")
    with transaction.atomic():
        declaration, created = ConflictDeclaration.objects.get_or_create(
            member=member,
            proposal=proposal,
            defaults={"has_conflict": has_conflict, "explanation": explanation.strip()},
        )
        if not created:
            raise DomainError(_("You already declared for this proposal."), code="declared")
        if has_conflict:
            # A conflicted member must not assess it: take it off their list.
            Assignment.objects.filter(
                member=member, proposal=proposal, assessment__isnull=True
            ).delete()
            Assignment.objects.filter(
                member=member, proposal=proposal, assessment__status=Assessment.Status.DRAFT
            ).delete()
    return declaration


def _conflicted_pairs(committee: Committee) -> set[tuple[int, int]]:
    return set(
        ConflictDeclaration.objects.filter(
            member__committee=committee, has_conflict=True
        ).values_list("member_id", "proposal_id")
    )


def assignment_add(*, member: CommitteeMember, proposal: Proposal, actor: User) -> Assignment:
    _require_officer(actor, member.committee.phase)
    if proposal.phase_id != member.committee.phase_id:
        raise DomainError(_("This proposal is not in the committee's phase."))
    if member.removed_at is not None:
        raise DomainError(_("This member was removed from the committee."), code="member")
    if (member.pk, proposal.pk) in _conflicted_pairs(member.committee):
        raise DomainError(_("This member declared a conflict of interest for this proposal."))
    with transaction.atomic(), set_actor(actor):
        _lock_open(member.committee)
        assignment = Assignment.objects.filter(member=member, proposal=proposal).first()
        if assignment is not None and assignment.withdrawn_at is None:
            return assignment
        return _assign(member=member, proposal=proposal)


def assignments_balance(*, committee: Committee, actor: User) -> int:
    """Give each proposal N assessors, respecting conflicts, spreading the work evenly.

    Greedy: proposals with the fewest eligible members first; each gets the eligible
    members with the fewest assignments so far (ties by seat order, so it is repeatable).
    Existing assignments are kept. Returns how many were added.
    """
    _require_officer(actor, committee.phase)
    with transaction.atomic():
        committee = _lock_open(committee)
        return _balance(committee)


def _balance(committee: Committee) -> int:
    per_proposal = committee.assessors_per_proposal
    members = list(committee.members.active().order_by("pk"))
    proposals = list(
        Proposal.objects.filter(
            phase=committee.phase, status=Proposal.Status.UNDER_ASSESSMENT
        ).order_by("pk")
    )
    conflicts = _conflicted_pairs(committee)
    # A withdrawn assignment is not given back to the same member automatically.
    existing = set(
        Assignment.objects.filter(member__committee=committee).values_list(
            "member_id", "proposal_id"
        )
    )
    active = set(
        Assignment.objects.active()
        .filter(member__committee=committee)
        .values_list("member_id", "proposal_id")
    )
    load = Counter(member_id for member_id, _proposal_id in active)

    def eligible(proposal):
        return [
            m
            for m in members
            if (m.pk, proposal.pk) not in conflicts and (m.pk, proposal.pk) not in existing
        ]

    created = []
    for proposal in sorted(proposals, key=lambda p: (len(eligible(p)), p.pk)):
        have = sum(1 for member_id, proposal_id in active if proposal_id == proposal.pk)
        for member in sorted(eligible(proposal), key=lambda m: (load[m.pk], m.pk))[
            : max(per_proposal - have, 0)
        ]:
            created.append(Assignment(member=member, proposal=proposal))
            load[member.pk] += 1
            existing.add((member.pk, proposal.pk))
    Assignment.objects.bulk_create(created, ignore_conflicts=True)
    return len(created)


# --- Scoring ----------------------------------------------------------------------------------


def _check_scores(assignment: Assignment, scores: dict, *, complete: bool) -> None:
    criteria = {c.pk: c for c in assignment.proposal.phase.criteria.all()}
    for criterion_id, (score, _motivation) in scores.items():
        criterion = criteria.get(criterion_id)
        if criterion is None:
            raise DomainError(_("Unknown criterion."))
        if score is not None and not criterion.scale_min <= int(score) <= criterion.scale_max:
            raise DomainError(
                _("The score for “%(name)s” must lie between %(min)d and %(max)d.")
                % {"name": criterion.name, "min": criterion.scale_min, "max": criterion.scale_max},
                code="scale",
            )
    if complete:
        for criterion in criteria.values():
            score, motivation = scores.get(criterion.pk, (None, ""))
            if score is None or not str(motivation or "").strip():
                raise DomainError(
                    _("Give a score and a motivation for “%(name)s”.") % {"name": criterion.name},
                    code="incomplete",
                )


def assessment_save(
    *, assignment: Assignment, actor: User, scores: dict, submit: bool = False
) -> Assessment:
    """Store scores {criterion_id: (score, motivation)}; with submit, lock them."""
    _require_seat(actor, assignment.member)
    if assignment.withdrawn_at is not None or assignment.member.removed_at is not None:
        raise DomainError(
            _("This assignment was withdrawn: %(reason)s")
            % {"reason": assignment.withdrawn_reason or _("member removed")},
            code="withdrawn",
        )
    scores = {int(criterion_id): value for criterion_id, value in scores.items()}
    if not ConflictDeclaration.objects.filter(
        member=assignment.member, proposal=assignment.proposal, has_conflict=False
    ).exists():
        raise DomainError(_("Declare that you have no conflict of interest first."))
    _check_scores(assignment, scores, complete=submit)
    with transaction.atomic():
        assessment, _created = Assessment.objects.select_for_update().get_or_create(
            assignment=assignment
        )
        if assessment.status == Assessment.Status.SUBMITTED:
            raise DomainError(
                _("Your scores are submitted and locked; the chair can reopen them."),
                code="locked",
            )
        for criterion_id, (score, motivation) in scores.items():
            if score is None:
                continue
            CriterionScore.objects.update_or_create(
                assessment=assessment,
                criterion_id=int(criterion_id),
                defaults={"score": int(score), "motivation": str(motivation or "").strip()},
            )
        if submit:
            assessment.submitted_at = timezone.now()
            states.transition(
                assessment,
                Assessment.Status.SUBMITTED,
                actor=actor,
                extra_fields=["submitted_at"],
            )
    return assessment


def assessment_reopen(*, assessment: Assessment, actor: User, reason: str) -> Assessment:
    """The chair (or the deputy chair) unlocks a submitted assessment; the reason is kept
    (and audited)."""
    _require_presiding(actor, assessment.assignment.proposal)
    if not reason.strip():
        raise DomainError(_("Give the reason for reopening."), code="reason")
    with transaction.atomic():
        assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
        if assessment.status != Assessment.Status.SUBMITTED:
            raise DomainError(_("Only a submitted assessment can be reopened."))
        assessment.reopened_reason = reason.strip()
        states.transition(
            assessment, Assessment.Status.DRAFT, actor=actor, extra_fields=["reopened_reason"]
        )
    return assessment


def consensus_record(
    *,
    proposal: Proposal,
    actor: User,
    criterion_id: int,
    score: int,
    motivation: str,
    minority_view: str = "",
) -> ConsensusScore:
    committee = proposal.phase.committee
    _require_presiding(actor, proposal)
    criterion = proposal.phase.criteria.filter(pk=criterion_id).first()
    if criterion is None:
        raise DomainError(_("Unknown criterion."))
    if not criterion.scale_min <= score <= criterion.scale_max:
        raise DomainError(_("The score lies outside the scale."), code="scale")
    if not motivation.strip():
        raise DomainError(_("Motivate the consensus score."), code="motivation")
    if committee_advice_signed(committee):
        raise DomainError(_("The advice is signed; consensus scores are final."))
    consensus, _created = ConsensusScore.objects.update_or_create(
        proposal=proposal,
        criterion=criterion,
        defaults={
            "score": score,
            "motivation": motivation.strip(),
            "minority_view": minority_view.strip(),
            "recorded_by": actor,
        },
    )
    return consensus


def advice_sign(
    *, committee: Committee, actor: User, selected: list[Proposal], remarks: str = ""
) -> Advice:
    """The chair signs the ranking and the selection; it is frozen from then on.

    The chair selects among the proposals they are cleared for; the deputy chair's decisions
    (``deputy_decide``) add the proposals on which the chair declared a conflict. Refused while
    anything is missing: a member who has not accepted the code of conduct, an assignment
    neither assessed nor withdrawn, a declaration of the chair, a decision of the deputy.
    """
    from ..selectors.ranking import ranking_for_seat

    chair = _require_chair(actor, committee)
    with transaction.atomic():
        # Locked: a deputy's decision or a removal cannot slip in while the advice is signed.
        committee = Committee.objects.select_for_update().get(pk=committee.pk)
        if committee_advice_signed(committee):
            raise DomainError(_("The advice has been signed already."))
        gaps = advice_gaps(committee, chair)
        if gaps:
            raise DomainError(
                _("The advice cannot be signed yet: %(missing)s") % {"missing": " ".join(gaps)},
                code="incomplete",
            )
        eligible = set(ranking_for_seat(chair).eligible_ids())
        for proposal in selected:
            if proposal.pk not in eligible:
                raise DomainError(
                    _("%(proposal)s is not eligible and cannot be selected.")
                    % {"proposal": proposal}
                )
        conflicted = set(chair_conflicts(committee).values_list("proposal_id", flat=True))
        deputy = committee.deputy_chair if conflicted else None
        by_deputy = (
            list(
                Proposal.objects.filter(
                    pk__in=DeputyDecision.objects.filter(
                        committee=committee,
                        proposal_id__in=conflicted,
                        decided_by_id=deputy.user_id,
                        selected=True,
                    ).values("proposal_id")
                )
            )
            if deputy
            else []
        )
        chosen = list(selected) + by_deputy
        planned = committee.phase.planned_awards
        if len(chosen) > planned:
            if by_deputy:
                message = ngettext(
                    "The phase plans %(n)d award and the deputy chair selected %(deputy)d; "
                    "select at most %(left)d.",
                    "The phase plans %(n)d awards and the deputy chair selected %(deputy)d; "
                    "select at most %(left)d.",
                    planned,
                ) % {
                    "n": planned,
                    "deputy": len(by_deputy),
                    "left": max(planned - len(by_deputy), 0),
                }
            else:
                message = ngettext(
                    "The phase plans %(n)d award; select at most one.",
                    "The phase plans %(n)d awards; select at most that many.",
                    planned,
                ) % {"n": planned}
            raise DomainError(message)
        rows = advice_snapshot(
            committee,
            presided_by=(deputy.user.full_name or deputy.user.email) if deputy else "",
            conflicted=conflicted,
        )
        with set_actor(actor):
            advice = Advice.objects.create(
                committee=committee,
                ranking=rows,
                remarks=remarks.strip(),
                signed_by=actor,
                signed_at=timezone.now(),
                deputy_chair=deputy.user if deputy else None,
            )
            advice.selected.set(chosen)
        # A reassessment the officer asked for ends with this advice: the officer decides.
        for reassessment in Reassessment.objects.select_for_update().filter(
            committee=committee, status=Reassessment.Status.OPEN
        ):
            reassessment.advised_at = advice.signed_at
            states.transition(
                reassessment,
                Reassessment.Status.ADVISED,
                actor=actor,
                extra_fields=["advised_at"],
            )
        from ..tasks import render_advice_pdf

        outbox_enqueue(render_advice_pdf, advice.pk)
    return advice


def reassessment_start(
    *,
    phase: Phase,
    objection: Objection,
    actor: User,
    reason: str,
    proposals: list[Proposal],
) -> Reassessment:
    """The officer upholds an objection and asks the committee to reassess ``proposals``.

    Call inside the upholding transaction, holding the phase's lock. The signed advice is
    set aside (kept on the reassessment) so the committee works again, and the proposals'
    submitted assessments are reopened with ``reason``: their assessors score again, the
    chair records the consensus and signs a new advice, after which the officer decides.
    """
    _require_officer(actor, phase)
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Give the reason for the reassessment."), code="reason")
    committee = Committee.objects.select_for_update().filter(phase=phase).first()
    advice = Advice.objects.filter(committee=committee).first() if committee else None
    if committee is None or advice is None:
        raise DomainError(_("The phase has no signed advice to reassess."), code="no_advice")
    ranked = {row.get("proposal") for row in advice.ranking}
    if not proposals:
        raise DomainError(_("Choose the proposals the committee reassesses."), code="proposals")
    outside = [proposal for proposal in proposals if proposal.pk not in ranked]
    if outside:
        raise DomainError(
            _("%(proposal)s was not assessed by the committee of this phase.")
            % {"proposal": outside[0]},
            code="proposals",
        )
    with set_actor(actor):
        reassessment = Reassessment.objects.create(
            committee=committee,
            objection=objection,
            reason=reason,
            requested_by=actor,
            previous_ranking=advice.ranking,
            previous_selected=sorted(advice.selected.values_list("pk", flat=True)),
            previous_remarks=advice.remarks,
            previous_signed_by=advice.signed_by,
            previous_signed_at=advice.signed_at,
            previous_pdf=advice.pdf.name or "",
        )
        reassessment.proposals.set(proposals)
        for assessment in Assessment.objects.select_for_update().filter(
            assignment__member__committee=committee,
            assignment__member__removed_at__isnull=True,
            assignment__withdrawn_at__isnull=True,
            assignment__proposal__in=proposals,
            status=Assessment.Status.SUBMITTED,
        ):
            assessment.reopened_reason = reason
            states.transition(
                assessment, Assessment.Status.DRAFT, actor=actor, extra_fields=["reopened_reason"]
            )
        # The advice no longer stands; what it said is kept on the reassessment (and the
        # deletion in the audit trail). Its PDF stays in storage, now the reassessment's:
        # without its name the row's deletion does not take the file along (django-cleanup).
        advice.pdf.name = ""
        advice.delete()
    return reassessment


def advice_snapshot(
    committee: Committee, *, presided_by: str = "", conflicted: Collection[int] = ()
) -> list[dict]:
    """The ranking as the advice freezes it: each row with who assessed the proposal, the
    withdrawn assignments and, for the proposals in ``conflicted``, the deputy chair who
    presided over them (``presided_by``)."""
    from ..selectors.ranking import ranking_for

    rows = [row.as_dict() for row in ranking_for(committee.phase)]
    who = _who_assessed(committee)
    for row in rows:
        row["assessed_by"] = who["assessed"].get(row["proposal"], [])
        row["withdrawn"] = who["withdrawn"].get(row["proposal"], [])
        if row["proposal"] in conflicted and presided_by:
            row["presided_by"] = presided_by
    return rows


def _who_assessed(committee: Committee) -> dict:
    """Per proposal: who submitted scores, and which assignments were withdrawn and why."""
    assessed: dict[int, list[str]] = {}
    withdrawn: dict[int, list[dict]] = {}
    for assignment in (
        Assignment.objects.filter(member__committee=committee)
        .select_related("member__user", "assessment")
        .order_by("member__role", "member_id")
    ):
        name = assignment.member.user.full_name or assignment.member.user.email
        if assignment.withdrawn_at is not None:
            withdrawn.setdefault(assignment.proposal_id, []).append(
                {"name": name, "reason": assignment.withdrawn_reason}
            )
        elif getattr(assignment, "assessment", None) and (
            assignment.assessment.status == Assessment.Status.SUBMITTED
        ):
            assessed.setdefault(assignment.proposal_id, []).append(name)
    return {"assessed": assessed, "withdrawn": withdrawn}


# --- The officer: deputy chair, removing members, withdrawing assignments ----------------------


def committee_deputy_designate(
    *, committee: Committee, actor: User, member: CommitteeMember | None
) -> Committee:
    """The officer designates the deputy chair (or, with None, no longer one)."""
    _require_officer(actor, committee.phase)
    if member is not None:
        if member.committee_id != committee.pk or member.removed_at is not None:
            raise DomainError(_("Choose a member of this committee."), code="member")
        if member.role == CommitteeMember.Role.CHAIR:
            raise DomainError(
                _("The chair cannot be their own deputy; choose another member."), code="member"
            )
        if ConflictDeclaration.objects.filter(
            member=member,
            has_conflict=True,
            proposal_id__in=chair_conflicts(committee).values("proposal_id"),
        ).exists():
            raise DomainError(
                _(
                    "%(name)s declared a conflict of interest on a proposal the deputy chair "
                    "must preside over; choose another member."
                )
                % {"name": member.user.full_name or member.user.email},
                code="member",
            )
    with transaction.atomic(), set_actor(actor):
        committee = _lock_open(committee)
        committee.deputy_chair = member
        committee.save(update_fields=["deputy_chair"])
    return committee


def _withdraw(assignment: Assignment, actor: User, reason: str) -> None:
    assignment.withdrawn_at = timezone.now()
    assignment.withdrawn_reason = reason
    assignment.withdrawn_by = actor
    assignment.save(update_fields=["withdrawn_at", "withdrawn_reason", "withdrawn_by"])


def committee_member_remove(*, member: CommitteeMember, actor: User, reason: str) -> int:
    """The officer removes a member, with a reason; their open assignments are withdrawn.

    Scores the member submitted stay (the advice says who assessed what). Returns how many
    assignments were withdrawn.
    """
    committee = member.committee
    _require_officer(actor, committee.phase)
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Give the reason for removing this member."), code="reason")
    if member.role == CommitteeMember.Role.CHAIR:
        raise DomainError(_("The chair cannot be removed from the committee."), code="member")
    with transaction.atomic(), set_actor(actor):
        committee = _lock_open(committee)
        member = CommitteeMember.objects.select_for_update().get(pk=member.pk)
        if member.removed_at is not None:
            raise DomainError(_("This member was removed already."))
        member.removed_at = timezone.now()
        member.removed_reason = reason
        member.removed_by = actor
        member.save(update_fields=["removed_at", "removed_reason", "removed_by"])
        open_assignments = (
            Assignment.objects.active()
            .filter(member=member)
            .exclude(assessment__status=Assessment.Status.SUBMITTED)
        )
        withdrawn = 0
        for assignment in open_assignments:
            _withdraw(
                assignment,
                actor,
                _("Member removed from the committee: %(reason)s") % {"reason": reason},
            )
            withdrawn += 1
        if committee.deputy_chair_id == member.pk:
            committee.deputy_chair = None
            committee.save(update_fields=["deputy_chair"])
    return withdrawn


def assignment_withdraw(
    *,
    assignment: Assignment,
    actor: User,
    reason: str,
    reassign_to: CommitteeMember | None = None,
) -> Assignment | None:
    """The officer withdraws one assignment, with a reason, and may give the proposal to
    another member instead. Returns the new assignment, if any."""
    committee = assignment.member.committee
    _require_officer(actor, committee.phase)
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Give the reason for withdrawing this assignment."), code="reason")
    if reassign_to is not None:
        if reassign_to.committee_id != committee.pk or reassign_to.removed_at is not None:
            raise DomainError(_("Choose a member of this committee."), code="reassign_to")
        if reassign_to.pk == assignment.member_id:
            raise DomainError(
                _("Choose another member than the one withdrawn."), code="reassign_to"
            )
    with transaction.atomic(), set_actor(actor):
        _lock_open(committee)
        assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
        if assignment.withdrawn_at is not None:
            raise DomainError(_("This assignment was withdrawn already."))
        new = None
        if reassign_to is not None:
            new = _assign(member=reassign_to, proposal=assignment.proposal)
            reason = _("Reassigned to %(name)s: %(reason)s") % {
                "name": reassign_to.user.full_name or reassign_to.user.email,
                "reason": reason,
            }
        _withdraw(assignment, actor, reason)
    return new


def _assign(*, member: CommitteeMember, proposal: Proposal) -> Assignment:
    """A new assignment, or a withdrawn one given back (its withdrawal stays in the audit)."""
    if (member.pk, proposal.pk) in _conflicted_pairs(member.committee):
        raise DomainError(
            _("This member declared a conflict of interest for this proposal."), code="member"
        )
    assignment, created = Assignment.objects.get_or_create(member=member, proposal=proposal)
    if not created and assignment.withdrawn_at is not None:
        assignment.withdrawn_at = None
        assignment.withdrawn_reason = ""
        assignment.withdrawn_by = None
        assignment.save(update_fields=["withdrawn_at", "withdrawn_reason", "withdrawn_by"])
    elif not created:
        raise DomainError(
            _("%(name)s already assesses this proposal.")
            % {"name": member.user.full_name or member.user.email},
            code="reassign_to",
        )
    return assignment


def deputy_decide(*, committee: Committee, actor: User, selected: list[Proposal]) -> int:
    """The deputy chair's part of the selection: of the proposals on which the chair declared
    a conflict, which the committee advises to award. Changeable until the advice is signed;
    returns how many proposals were decided."""
    from ..selectors.ranking import ranking_for

    seat = committee.deputy_chair
    if seat is None or seat.user_id != actor.pk or seat.removed_at is not None:
        raise NotAllowed(_("Only the deputy chair can do this."))
    with transaction.atomic(), set_actor(actor):
        committee = _lock_open(committee)
        mine = set(
            cleared_proposals(seat)
            .filter(pk__in=chair_conflicts(committee).values("proposal_id"))
            .values_list("pk", flat=True)
        )
        eligible = {
            row.proposal.pk
            for row in ranking_for(committee.phase, among=Proposal.objects.filter(pk__in=mine))
            if row.eligible
        }
        for proposal in selected:
            if proposal.pk not in eligible:
                raise DomainError(
                    _("%(proposal)s is not eligible and cannot be selected.")
                    % {"proposal": proposal}
                )
        if len(selected) > committee.phase.planned_awards:
            raise DomainError(
                ngettext(
                    "The phase plans %(n)d award; select at most one.",
                    "The phase plans %(n)d awards; select at most that many.",
                    committee.phase.planned_awards,
                )
                % {"n": committee.phase.planned_awards}
            )
        chosen = {proposal.pk for proposal in selected}
        for proposal_id in sorted(mine):
            DeputyDecision.objects.update_or_create(
                committee=committee,
                proposal_id=proposal_id,
                defaults={"selected": proposal_id in chosen, "decided_by": actor},
            )
    return len(mine)
