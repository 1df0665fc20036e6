"""A decided call's whole funnel for the demo, from a short description (a `History`).

For the decided calls of proposals/demo/viaducts.py and funding/demo/trajectories.py that
have no proposals yet: the companies' proposals, a committee's assessment and signed advice
per phase, the awards (the best of the ranking, within the planned number, the budget and
the maximum per award), and the winners' contracts with their milestones. Innovation
partnerships first select and invite the companies that tender. Written with the pieces of
proposals/demo/history.py.
"""

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_FLOOR, Decimal

from django.core.files.base import ContentFile

from calls.models import Call, ParticipationRequest, Phase
from portal.models import Organisation, User

from ..models import CommitteeMember, Proposal
from .history import (
    AMSTERDAM,
    CODE_OF_CONDUCT,
    Texts,
    advise,
    assess,
    committee,
    companies,
    contracts,
    decide,
    months_later,
    on,
    pdf,
    planning_in,
    proposals,
)

NUMBERS = ["één", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen", "tien"]


def _the_best(count: int) -> str:
    if count == 1:
        return "het hoogst gerangschikte voorstel"
    number = NUMBERS[count - 1] if count <= len(NUMBERS) else str(count)
    return f"de {number} hoogst gerangschikte voorstellen"


@dataclass
class History:
    """How a decided call went: who answered it, and how far its funnel has come by now.

    The first phase's proposals are assessed, the best `awarded` win a contract; if the
    second phase has happened, the first `applied` winners (best first) applied for it and
    the best `awarded_later` of those won. The last phase's contracts run on while the call
    is not completed. The committee (chair first) assesses both phases.
    """

    # Completes "… uit hoe „{title}” …": what the proposals do for the call's challenge.
    theme: str
    committee: list[tuple[str, str, str, bool]]  # (e-mail, name, expertise, authority staff?)
    entries: list[tuple[str, str, str]]  # (company, contact person, title)
    awarded: int
    applied: int = 0
    awarded_later: int = 0


def _amounts(phase: Phase, count: int) -> list[Decimal]:
    """Requested amounts of 80–99% of what one award may take, in steps of € 250: so the
    planned number of awards always fits the phase's budget and maximum per award."""
    cap = min(phase.max_per_award, phase.budget / phase.planned_awards)
    step = Decimal("250")
    return [
        max(
            step,
            (cap * (Decimal("0.80") + Decimal((i * 7) % 20) / 100) / step).to_integral_value(
                ROUND_FLOOR
            )
            * step,
        ).quantize(Decimal("0.01"))
        for i in range(count)
    ]


def _quality(proposals: list[Proposal]) -> dict[int, int]:
    """A fixed order of merit that is not the order of submission."""
    ordered = sorted(proposals, key=lambda p: hashlib.sha256(p.title.encode()).hexdigest())
    return {proposal.pk: rank for rank, proposal in enumerate(ordered)}


def _invitations(call: Call, answered: list[tuple[Organisation, User]], officer: User) -> datetime:
    """Innovation partnership: each company that tendered was selected and invited first."""
    opened = call.publication_date or call.created_at
    requests_due = call.participation_deadline or opened + (call.deadline - opened) / 3
    requests_due = requests_due.astimezone(AMSTERDAM)
    invited = requests_due + timedelta(days=7)
    made = []
    for company, person in answered:
        request = ParticipationRequest(
            call=call,
            company=company,
            submitted_by=person,
            motivation=(
                f"{company.name} heeft ervaring met vergelijkbare ontwikkelopdrachten voor "
                "overheden en kan direct een team van specialisten inzetten."
            ),
            status=ParticipationRequest.Status.SELECTED,
            decision_motivation="Voldoet aan de geschiktheidseisen.",
            decided_by=officer,
            decided_at=requests_due + timedelta(days=5),
            invited_at=invited,
        )
        request.document.save(
            "geschiktheid.pdf",
            ContentFile(pdf(["Geschiktheid", company.name, call.title])),
            save=False,
        )
        made.append(request)
    made = ParticipationRequest.objects.bulk_create(made)
    for days, request in enumerate(made, 1):
        ParticipationRequest.objects.filter(pk=request.pk).update(
            submitted_at=requests_due - timedelta(days=days, hours=days)
        )
    Call.objects.filter(pk=call.pk).update(invitations_sent_at=invited)
    return invited


def _assessed(
    phase: Phase,
    history: History,
    entries: list[tuple[Organisation, User, str]],
    *,
    submitted: list[datetime],
    deadline: datetime,
    selected: int,
) -> tuple[list[Proposal], list[Proposal], datetime]:
    """One phase from submission to the signed advice: (best, the rest, decision moment)."""
    call = phase.call
    seats = [
        (
            email,
            name,
            CommitteeMember.Role.CHAIR if i == 0 else CommitteeMember.Role.MEMBER,
            expertise,
            staff,
        )
        for i, (email, name, expertise, staff) in enumerate(history.committee)
    ]
    made = proposals(
        call,
        phase,
        entries,
        amounts=_amounts(phase, len(entries)),
        submitted=submitted,
        texts=Texts(
            summary="{company} werkt in deze {phase} uit hoe „{title}” " + history.theme + ".",
            approach=(
                "Analyse van de vraag met de gebruikers, ontwerp van de oplossing, een proef "
                "op kleine schaal en een rapport met de resultaten, de kosten en de risico's."
            ),
            team="{person} (projectleider) en drie specialisten uit het eigen bedrijf.",
            planning=planning_in(phase.duration_months),
        ),
    )
    members = committee(
        phase,
        call.authority,
        seats,
        code_of_conduct=CODE_OF_CONDUCT,
        created=deadline - timedelta(days=21),
        accepted=deadline - timedelta(days=14, hours=7),
    )
    assess(
        phase,
        members,
        made,
        quality=_quality(made),
        declared=deadline + timedelta(days=3, hours=-6),
        assigned=deadline + timedelta(days=4, hours=-8),
        scored=deadline + timedelta(days=7, hours=-8),
        step=max(2, min(6, 36 // len(made))),
    )
    remarks = f"De commissie adviseert {_the_best(selected)} te gunnen."
    best = advise(
        phase, members, selected=selected, remarks=remarks, signed=deadline + timedelta(days=30)
    )
    rest = [p for p in made if p not in best]
    return best, rest, deadline + timedelta(days=35, hours=-7)


AWARDED = "Hoog gerangschikt in het advies van de commissie; binnen budget."
REJECTED = (
    "Niet bij de voorstellen die de commissie voor gunning adviseert. De motivering per "
    "criterium staat in het advies."
)
LATER_PREFIX = {Phase.Kind.PROTOTYPE: "Prototype", Phase.Kind.PURCHASE: "Levering"}


def _check(call: Call, phases: list[Phase], history: History) -> None:
    first = phases[0]
    problems = []
    if not history.awarded <= first.planned_awards or history.awarded >= len(history.entries):
        problems.append("first-phase awards")
    if history.applied:
        second = phases[1]
        if not history.awarded_later < history.awarded or history.applied > history.awarded:
            problems.append("second-phase applications")
        if not 0 < history.awarded_later <= min(history.applied, second.planned_awards):
            problems.append("second-phase awards")
    if len({name for name, _p, _t in history.entries}) != len(history.entries):
        problems.append("a company answers twice")
    if problems or not all(phase.criteria.exists() for phase in phases):
        raise ValueError(f"The demo history of “{call.title}” does not fit: {problems}.")


def _decide_and_contract(
    phase: Phase,
    best: list[Proposal],
    rest: list[Proposal],
    decided: datetime,
    officer: User,
    running: bool,
) -> date:
    """The decisions, then the winners' contracts from the first of a month on; their end."""
    decide(best, Proposal.Status.AWARDED, AWARDED, officer, decided)
    decide(rest, Proposal.Status.REJECTED, REJECTED, officer, decided)
    start = months_later((decided + timedelta(days=14)).date().replace(day=1), 1)
    end = months_later(start, phase.duration_months) - timedelta(days=1)
    contracts(
        best,
        phase=phase,
        start=start,
        end=end,
        officer=officer,
        delivered=on(end - timedelta(days=4), 16),
        reviewed=on(end + timedelta(days=9), 11),
        running=running,
    )
    return end


def history_load(call: Call, history: History) -> str:
    """Writes the call's funnel, unless it has proposals already; says what it wrote."""
    if call.proposals.exists():
        return f"the funnel of “{call.title}” is there already"
    phases = list(call.phases.order_by("order"))
    _check(call, phases, history)
    officer = call.created_by
    answered = companies([(name, person) for name, person, _title in history.entries])
    opened = call.publication_date + timedelta(days=7)
    if call.instrument == Call.Instrument.INNOVATION_PARTNERSHIP:
        opened = _invitations(call, answered, officer)
    deadline = call.deadline.astimezone(AMSTERDAM)
    # Submissions on the days before the deadline, from the day after the call opened.
    window = max(2, min(28, (deadline - opened).days - 1))
    first = phases[0]
    best, rest, decided = _assessed(
        first,
        history,
        [(c, p, title) for (c, p), (_n, _p, title) in zip(answered, history.entries, strict=True)],
        submitted=[
            on(
                (deadline - timedelta(days=1 + (i * 3) % window)).date(),
                9 + (i * 5) % 8,
                (i * 7) % 60,
            )
            for i in range(len(history.entries))
        ],
        deadline=deadline,
        selected=history.awarded,
    )
    running = call.status != Call.Status.COMPLETED
    ended = _decide_and_contract(
        first, best, rest, decided, officer, running and not history.applied
    )
    summary = f"{call.title}: {len(best) + len(rest)} proposals, {len(best)} awards"
    if not history.applied:
        return summary

    second = phases[1]
    deadline = on(ended + timedelta(days=42), 17)
    # The history's own deadline, whatever the call's planning said: the proposals below
    # come in the weeks after the first phase ended.
    Phase.objects.filter(pk=second.pk).update(deadline=deadline)
    by_company = dict(answered)
    prefix = LATER_PREFIX.get(second.kind, second.name)
    best, rest, decided = _assessed(
        second,
        history,
        [
            (p.company, by_company[p.company], f"{prefix}: {p.title}")
            for p in best[: history.applied]
        ],
        submitted=[
            on(ended + timedelta(days=14 + 2 * i), 14 + i % 3) for i in range(history.applied)
        ],
        deadline=deadline,
        selected=history.awarded_later,
    )
    _decide_and_contract(second, best, rest, decided, officer, running)
    return f"{summary}, then {len(best)} in the second phase"
