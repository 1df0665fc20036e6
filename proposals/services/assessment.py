"""Writes of the assessment: committees, conflicts of interest, assignments, scores, advice.

Order of things for a committee member: accept the code of conduct → declare, per
proposal, whether there is a conflict of interest (before seeing its content) → score the
assigned proposals per criterion with a motivation → submit, which locks the scores and
shows the others' scores. The chair may reopen a submitted assessment, with a reason.
"""

from collections import Counter
from datetime import datetime

from django.contrib.auth.tokens import default_token_generator
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from calls.models import Call, Phase
from calls.services.lifecycle import call_close, call_start_assessment
from portal.exceptions import DomainError, NotAllowed
from portal.models import Role, User
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
    Proposal,
)


def _require_officer(actor: User, phase: Phase) -> None:
    if not actor.has_perm("calls.manage_call", phase.call):
        raise NotAllowed()


def _require_chair(actor: User, committee: Committee) -> CommitteeMember:
    member = committee.members.filter(user=actor, role=CommitteeMember.Role.CHAIR).first()
    if member is None:
        raise NotAllowed(_("Only the committee's chair can do this."))
    return member


def _require_seat(actor: User, member: CommitteeMember) -> None:
    if member.user_id != actor.pk:
        raise NotAllowed()


# --- The committee ----------------------------------------------------------------------------


def committee_create(
    *,
    phase: Phase,
    actor: User,
    code_of_conduct: str,
    assessors_per_proposal: int = 3,
    assessment_deadline: datetime | None = None,
) -> Committee:
    _require_officer(actor, phase)
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
        return Proposal.objects.filter(phase=phase, status=Proposal.Status.SUBMITTED).update(
            status=Proposal.Status.UNDER_ASSESSMENT, updated_at=timezone.now()
        )


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
    if (member.pk, proposal.pk) in _conflicted_pairs(member.committee):
        raise DomainError(_("This member declared a conflict of interest for this proposal."))
    assignment, _created = Assignment.objects.get_or_create(member=member, proposal=proposal)
    return assignment


def assignments_balance(*, committee: Committee, actor: User) -> int:
    """Give each proposal N assessors, respecting conflicts, spreading the work evenly.

    Greedy: proposals with the fewest eligible members first; each gets the eligible
    members with the fewest assignments so far (ties by seat order, so it is repeatable).
    Existing assignments are kept. Returns how many were added.
    """
    _require_officer(actor, committee.phase)
    per_proposal = committee.assessors_per_proposal
    members = list(committee.members.order_by("pk"))
    proposals = list(
        Proposal.objects.filter(
            phase=committee.phase, status=Proposal.Status.UNDER_ASSESSMENT
        ).order_by("pk")
    )
    conflicts = _conflicted_pairs(committee)
    existing = set(
        Assignment.objects.filter(member__committee=committee).values_list(
            "member_id", "proposal_id"
        )
    )
    load = Counter(member_id for member_id, _proposal_id in existing)

    def eligible(proposal):
        return [
            m
            for m in members
            if (m.pk, proposal.pk) not in conflicts and (m.pk, proposal.pk) not in existing
        ]

    created = []
    for proposal in sorted(proposals, key=lambda p: (len(eligible(p)), p.pk)):
        have = sum(1 for member_id, proposal_id in existing if proposal_id == proposal.pk)
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
            assessment.status = Assessment.Status.SUBMITTED
            assessment.submitted_at = timezone.now()
            assessment.save(update_fields=["status", "submitted_at"])
    return assessment


def assessment_reopen(*, assessment: Assessment, actor: User, reason: str) -> Assessment:
    """The chair unlocks a submitted assessment; the reason is kept (and audited)."""
    _require_chair(actor, assessment.assignment.member.committee)
    if not reason.strip():
        raise DomainError(_("Give the reason for reopening."), code="reason")
    with transaction.atomic():
        assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
        if assessment.status != Assessment.Status.SUBMITTED:
            raise DomainError(_("Only a submitted assessment can be reopened."))
        assessment.status = Assessment.Status.DRAFT
        assessment.reopened_reason = reason.strip()
        assessment.save(update_fields=["status", "reopened_reason"])
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
    _require_chair(actor, committee)
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


def committee_advice_signed(committee: Committee) -> bool:
    return Advice.objects.filter(committee=committee).exists()


def advice_sign(
    *, committee: Committee, actor: User, selected: list[Proposal], remarks: str = ""
) -> Advice:
    """The chair signs the ranking and the selection; it is frozen from then on."""
    from ..selectors.ranking import ranking_for

    _require_chair(actor, committee)
    rows = ranking_for(committee.phase)
    eligible = {row.proposal.pk for row in rows if row.eligible}
    for proposal in selected:
        if proposal.pk not in eligible:
            raise DomainError(
                _("%(proposal)s is not eligible and cannot be selected.") % {"proposal": proposal}
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
    try:
        with transaction.atomic():
            advice = Advice.objects.create(
                committee=committee,
                ranking=[row.as_dict() for row in rows],
                remarks=remarks.strip(),
                signed_by=actor,
                signed_at=timezone.now(),
            )
            advice.selected.set(selected)
            from ..tasks import render_advice_pdf

            outbox_enqueue(render_advice_pdf, advice.pk)
    except IntegrityError as error:
        raise DomainError(_("The advice has been signed already.")) from error
    return advice
