"""The demo innovation partnership from its selection on: the selection (four candidates
invited, one not selected, one excluded, each with its numbered letter and the standstill),
two negotiation rounds (the second asks for the final tenders), the committee's award to
three partners, the phases with interim targets and maximum costs in their contracts, and the
go/no-go after phase 1 (go for two partners, no-go for one), with its money in the ledger.

A fictitious example (marked as such wherever it is shown). The past up to the awards is
written as history (proposals/demo/funnel.py; the rounds and revised tenders directly, since
the services rightly refuse deadlines in the past); the contracts are booked like every demo
contract; the phases, the reports' state and the go/no-go go through the services, so that
the ledger follows them exactly. Idempotent: an existing call is left as it is.
"""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.utils import timezone

from calls.models import (
    Call,
    CriterionAnswer,
    ExclusionAnswer,
    Mission,
    ParticipationRequest,
    Phase,
)
from calls.services.selection import selection_seed_defaults
from calls.structures import PARTNERSHIP_CRITERIA
from portal import states
from portal.demo.identity import company_details
from portal.models import Organisation, User
from portal.money import round_cents
from proposals.demo.funnel import History, history_load
from proposals.demo.history import pdf
from proposals.models import (
    DecisionLetter,
    NegotiationRound,
    PhasePlan,
    Proposal,
    TargetReport,
    TenderVersion,
)
from proposals.services.letters import selection_letter_make
from proposals.services.partnership import TargetSpec, partnership_decide, partnership_plan_set

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
TITLE = "Innovatiepartnerschap elektrische veerponten Zuid-Holland"
AUTHORITY = "Provincie Zuid-Holland"

HISTORY = History(
    theme="veerponten zonder uitstoot laat varen op stroom van de eigen oever",
    committee=[
        ("m.devos@pzh.example", "Ir. Marieke de Vos", "Vaarwegen, voorzitter", True),
        ("t.ouali@pzh.example", "Tarik Ouali", "Openbaar vervoer over water", True),
        (
            "e.brink@maritiem.example",
            "Dr. ir. Els Brink",
            "Scheepsbouw en accusystemen",
            False,
        ),
    ],
    entries=[
        ("Oeverstroom B.V.", "Sanne Kuipers", "Veerpont met walstroom en snellader"),
        ("Delta E-Marine B.V.", "Joost Verbeek", "Modulaire elektrische veerpont"),
        ("Groene Gierpont B.V.", "Annelies Vos", "Gierpont met hulpaandrijving op zon"),
        ("Waterstof Werven B.V.", "Koen Mulder", "Veerpont op waterstof"),
    ],
    awarded=3,
)
ROUND_POINTS = [
    (
        "1. Hoe garandeert u de laadtijd van ten hoogste 20 minuten bij een volle dienstregeling?\n"
        "2. Licht de vervanging van de accu na tien jaar toe, met de kosten.\n"
        "3. Welke aanpassingen aan de steigers verwacht u?"
    ),
    (
        "Dank voor de herziene inschrijvingen. De onderhandelingen zijn gesloten: dien uw "
        "definitieve inschrijving in. Minimumeisen en gunningscriteria zijn ongewijzigd."
    ),
]
TARGETS = {
    1: [
        TargetSpec(
            "Vaarbereik van het proefschip", "≥ 40 km per lading", "Meetrapport van een proefvaart"
        ),
        TargetSpec("Laadtijd aan de wal", "≤ 20 minuten", "Logboek van de laadpaal, 2 weken"),
    ],
    2: [
        TargetSpec("Betrouwbaarheid in dienst", "≥ 98% van de afvaarten", "Dienstregelingsrapport"),
    ],
}
GO = "Beide tussentijdse doelen gehaald; de maximale kosten blijven binnen het contract."
NO_GO = (
    "De laadtijd bleef in de proefvaart boven de 20 minuten; het partnerschap met deze "
    "partner eindigt na fase 1. De provincie gaat door met twee partners."
)


# The candidates that were not invited: (company, KvK, motivation, technical references,
# meets the technical minimum, reason, status, motivation of the decision, exclusion ground
# answered "yes" with (explanation, self-cleaning, the officer's reason) or None).
NOT_INVITED = [
    (
        "Zuidwal Elektro B.V.",
        "70000041",
        "Elektrische installaties voor jachthavens; wij willen de laadinfrastructuur leveren.",
        "Laadpalen voor twee jachthavens (2023, 2024); geen vaartuigen.",
        False,
        "Geen referentie van een vaartuig of een veerpont; het minimum is twee vergelijkbare "
        "projecten in vijf jaar.",
        ParticipationRequest.Status.REJECTED,
        "Niet geselecteerd: voldoet niet aan het minimum voor technische bekwaamheid.",
        None,
    ),
    (
        "Haven Aandrijvingen B.V.",
        "70000042",
        "Aandrijvingen voor binnenvaart en veerponten in de Rijnmond.",
        "Hybride aandrijving voor twee veerponten (2021, 2022).",
        True,
        "Twee vergelijkbare aandrijvingen voor veerponten.",
        ParticipationRequest.Status.EXCLUDED,
        "Uitgesloten op grond van een verplichte uitsluitingsgrond.",
        (
            "fraud",
            "De onderneming is in 2021 onherroepelijk veroordeeld voor fraude met subsidies.",
            "Een nieuwe financieel directeur is aangesteld.",
            "Een onherroepelijke veroordeling voor fraude binnen vijf jaar; de maatregelen "
            "tonen niet aan dat herhaling is uitgesloten.",
        ),
    ),
]
MEETS = {
    "suitability": "Ingeschreven in het Handelsregister; uittreksel van deze maand.",
    "financial": "De gemiddelde omzet ligt boven het minimum.",
    "technical": "Ten minste twee vergelijkbare vaartuigen of aandrijvingen in vijf jaar.",
}


def _answers(
    request: ParticipationRequest,
    grounds: list,
    criteria: list,
    officer: User,
    decided: datetime,
    *,
    technical: tuple[bool, str] | None = None,
    references: str = "",
    yes: tuple[str, str, str, str] | None = None,
) -> None:
    """The candidate's self-declaration and the officer's assessment of it."""
    ExclusionAnswer.objects.bulk_create(
        ExclusionAnswer(
            request=request,
            ground=ground,
            applies=bool(yes and ground.code == yes[0]),
            explanation=yes[1] if yes and ground.code == yes[0] else "",
            self_cleaning=yes[2] if yes and ground.code == yes[0] else "",
            decision=ExclusionAnswer.Decision.EXCLUDE if yes and ground.code == yes[0] else "",
            decision_reason=yes[3] if yes and ground.code == yes[0] else "",
            decided_by=officer if yes and ground.code == yes[0] else None,
            decided_at=decided if yes and ground.code == yes[0] else None,
        )
        for ground in grounds
    )
    CriterionAnswer.objects.bulk_create(
        CriterionAnswer(
            request=request,
            criterion=criterion,
            response=references
            if references and criterion.category == "technical"
            else f"{request.company.name}: referenties en cijfers ({criterion.category}).",
            meets=technical[0] if technical and criterion.category == "technical" else True,
            reason=technical[1]
            if technical and criterion.category == "technical"
            else MEETS[criterion.category],
            assessed_by=officer,
            assessed_at=decided,
        )
        for criterion in criteria
    )


def _selection(call: Call, officer: User) -> int:
    """The whole selection: the self-declarations and the officer's assessment of the
    candidates invited (as history wrote them), one candidate not selected and one excluded,
    the standstill after the selection and a numbered letter to every candidate (not mailed
    again; sent and read in the past)."""
    selection_seed_defaults(call=call)
    call.refresh_from_db()
    grounds = list(call.exclusion_grounds.all())
    criteria = list(call.selection_criteria.all())
    invited_at = call.invitations_sent_at
    decided = invited_at - timedelta(days=2)
    for request in call.participation_requests.select_related("company"):
        _answers(request, grounds, criteria, officer, decided)
    first = call.participation_requests.order_by("submitted_at").first()
    for name, kvk, motivation, refs, meets, reason, status, why, yes in NOT_INVITED:
        company, _created = Organisation.objects.get_or_create(
            name=name,
            defaults={
                "kind": Organisation.Kind.COMPANY,
                "kvk_number": kvk,
                "is_sme": True,
                **company_details(name),
            },
        )
        request = ParticipationRequest(
            call=call,
            company=company,
            submitted_by=officer if first is None else first.submitted_by,
            motivation=motivation,
            status=status,
            decision_motivation=why,
            decided_by=officer,
            decided_at=decided,
        )
        request.document.save(
            "geschiktheid.pdf", ContentFile(pdf(["Geschiktheid", name, call.title])), save=False
        )
        request.save()
        ParticipationRequest.objects.filter(pk=request.pk).update(
            submitted_at=invited_at - timedelta(days=9)
        )
        _answers(
            request,
            grounds,
            criteria,
            officer,
            decided,
            technical=(meets, reason),
            references=refs,
            yes=yes,
        )
    standstill_ends_on = timezone.localdate(invited_at) + timedelta(days=call.standstill_days)
    Call.objects.filter(pk=call.pk).update(
        selection_standstill_ends_on=standstill_ends_on,
        fewer_invitations_reason="",
    )
    made = 0
    for request in call.participation_requests.order_by("pk"):
        letter = selection_letter_make(
            request_id=request.pk, send=False, on=timezone.localdate(invited_at)
        )
        if letter is not None:
            DecisionLetter.objects.filter(pk=letter.pk).update(
                sent_at=invited_at, read_at=invited_at + timedelta(hours=3)
            )
            made += 1
    return made


def _at(year: int, month: int, day: int, hour: int = 12) -> datetime:
    return datetime(year, month, day, hour, tzinfo=AMSTERDAM)


def _call(authority: Organisation, officer: User) -> Call:
    published = _at(2023, 1, 9, 9)
    deadline = _at(2023, 4, 3, 17)
    call = Call.objects.create(
        authority=authority,
        instrument=Call.Instrument.INNOVATION_PARTNERSHIP,
        title=TITLE,
        title_en="Innovation partnership electric ferries South Holland",
        challenge=(
            "De provincie wil haar veerdiensten emissievrij maken: ontwikkel met ons een "
            "elektrische veerpont en lever die daarna aan de provincie."
        ),
        challenge_en=(
            "The province wants its ferry services free of emissions: develop an electric "
            "ferry with us, then deliver it to the province."
        ),
        minimum_requirements=(
            "Volledig elektrisch of emissievrij; ten minste 40 passagiers en 10 fietsen; "
            "laden aan de wal binnen 20 minuten."
        ),
        contact_name=officer.full_name,
        contact_email=officer.email,
        total_budget=Decimal("3000000.00"),
        publication_date=published,
        participation_deadline=published + timedelta(days=31, hours=8),
        deadline=deadline,
        questions_deadline=deadline - timedelta(days=14),
        max_partners=3,
        reserves_right_to_stop=True,
        cpv_code="73100000",  # research and experimental development services
        place_of_performance_nuts="NL366",  # Groot-Rijnmond (Zuid-Holland)
        tender_validity=3,
        tender_validity_unit=Call.ValidityUnit.MONTH,
        status=Call.Status.AWARDED,
        closed_at=deadline,
        created_by=officer,
        fictitious=True,
    )
    Call.objects.filter(pk=call.pk).update(created_at=published)
    call.missions.set(Mission.objects.filter(code="energy"))
    phases = [
        (Phase.Kind.RD, "Onderzoek en proefschip", "R&D: research and test ship", "900000.00", 12),
        (Phase.Kind.RD, "Ontwikkeling en proefdienst", "R&D: trial service", "900000.00", 12),
        (Phase.Kind.PURCHASE, "Aankoop", "Purchase", "1200000.00", 24),
    ]
    for order, (kind, name, name_en, budget, months) in enumerate(phases, 1):
        phase = Phase.objects.create(
            call=call,
            order=order,
            kind=kind,
            name=name,
            name_en=name_en,
            budget=Decimal(budget),
            max_per_award=round_cents(Decimal(budget) / 3),
            planned_awards=3,
            duration_months=months,
        )
        from .trajectories import _criteria

        _criteria(phase, PARTNERSHIP_CRITERIA)
    call.refresh_from_db()
    return call


def _rounds(call: Call, officer: User) -> None:
    """Two rounds right after the opening, before the committee's assessment."""
    phase = call.phases.get(order=1)
    tenders = list(Proposal.objects.filter(phase=phase).order_by("pk"))
    deadline = call.deadline
    moments = [
        (deadline + timedelta(hours=16), deadline + timedelta(hours=43)),
        (deadline + timedelta(hours=45), deadline + timedelta(hours=72)),
    ]
    for number, ((sent, due), points) in enumerate(zip(moments, ROUND_POINTS, strict=True), 1):
        final = number == len(ROUND_POINTS)
        round_ = NegotiationRound.objects.create(
            phase=phase,
            number=number,
            kind=NegotiationRound.Kind.FINAL if final else NegotiationRound.Kind.NEGOTIATION,
            points=points,
            deadline=due,
            status=NegotiationRound.Status.OPENED,
            sent_at=sent,
            sent_by=officer,
            opened_at=due,
            received=len(tenders),
        )
        round_.recipients.set(tenders)
        for index, proposal in enumerate(tenders):
            # The final price is the one awarded; the first round's was a little higher.
            price = proposal.requested_amount or Decimal("100000.00")
            if not final:
                price = round_cents(price * Decimal("1.06"))
            changes = (
                "Definitieve inschrijving: snellader aan beide oevers, accu met tien jaar garantie."
                if final
                else "Antwoorden op de vragen; snellader toegevoegd, accuvervanging begroot."
            )
            version = TenderVersion(
                round=round_,
                proposal=proposal,
                number=1,
                changes=changes,
                price=price,
                content_hash=f"{proposal.pk:08d}{number:04d}".ljust(64, "0"),
                submitted_at=due - timedelta(hours=20 - index),
                submitted_by=proposal.created_by,
            )
            version.document.save(
                f"inschrijving-ronde-{number}.pdf",
                ContentFile(pdf([call.title, proposal.company.name, f"Ronde {number}"])),
                save=False,
            )
            version.document_name = f"inschrijving-ronde-{number}.pdf"
            version.save()


def _phases(call: Call, officer: User) -> str:
    phases = list(call.phases.order_by("order"))
    contracts = [
        p.contract
        for p in Proposal.objects.filter(call=call, status=Proposal.Status.AWARDED)
        .select_related("contract", "company")
        .order_by("pk")
    ]
    for contract in contracts:
        partnership_plan_set(
            contract=contract,
            phase=phases[0],
            actor=officer,
            max_cost=contract.amount,
            targets=TARGETS[1],
        )
        partnership_plan_set(
            contract=contract,
            phase=phases[1],
            actor=officer,
            max_cost=round_cents(phases[1].max_per_award * Decimal("0.9")),
            targets=TARGETS[2],
        )
        partnership_plan_set(
            contract=contract,
            phase=phases[2],
            actor=officer,
            max_cost=round_cents(phases[2].max_per_award * Decimal("0.95")),
            targets=[],
        )
    # Each partner reported against the targets of phase 1 (with its evidence).
    for contract in contracts:
        plan = PhasePlan.objects.get(contract=contract, phase=phases[0])
        for target in plan.targets.all():
            report = TargetReport(
                target=target,
                result=f"Gemeten: {target.measure}.",
                evidence_name="bewijs.pdf",
                evidence_sha256="0" * 64,
                reported_by=contract.proposal.created_by,
            )
            report.evidence.save(
                "bewijs.pdf",
                ContentFile(pdf([target.description, contract.proposal.company.name])),
                save=False,
            )
            report.save()
        plan.reported_at = timezone.now()
        states.transition(
            plan,
            PhasePlan.Status.REPORTED,
            actor=contract.proposal.created_by,
            extra_fields=["reported_at"],
        )
    # Go for two partners, no-go for the third (the authority reduces the partners).
    for contract in contracts[:2]:
        plan = PhasePlan.objects.get(contract=contract, phase=phases[0])
        partnership_decide(plan=plan, actor=officer, go=True, reason=GO)
    plan = PhasePlan.objects.get(contract=contracts[2], phase=phases[0])
    partnership_decide(plan=plan, actor=officer, go=False, reason=NO_GO)
    return (
        f"{TITLE}: selection (1 not selected, 1 excluded, letters), 2 rounds, "
        f"{len(contracts)} partners, go for 2, no-go for 1"
    )


def load(book_contracts) -> str:
    """Write the demo partnership; ``book_contracts`` books the demo's unbooked contracts."""
    if Call.objects.filter(title=TITLE).exists():
        return f"{TITLE} is there already"
    from .trajectories import _authority, _officer

    authority = _authority(AUTHORITY)
    officer = _officer(authority)
    call = _call(authority, officer)
    history_load(call, HISTORY)
    _selection(call, officer)
    _rounds(call, officer)
    book_contracts()
    return _phases(call, officer)
