from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from calls.models import Call
from portal.models import Role
from proposals.models import Proposal
from proposals.services.submission import attachment_add, proposal_save_draft, proposal_start
from tests.calls.factories import published_call
from tests.factories import CompanyFactory, person_with_role

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def pdf_upload(name: str = "projectplan.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def applicant(company=None):
    return person_with_role(Role.APPLICANT, organisation=company or CompanyFactory())


def complete_draft(*, call: Call | None = None, person=None, phase=None) -> Proposal:
    """A draft with every field filled in and every required document uploaded."""
    call = call or published_call()
    phase = phase or call.phases.get(order=1)
    person = person or applicant()
    proposal = proposal_start(phase=phase, actor=person, title="Demontabel viaduct")
    proposal = proposal_save_draft(
        proposal=proposal,
        actor=person,
        fields={
            "summary": "Een viaduct van herbruikbare elementen.",
            "approach": "Ontwerp, rekenmodel en proefopstelling.",
            "team": "Twee constructeurs en een materiaalkundige.",
            "planning": "Vier maanden.",
            # An entry of a prize competition or hackathon asks no amount: it wins a prize.
            "requested_amount": None if call.is_contest else Decimal("20000.00"),
        },
    )
    for document in phase.required_documents.all():
        attachment_add(
            proposal=proposal,
            actor=person,
            upload=pdf_upload(f"{document.name}.pdf"),
            required_document=document,
        )
    proposal.person = person
    return proposal


def submitted_proposals(call: Call, count: int) -> list[Proposal]:
    from proposals.services.submission import proposal_submit

    proposals = []
    for _ in range(count):
        draft = complete_draft(call=call)
        proposal = proposal_submit(proposal=draft, actor=draft.person, declaration_accepted=True)
        proposal.person = draft.person
        proposals.append(proposal)
    return proposals


def signed_advice(phase, *, not_eligible=(), selected=None):
    """The phase's committee signs its advice, so the officer may decide.

    Stands in for the scoring (tested in test_assessment.py): every proposal under assessment
    is ranked eligible except those in `not_eligible`. A phase without a committee gets one.
    """
    from django.utils import timezone

    from proposals.models import Advice, Committee, CommitteeMember

    existing = Advice.objects.filter(committee__phase=phase).first()
    if existing is not None:
        return existing
    committee, _created = Committee.objects.get_or_create(
        phase=phase, defaults={"code_of_conduct": "Vertrouwelijk."}
    )
    seat = committee.members.filter(role=CommitteeMember.Role.CHAIR).first()
    if seat is None:
        chair = person_with_role(Role.COMMITTEE_CHAIR, organisation=phase.call.authority)
        seat = CommitteeMember.objects.create(
            committee=committee, user=chair, role=CommitteeMember.Role.CHAIR
        )
    excluded = {p.pk for p in not_eligible}
    ranked = list(
        Proposal.objects.filter(phase=phase, status=Proposal.Status.UNDER_ASSESSMENT).order_by("pk")
    )
    ranking = [
        {
            "proposal": p.pk,
            "submission_number": p.submission_number,
            "title": p.title,
            "eligible": p.pk not in excluded,
            "rank": None if p.pk in excluded else rank,
        }
        for rank, p in enumerate(ranked, start=1)
    ]
    advice = Advice.objects.create(
        committee=committee, ranking=ranking, signed_by=seat.user, signed_at=timezone.now()
    )
    advice.selected.set(
        selected if selected is not None else [p for p in ranked if p.pk not in excluded]
    )
    return advice


def deadline_passed(call: Call) -> Call:
    """Move the call's deadline (its first phase's) just into the past, so that its proposals
    open to the officer and the committee; until then they are sealed."""
    from datetime import timedelta

    from django.utils import timezone

    from calls.models import Phase

    now = timezone.now()
    Call.objects.filter(pk=call.pk).update(
        questions_deadline=now - timedelta(minutes=2), deadline=now - timedelta(minutes=1)
    )
    Phase.objects.filter(call=call, order=1, deadline__isnull=False).update(
        deadline=now - timedelta(minutes=1)
    )
    officer = getattr(call, "officer", None)
    call.refresh_from_db()
    if officer is not None:
        call.officer = officer
    return call


def partnership_tenders(count: int = 3):
    """An innovation partnership past its tender deadline: ``count`` invited companies each
    submitted an initial tender (the proposals, each with ``.person``); the call has
    ``.officer``. The initial tenders are open to the officer."""
    from datetime import timedelta

    import time_machine

    from calls.services.participation import (
        participation_invitations_send,
        participation_request_decide,
        participation_request_submit,
    )
    from proposals.services.submission import proposal_submit
    from tests.calls.factories import assessment_for, declaration_for

    call = published_call(
        instrument=Call.Instrument.INNOVATION_PARTNERSHIP,
        minimum_requirements="Volledig elektrisch; 40 passagiers; 20 minuten laden.",
    )
    officer = call.officer
    people = [applicant() for _ in range(count)]
    requests = []
    for person in people:
        requests.append(
            participation_request_submit(
                call=call,
                actor=person,
                motivation="Ervaring met elektrische schepen.",
                document=pdf_upload("geschiktheid.pdf"),
                **declaration_for(call),
            )
        )
    proposals = []
    with time_machine.travel(call.participation_deadline + timedelta(minutes=1)):
        for request in requests:
            participation_request_decide(
                request=request,
                actor=officer,
                selected=True,
                motivation="Geschikt.",
                **assessment_for(request),
            )
        participation_invitations_send(
            call=call,
            actor=officer,
            fewer_reason="" if count >= 3 else "Slechts zoveel gegadigden voldeden.",
        )
        for person in people:
            draft = complete_draft(call=call, person=person)
            proposal = proposal_submit(proposal=draft, actor=person, declaration_accepted=True)
            proposal.person = person
            proposals.append(proposal)
    call = deadline_passed(call)
    call.officer = officer
    return call, proposals


AWARDS = [Decimal("200000.00"), Decimal("150000.50"), Decimal("99999.99")]
PHASE_2 = [Decimal("240000.00"), Decimal("180000.25"), Decimal("120000.00")]
PURCHASE = Decimal("250000.00")


def _targets():
    from proposals.services.partnership import TargetSpec

    return [
        TargetSpec("Vaarbereik", "≥ 40 km per lading", "Meetrapport van een proefvaart"),
        TargetSpec("Laadtijd", "≤ 20 minuten", "Logboek van de laadpaal"),
    ]


TARGETS = _targets()


def partnership_partners():
    """Three partners of an innovation partnership with contracts and a plan for each of the
    call's three phases (R&D 1 running, R&D 2 planned, purchase planned)."""
    from datetime import timedelta

    from proposals.models import Contract
    from proposals.services.assessment import assessment_open
    from proposals.services.decisions import decisions_finalise_due, proposal_award
    from proposals.services.partnership import partnership_plan_set

    call, proposals = partnership_tenders(3)
    phases = list(call.phases.order_by("order"))
    assessment_open(phase=phases[0], actor=call.officer)
    signed_advice(phases[0])
    decisions = [
        proposal_award(
            proposal=proposal, actor=call.officer, motivation="Beste verhouding.", amount=amount
        )
        for proposal, amount in zip(proposals, AWARDS, strict=True)
    ]
    # A partnership's standstill is at least 20 days: the contracts follow when it has passed.
    decisions_finalise_due(today=max(d.standstill_ends_on for d in decisions) + timedelta(days=1))
    for proposal, amount, second in zip(proposals, AWARDS, PHASE_2, strict=True):
        contract = Contract.objects.get(proposal=proposal)
        for phase, cost, targets in (
            (phases[0], amount, TARGETS),
            (phases[1], second, TARGETS),
            (phases[2], PURCHASE, []),
        ):
            partnership_plan_set(
                contract=contract, phase=phase, actor=call.officer, max_cost=cost, targets=targets
            )
        proposal.contract = contract
    call.phase_list = phases
    return call, proposals
