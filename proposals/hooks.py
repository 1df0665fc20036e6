"""What proposals add to the portal's pages through ProposalsConfig (the portal asks every app).

- ``navigation(user)``: the header's entries: a company's proposals, committee work, an
  officer's contracts.
- ``tasks_for(user)``: "My tasks" on the dashboard for proposals' own objects (proposals,
  committees, contracts); calls answers for clarification questions and closing calls.
  Each task is a dict: title, url, deadline (an aware datetime or None) and kind (a stable
  name for tests and styling).
- ``call_sections(call, user, audience, phases)``: on a call's public page, the end of the
  standstill period of the intended decisions per phase (one query) and the results per phase: the
  proposals received, the companies awarded once the decisions are final (two queries).
- ``requires_two_factor(user)``: a committee seat needs the second factor, also an
  independent expert's, who holds no role that would ask for it.

Queries are per role, never per item: a company member costs five, a committee member two,
an officer four, whatever the number of calls, proposals or assignments.
"""

from datetime import date, datetime, time, timedelta

from django.db.models import Count, Exists, F, Func, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from calls.models import Call, Phase
from calls.selectors.participation import participation_requests_of_company_member
from portal.models import Membership, Role
from portal.permissions import can
from portal.selectors.identity import roles_of

from .models import (
    Advice,
    Assessment,
    Assignment,
    CommitteeMember,
    ConflictDeclaration,
    Decision,
    Proposal,
)
from .selectors.assessment import seats_of
from .selectors.contracts import (
    deliverables_due_for_company_member,
    deliverables_to_review_for_officer,
)
from .selectors.decisions import (
    intended_decisions_of_company_member,
    open_objections_for_officer,
    standstill_ends_by_phase,
)
from .selectors.proposals import proposals_of_company_member
from .services.submission import phase_deadline

# How long an award or rejection stays on the company's list, to be read.
RECENT_DECISIONS = timedelta(days=30)
COMMITTEE_ROLES = {Role.ASSESSOR, Role.COMMITTEE_CHAIR}


def navigation(user) -> list[dict]:
    if not user.is_authenticated:
        return []
    roles = roles_of(user)
    items = []
    if Role.APPLICANT in roles:
        items.append({"label": gettext_lazy("My proposals"), "url": reverse("proposals:mine")})
    if roles & COMMITTEE_ROLES or CommitteeMember.objects.filter(user=user).exists():
        items.append(
            {"label": gettext_lazy("Assessment"), "url": reverse("proposals:committee_home")}
        )
    if Role.PROCUREMENT_OFFICER in roles:
        items.append(
            {"label": gettext_lazy("Contracts"), "url": reverse("proposals:officer_contracts")}
        )
    return items


def task(
    kind: str, title: str, url: str, deadline: datetime | None = None, last_day: date | None = None
) -> dict:
    """A task; ``last_day`` shows a deadline that is a whole day ("until and including 23
    December", as the letters say it) while ``deadline``, the end of that day, sorts it."""
    return {"kind": kind, "title": title, "url": url, "deadline": deadline, "last_day": last_day}


def tasks_for(user) -> list[dict]:
    """Everything waiting for this person, unsorted (the dashboard sorts all apps' tasks)."""
    if not user.is_authenticated:
        return []
    roles = roles_of(user)
    now = timezone.now()
    tasks = []
    if Role.APPLICANT in roles:
        tasks += company_tasks(user, now)
    # Independent experts sit on committees without any role in an organisation.
    if not roles or roles & COMMITTEE_ROLES:
        tasks += committee_tasks(user)
    if Role.PROCUREMENT_OFFICER in roles:
        tasks += officer_tasks(user, now)
    return tasks


def _end_of(day) -> datetime:
    """A due date means: before that day ends, in Europe/Amsterdam."""
    return timezone.make_aware(datetime.combine(day, time(23, 59)))


def _open_phase(now: datetime) -> Q:
    """Proposals whose phase still accepts submissions (its deadline, else the call's)."""
    return (
        Q(phase__deadline__gt=now)
        | Q(phase__deadline__isnull=True, phase__order=1, call__deadline__gt=now)
    ) & ~Q(call__status__in=[Call.Status.DRAFT, Call.Status.CANCELLED, Call.Status.COMPLETED])


def _deadline_passed(now: datetime) -> Q:
    return Q(deadline__lte=now) | Q(deadline__isnull=True, order=1, call__deadline__lte=now)


# --- Companies ---------------------------------------------------------------------------------


def _is_tender(proposal: Proposal) -> bool:
    """In an innovation partnership, a proposal for the first phase is the invited tender."""
    return proposal.phase.order == 1 and (
        proposal.call.instrument == Call.Instrument.INNOVATION_PARTNERSHIP
    )


def company_tasks(user, now: datetime) -> list[dict]:
    tasks = []
    drafts = (
        proposals_of_company_member(user)
        .filter(_open_phase(now), status=Proposal.Status.DRAFT)
        .select_related("phase__call")
    )
    for proposal in drafts:
        context = {"title": proposal.title, "call": proposal.call.display_title}
        if _is_tender(proposal):
            kind, title = "finish_tender", _("Finish your tender “%(title)s” for %(call)s")
        else:
            kind, title = (
                "proposal_draft",
                _("Complete and submit your proposal “%(title)s” (%(call)s)"),
            )
        tasks.append(
            task(
                kind,
                title % context,
                reverse("proposals:edit", kwargs={"pk": proposal.pk}),
                phase_deadline(proposal.phase),
            )
        )
    # Invited to tender, the selection's standstill over, and not started yet (a draft is
    # finished above; a submitted tender, or one further on, leaves nothing to do). A
    # withdrawn tender may be replaced.
    tender = Proposal.objects.filter(
        call_id=OuterRef("call_id"), company_id=OuterRef("company_id"), phase__order=1
    ).exclude(status=Proposal.Status.WITHDRAWN)
    invited = participation_requests_of_company_member(user).filter(
        Q(call__selection_standstill_ends_on__isnull=True)
        | Q(call__selection_standstill_ends_on__lt=timezone.localdate()),
        ~Exists(tender),
        invited_at__isnull=False,
        call__status=Call.Status.PUBLISHED,
        call__deadline__gt=now,
    )
    for participation in invited:
        call = participation.call
        tasks.append(
            task(
                "submit_tender",
                _("You are invited: submit your tender for %(call)s")
                % {"call": call.display_title},
                reverse("calls:participation_mine"),
                call.deadline,
            )
        )
    for deliverable in deliverables_due_for_company_member(user):
        tasks.append(
            task(
                "deliverable_due",
                _("Deliver “%(name)s” for “%(title)s”")
                % {"name": deliverable.name, "title": deliverable.contract.proposal.title},
                reverse("proposals:deliver", kwargs={"deliverable_pk": deliverable.pk}),
                _end_of(deliverable.due_date),
            )
        )
    decided = proposals_of_company_member(user).filter(
        status__in=[Proposal.Status.AWARDED, Proposal.Status.REJECTED],
        decided_at__gte=now - RECENT_DECISIONS,
    )
    for proposal in decided:
        tasks.append(
            task(
                "decision",
                _("Read the decision on your proposal “%(title)s”") % {"title": proposal.title},
                reverse("proposals:detail", kwargs={"pk": proposal.pk}),
            )
        )
    for decision in intended_decisions_of_company_member(user):
        tasks.append(
            task(
                "standstill",
                _(
                    "Read the intended decision on “%(title)s”: you may object until the "
                    "standstill period ends"
                )
                % {"title": decision.proposal.title},
                reverse("proposals:detail", kwargs={"pk": decision.proposal_id}),
                decision.standstill_ends_at,
                last_day=decision.standstill_ends_on,
            )
        )
    return tasks


# --- Committee members -------------------------------------------------------------------------


def _count(queryset) -> Coalesce:
    """The number of rows of a correlated subquery, as an annotation."""
    counted = queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def committee_tasks(user) -> list[dict]:
    under_assessment = Proposal.objects.filter(
        phase_id=OuterRef("committee__phase_id"), status=Proposal.Status.UNDER_ASSESSMENT
    )
    declared = ConflictDeclaration.objects.filter(
        member_id=OuterRef(OuterRef("pk")), proposal_id=OuterRef("pk")
    )
    committee_assignments = Assignment.objects.active().filter(
        member__committee_id=OuterRef("committee_id"),
        proposal__status=Proposal.Status.UNDER_ASSESSMENT,
    )
    seats = seats_of(user).annotate(
        undeclared=_count(under_assessment.exclude(Exists(declared))),
        assigned=_count(committee_assignments),
        assessments_open=_count(
            committee_assignments.exclude(assessment__status=Assessment.Status.SUBMITTED)
        ),
        advice_signed=Exists(Advice.objects.filter(committee_id=OuterRef("committee_id"))),
        chair_conflicts=Exists(
            ConflictDeclaration.objects.filter(
                member__committee_id=OuterRef("committee_id"),
                member__role=CommitteeMember.Role.CHAIR,
                has_conflict=True,
            )
        ),
    )
    seats = list(seats)
    tasks = []
    for seat in seats:
        call = seat.committee.phase.call
        if seat.advice_signed or call.status in (Call.Status.COMPLETED, Call.Status.CANCELLED):
            continue  # the committee's work is done
        context = {"call": call.display_title, "phase": seat.committee.phase.display_name}
        due = seat.committee.assessment_deadline
        if seat.code_accepted_at is None:
            tasks.append(
                task(
                    "code_of_conduct",
                    _("Accept the code of conduct of the committee for %(call)s, %(phase)s")
                    % context,
                    reverse("proposals:code_of_conduct", kwargs={"seat_pk": seat.pk}),
                    due,
                )
            )
            continue
        if seat.undeclared:
            tasks.append(
                task(
                    "declarations",
                    ngettext(
                        "Declare your interests for %(count)d proposal of %(call)s, %(phase)s",
                        "Declare your interests for %(count)d proposals of %(call)s, %(phase)s",
                        seat.undeclared,
                    )
                    % {**context, "count": seat.undeclared},
                    reverse("proposals:declarations", kwargs={"seat_pk": seat.pk}),
                    due,
                )
            )
        if seat.role == CommitteeMember.Role.CHAIR and seat.assigned and not seat.assessments_open:
            tasks.append(
                task(
                    "advice",
                    _("All assessments are in: sign the advice for %(call)s, %(phase)s") % context,
                    reverse("proposals:advice", kwargs={"seat_pk": seat.pk}),
                    due,
                )
            )

    cleared = ConflictDeclaration.objects.filter(
        member_id=OuterRef("member_id"), proposal_id=OuterRef("proposal_id"), has_conflict=False
    )
    to_score = (
        Assignment.objects.active()
        .filter(
            Exists(cleared),
            member__user=user,
            member__removed_at__isnull=True,
            member__code_accepted_at__isnull=False,
            proposal__status=Proposal.Status.UNDER_ASSESSMENT,
        )
        .exclude(assessment__status=Assessment.Status.SUBMITTED)
        .select_related("proposal", "member__committee")
        .order_by("proposal__submission_number", "pk")
    )
    deputy_seats = [
        seat for seat in seats if seat.committee.deputy_chair_id == seat.pk and seat.chair_conflicts
    ]
    for seat in deputy_seats:
        if seat.advice_signed:
            continue
        tasks.append(
            task(
                "deputy",
                _("As deputy chair, preside over the chair's conflicts for %(call)s, %(phase)s")
                % {
                    "call": seat.committee.phase.call.display_title,
                    "phase": seat.committee.phase.display_name,
                },
                reverse("proposals:deputy", kwargs={"seat_pk": seat.pk}),
                seat.committee.assessment_deadline,
            )
        )
    for assignment in to_score:
        proposal = assignment.proposal
        tasks.append(
            task(
                "assessment",
                _("Score proposal %(number)s “%(title)s”")
                % {"number": proposal.submission_number, "title": proposal.title},
                reverse(
                    "proposals:assess",
                    kwargs={"seat_pk": assignment.member_id, "proposal_pk": proposal.pk},
                ),
                assignment.member.committee.assessment_deadline,
            )
        )
    return tasks


# --- Procurement officers ----------------------------------------------------------------------


def officer_tasks(user, now: datetime) -> list[dict]:
    tasks = []
    authorities = Membership.objects.filter(user=user, role=Role.PROCUREMENT_OFFICER).values(
        "organisation_id"
    )
    phases = Phase.objects.filter(call__authority_id__in=authorities).select_related("call")
    waiting = phases.filter(_deadline_passed(now)).annotate(
        submitted=Count("proposals", filter=Q(proposals__status=Proposal.Status.SUBMITTED))
    )
    for phase in waiting.filter(submitted__gt=0):
        tasks.append(
            task(
                "start_assessment",
                ngettext(
                    "Start the assessment of %(count)d proposal for %(call)s, %(phase)s",
                    "Start the assessment of %(count)d proposals for %(call)s, %(phase)s",
                    phase.submitted,
                )
                % {
                    "count": phase.submitted,
                    "call": phase.call.display_title,
                    "phase": phase.display_name,
                },
                reverse("proposals:officer_phase", kwargs={"phase_pk": phase.pk}) + "#assessment",
                phase_deadline(phase),
            )
        )
    # Still to decide: under assessment without a standing (intended or final) decision; an
    # intended decision keeps its proposal under assessment during the standstill period. A
    # proposal has at most one standing decision (a unique index), so the number is those under
    # assessment less those of them decided: two index counts, where an anti-join compared every
    # proposal with every decision (150 ms for a phase of 5,000).
    under_assessment = Proposal.objects.filter(
        phase_id=OuterRef("pk"), status=Proposal.Status.UNDER_ASSESSMENT
    )
    decided = Decision.objects.filter(
        proposal__phase_id=OuterRef("pk"), proposal__status=Proposal.Status.UNDER_ASSESSMENT
    ).exclude(status=Decision.Status.WITHDRAWN)
    advised = (
        phases.filter(committee__advice__isnull=False)
        .annotate(undecided=_count(under_assessment) - _count(decided))
        .filter(undecided__gt=0)
    )
    for phase in advised:
        tasks.append(
            task(
                "decide",
                ngettext(
                    "The advice is signed: decide on %(count)d proposal for %(call)s, %(phase)s",
                    "The advice is signed: decide on %(count)d proposals for %(call)s, %(phase)s",
                    phase.undecided,
                )
                % {
                    "count": phase.undecided,
                    "call": phase.call.display_title,
                    "phase": phase.display_name,
                },
                reverse("proposals:officer_phase", kwargs={"phase_pk": phase.pk}) + "#decisions",
            )
        )

    for deliverable in deliverables_to_review_for_officer(user):
        tasks.append(
            task(
                "review_deliverable",
                _("Review “%(name)s” delivered by %(company)s")
                % {"name": deliverable.name, "company": deliverable.contract.proposal.company},
                reverse("proposals:officer_review", kwargs={"deliverable_pk": deliverable.pk}),
            )
        )
    for objection in open_objections_for_officer(user):
        decision = objection.decision
        tasks.append(
            task(
                "answer_objection",
                _("Answer objection %(number)s of %(company)s (%(call)s)")
                % {
                    "number": objection.number,
                    "company": decision.proposal.company.name,
                    "call": decision.proposal.call.display_title,
                },
                reverse("proposals:officer_objection", kwargs={"objection_pk": objection.pk}),
                decision.standstill_ends_at,
                last_day=decision.standstill_ends_on,
            )
        )
    return tasks


def requires_two_factor(user) -> bool:
    return CommitteeMember.objects.filter(user=user).exists()


def participation_sections(participation, user) -> list[dict]:
    """The company's page of its request to participate: its selection letters (with the
    standstill) and its objections to the selection, with the way to object while it can."""
    from .selectors.decisions import selection_objections_of
    from .selectors.letters import selection_letters_of_request

    letters = list(selection_letters_of_request(participation))
    if not letters:
        return []
    objections = [
        objection
        for objection in selection_objections_of(participation.call)
        if objection.participation_request_id == participation.pk
    ]
    current = letters[0]
    can_object = can(user, "proposals.lodge_selection_objection", current) and not any(
        objection.is_open for objection in objections
    )
    return [
        {
            "template": "proposals/company/_selection_letters.html",
            "context": {
                "participation": participation,
                "letters": letters,
                "objections": objections,
                "objection_letter": current if can_object else None,
            },
        }
    ]


def _selection_section(call) -> list[dict]:
    """The officer's page of a partnership: the selection letters (sent, read) and the
    objections to the selection, with a link to answer each."""
    from .selectors.decisions import selection_objections_of
    from .selectors.letters import selection_letters_of_call

    if call.instrument != Call.Instrument.INNOVATION_PARTNERSHIP:
        return []
    letters = list(selection_letters_of_call(call))
    if not letters:
        return []
    return [
        {
            "template": "proposals/officer/_selection_letters.html",
            "context": {
                "call": call,
                "letters": letters,
                "objections": list(selection_objections_of(call)),
            },
        }
    ]


def call_sections(call, user, audience: str, phases: list | None) -> list[dict]:
    """The officer's call page: the selection's letters and objections (partnership). The
    public call page: per phase the proposals received (after its deadline) and, once the
    decisions are final, the companies awarded with amount and date."""
    from .selectors.results import call_results

    if audience == "officer":
        return _selection_section(call)
    if audience != "public" or phases is None or not call.is_public:
        return []
    sections = []
    ends = standstill_ends_by_phase(call)
    if ends:
        rows = [{"phase": phase, "end": ends[phase.pk]} for phase in phases if phase.pk in ends]
        sections.append(
            {"template": "proposals/public/_standstill.html", "context": {"rows": rows}}
        )
    results = call_results(call, phases)
    if any(result.opened for result in results):
        sections.append(
            {
                "template": "proposals/public/_results.html",
                "context": {"call": call, "results": results},
            }
        )
    return sections
