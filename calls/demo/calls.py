"""Demo calls: the trajectories named in Kamerbrief 33 009 nr. 98, and calls open right now.

Open calls go through the real services (create, fill in, publish). The historical calls of
2020–2021 are created the same way and then moved into their past state directly, since
their deadlines lie in the past and the services rightly refuse to publish those.
"""

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils import timezone

from portal.models import Membership, Organisation, Role

from ..models import Call, Mission, Phase, Prize
from ..services.lifecycle import (
    DraftRows,
    call_create,
    call_publish,
    call_update_draft_rows,
    calls_close_expired,
)

PHASE_FIELDS = ("budget", "max_per_award", "planned_awards", "duration_months", "deadline")

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def _at(year: int, month: int, day: int, hour: int = 17) -> datetime:
    return datetime(year, month, day, hour, 0, tzinfo=AMSTERDAM)


@dataclass
class DemoCall:
    authority: str
    instrument: str
    title: str
    title_en: str
    challenge: str
    missions: list[str]
    total_budget: str
    # (budget, max per award, planned awards, months) per phase, in the instrument's order
    phases: list[tuple[str, str, int, int]]
    contact: tuple[str, str]
    # Either a fixed past (published, questions deadline, deadline, final status) ...
    history: tuple[datetime, datetime, datetime, str] | None = None
    # ... or days from now for a call open today.
    open_days: int = 0
    extra: dict = field(default_factory=dict)
    # For the eForms notices: the main CPV code and the place of performance (NUTS).
    cpv: str = "73100000"  # research and experimental development services
    nuts: str = ""  # empty: the region of the authority's seat


CALLS = [
    DemoCall(
        authority="Rijkswaterstaat",
        instrument=Call.Instrument.SBIR,
        title="SBIR Circulaire Viaducten",
        title_en="SBIR Circular Viaducts",
        challenge=(
            "Negentig procent van de viaducten wordt gesloopt lang voordat ze technisch zijn "
            "afgeschreven, omdat het wegennet verandert. Rijkswaterstaat zoekt viaducten die "
            "aan het eind van hun eerste leven opnieuw te gebruiken zijn: demontabel, "
            "aanpasbaar en met zo min mogelijk nieuwe grondstoffen.\n\n"
            "Na een open leeromgeving met meer dan zestig deelnemers vraagt deze SBIR eerst om "
            "haalbaarheidsstudies. Een onafhankelijke beoordelingscommissie selecteert daarna "
            "drie partijen die een prototype bouwen op een locatie van Rijkswaterstaat."
        ),
        missions=["energy", "key-technologies"],
        total_budget="2400000.00",
        phases=[("500000.00", "50000.00", 10, 4), ("1800000.00", "600000.00", 3, 15)],
        contact=("Sanne de Vries", "inkoper@rws.example"),
        history=(_at(2020, 6, 15, 9), _at(2020, 8, 31), _at(2020, 9, 30), Call.Status.COMPLETED),
    ),
    DemoCall(
        authority="Provincie Zuid-Holland",
        instrument=Call.Instrument.SBIR,
        nuts="NL366",  # Groot-Rijnmond (NUTS 2024)
        title="SBIR CO2-neutrale provinciale vaarwegen",
        title_en="SBIR CO2-neutral provincial waterways",
        challenge=(
            "De provincie beheert vaarwegen, bruggen en sluizen. Zuid-Holland wil dat beheer en "
            "onderhoud in 2030 CO2-neutraal zijn. Gevraagd: innovaties voor emissievrij "
            "baggeren, duurzame oeverbescherming en energieneutrale bediening van bruggen."
        ),
        missions=["energy", "agriculture-water-food"],
        total_budget="1200000.00",
        phases=[("300000.00", "30000.00", 10, 4), ("900000.00", "300000.00", 3, 12)],
        contact=("Ahmed El Amrani", "inkoper@zuid-holland.example"),
        history=(_at(2020, 10, 1, 9), _at(2020, 11, 13), _at(2020, 12, 4), Call.Status.AWARDED),
    ),
    DemoCall(
        authority="ZonMw",
        instrument=Call.Instrument.SBIR,
        title="SBIR Veilig binnensporten en heropenen van sportevenementen",
        title_en="SBIR Safe indoor sports and reopening sports events",
        challenge=(
            "De coronamaatregelen legden binnensport en sportevenementen stil. ZonMw zoekt "
            "innovaties die sporten binnen veilig maken en evenementen weer mogelijk: "
            "ventilatie en luchtreiniging, sneltesten aan de poort en slimme "
            "bezoekersstromen."
        ),
        missions=["health-care"],
        total_budget="1000000.00",
        phases=[("250000.00", "25000.00", 10, 3), ("750000.00", "250000.00", 3, 9)],
        contact=("Team SBIR ZonMw", "sbir@zonmw.example"),
        history=(_at(2020, 11, 2, 9), _at(2020, 11, 27), _at(2020, 12, 15), Call.Status.AWARDED),
    ),
    DemoCall(
        authority="Ministerie van Volksgezondheid, Welzijn en Sport",
        instrument=Call.Instrument.SBIR,
        title="SBIR Duurzame persoonlijke beschermingsmiddelen in de zorg",
        title_en="SBIR Sustainable personal protective equipment for care",
        challenge=(
            "Tijdens de coronacrisis bleek de zorg afhankelijk van wegwerpmaskers, -schorten "
            "en -handschoenen uit verre landen. VWS zoekt herbruikbare of circulaire "
            "beschermingsmiddelen die even veilig zijn en in Europa gemaakt kunnen worden."
        ),
        missions=["health-care", "energy"],
        total_budget="1500000.00",
        phases=[("400000.00", "40000.00", 10, 4), ("1100000.00", "365000.00", 3, 12)],
        contact=("Programmateam PBM", "pbm@minvws.example"),
        history=(_at(2021, 1, 11, 9), _at(2021, 2, 12), _at(2021, 3, 1), Call.Status.AWARDED),
    ),
    DemoCall(
        authority="Rijkswaterstaat",
        instrument=Call.Instrument.SBIR,
        title="SBIR Emissieloos bouwmaterieel in de wegenbouw",
        title_en="SBIR Zero-emission construction equipment for road building",
        challenge=(
            "Rijkswaterstaat wil in 2030 emissieloos bouwen. Zware machines voor asfalteren, "
            "grondverzet en heien draaien nog vrijwel allemaal op diesel. Gevraagd: "
            "oplossingen voor emissieloos materieel en de energievoorziening op de bouwplaats, "
            "ook waar geen zware netaansluiting is."
        ),
        missions=["energy", "key-technologies"],
        total_budget="2000000.00",
        phases=[("400000.00", "40000.00", 10, 4), ("1500000.00", "500000.00", 3, 12)],
        contact=("Sanne de Vries", "inkoper@rws.example"),
        open_days=45,
    ),
    DemoCall(
        authority="Provincie Zuid-Holland",
        instrument=Call.Instrument.INNOVATION_PARTNERSHIP,
        nuts="NL366",  # Groot-Rijnmond (NUTS 2024)
        cpv="73000000",
        title="Innovatiepartnerschap zero-emissie veerverbinding",
        title_en="Innovation partnership zero-emission ferry service",
        challenge=(
            "De provincie wil haar veerponten vóór 2030 zero-emissie laten varen. In dit "
            "innovatiepartnerschap ontwikkelen we samen met ten hoogste drie partners een "
            "emissievrije pont met laadinfrastructuur, en kopen we de beste oplossing daarna. "
            "Eerst vragen we verzoeken tot deelneming; geselecteerde gegadigden nodigen we uit "
            "een inschrijving te doen."
        ),
        missions=["energy", "agriculture-water-food"],
        total_budget="6000000.00",
        phases=[
            ("600000.00", "200000.00", 3, 6),
            ("1400000.00", "700000.00", 2, 12),
            ("4000000.00", "4000000.00", 1, 36),
        ],
        contact=("Ahmed El Amrani", "inkoper@zuid-holland.example"),
        open_days=80,
        extra={"participation_days": 35, "max_partners": 3},
    ),
    DemoCall(
        authority="ZonMw",
        instrument=Call.Instrument.PRIZE_COMPETITION,
        title="Prijsvraag Slimme hulpmiddelen voor mantelzorgers",
        title_en="Prize competition Smart aids for informal carers",
        challenge=(
            "Ruim vier miljoen mensen zorgen voor een naaste. ZonMw zoekt slimme, betaalbare "
            "hulpmiddelen die mantelzorg lichter maken. De drie beste ideeën winnen een prijs "
            "om hun idee verder te ontwikkelen."
        ),
        missions=["health-care"],
        total_budget="100000.00",
        phases=[("100000.00", "50000.00", 3, 6)],
        contact=("Team Prijsvragen ZonMw", "prijsvraag@zonmw.example"),
        open_days=30,
    ),
    # Fictitious: a recent prize competition whose jury ranked the entries and whose three
    # prizes are awarded, with their letters (proposals/demo/prizes.py).
    DemoCall(
        authority="ZonMw",
        instrument=Call.Instrument.PRIZE_COMPETITION,
        title="Prijsvraag Langer thuis met dementie",
        title_en="Prize competition Living at home longer with dementia",
        challenge=(
            "Mensen met dementie willen zo lang mogelijk thuis blijven wonen. ZonMw zoekt "
            "eenvoudige oplossingen die hen en hun naasten daarbij helpen. Een jury rangschikt "
            "de inzendingen; de drie beste winnen een prijs van € 50.000, € 30.000 en € 20.000."
        ),
        missions=["health-care"],
        total_budget="100000.00",
        phases=[("100000.00", "50000.00", 3, 6)],
        contact=("Team Prijsvragen ZonMw", "prijsvraag@zonmw.example"),
        extra={"recent_days": (80, 55, 45), "fictitious": True},
    ),
    # Fictitious: an open hackathon with a limit on the number of teams.
    DemoCall(
        authority="ZonMw",
        instrument=Call.Instrument.HACKATHON,
        title="Hackathon Zorgdata voor mantelzorgers",
        title_en="Hackathon Care data for informal carers",
        challenge=(
            "Twee dagen bouwen met open zorgdata: welke apps helpen mantelzorgers het zorgrooster "
            "rond te krijgen? Teams pitchen hun prototype aan een jury; de beste drie winnen een "
            "prijs. Er is plaats voor twaalf teams."
        ),
        missions=["health-care"],
        total_budget="15000.00",
        phases=[("15000.00", "7500.00", 3, 1)],
        contact=("Team Prijsvragen ZonMw", "prijsvraag@zonmw.example"),
        open_days=40,
        extra={"max_registrations": 12, "prizes": ("7500.00", "4500.00", "3000.00")},
    ),
    # Fictitious: a recent call whose decision is intended and within its standstill period
    # (proposals/demo/standstill.py), so the demo shows the period and the objection page.
    DemoCall(
        authority="Rijkswaterstaat",
        instrument=Call.Instrument.SBIR,
        title="SBIR Demontabele geluidsschermen",
        title_en="SBIR Demountable noise barriers",
        challenge=(
            "Geluidsschermen langs snelwegen gaan dertig jaar mee en worden daarna gesloopt. "
            "Rijkswaterstaat zoekt schermen waarvan panelen en palen na demontage opnieuw "
            "gebruikt kunnen worden, zonder verlies van geluidwering."
        ),
        missions=["energy", "key-technologies"],
        total_budget="400000.00",
        phases=[("300000.00", "100000.00", 1, 4), ("100000.00", "100000.00", 1, 6)],
        contact=("Sanne de Vries", "inkoper@rws.example"),
        extra={"recent_days": (70, 45, 35), "fictitious": True},
    ),
]


def _officer_of(authority: Organisation):
    membership = (
        Membership.objects.filter(organisation=authority, role=Role.PROCUREMENT_OFFICER)
        .select_related("user")
        .first()
    )
    if membership:
        return membership.user
    # Authorities without a demo officer get one, so that their calls go through services.
    from portal.models import User

    user, _created = User.objects.get_or_create(
        email=f"inkoper-{authority.pk}@demo.example",
        defaults={"full_name": f"Inkoper {authority.name}"},
    )
    Membership.objects.get_or_create(
        user=user, organisation=authority, role=Role.PROCUREMENT_OFFICER
    )
    return user


def _later_deadline(call: Call, demo: DemoCall, order: int) -> datetime | None:
    """An SBIR plans its later phase: proposals for it are due two weeks after the months of
    the phase before (counted from the call's deadline). A partnership's later phases follow
    its negotiations; contests have one round."""
    if order == 1 or call.instrument != Call.Instrument.SBIR:
        return None
    months = sum(months for _b, _m, _a, months in demo.phases[: order - 1])
    return call.deadline + timedelta(days=round(months * 30.5) + 14)


def _fill_phases(call: Call, officer, demo: DemoCall) -> None:
    phases = list(call.phases.order_by("order"))
    changes = [
        DraftRows(
            parent=call,
            model=Phase,
            fields=PHASE_FIELDS,
            update={
                phase.pk: {
                    "budget": Decimal(budget),
                    "max_per_award": Decimal(maximum),
                    "planned_awards": awards,
                    "duration_months": months,
                    "deadline": _later_deadline(call, demo, phase.order),
                }
                for phase, (budget, maximum, awards, months) in zip(
                    phases, demo.phases, strict=True
                )
            },
        )
    ]
    changes += [
        DraftRows(
            parent=phase,
            model=Prize,
            fields=("rank", "amount"),
            create=[
                {"rank": rank, "amount": Decimal(amount)}
                for rank, amount in enumerate(
                    demo.extra.get("prizes", ("50000.00", "30000.00", "20000.00")), 1
                )
                if not phase.prizes.filter(rank=rank).exists()
            ],
            ordered=False,
        )
        for phase in phases
        if phase.kind == Phase.Kind.SINGLE_ROUND
    ]
    call_update_draft_rows(call=call, actor=officer, changes=changes)


def _create(demo: DemoCall, now: datetime) -> Call:
    authority = Organisation.objects.get(name=demo.authority)
    officer = _officer_of(authority)
    if "recent_days" in demo.extra:
        # A call of the last weeks, now under assessment: its dates relative to today.
        published, questions, closed = (
            timezone.localtime(now - timedelta(days=days)).replace(
                hour=17, minute=0, second=0, microsecond=0
            )
            for days in demo.extra["recent_days"]
        )
        demo = replace(demo, history=(published, questions, closed, Call.Status.UNDER_ASSESSMENT))
    if demo.history:
        published, questions_deadline, deadline, _status = demo.history
    else:
        deadline = timezone.localtime(now + timedelta(days=demo.open_days)).replace(
            hour=17, minute=0, second=0, microsecond=0
        )
        questions_deadline = deadline - timedelta(days=14)
    fields = {
        "title": demo.title,
        "title_en": demo.title_en,
        "challenge": demo.challenge,
        "contact_name": demo.contact[0],
        "contact_email": demo.contact[1],
        "total_budget": Decimal(demo.total_budget),
        "deadline": deadline,
        "questions_deadline": questions_deadline,
        "missions": list(Mission.objects.filter(code__in=demo.missions)),
        "cpv_code": demo.cpv,
        "place_of_performance_nuts": demo.nuts or authority.nuts_code,
    }
    if demo.instrument in (Call.Instrument.SBIR, Call.Instrument.INNOVATION_PARTNERSHIP):
        # A company's proposal binds it for three months after the deadline.
        fields["tender_validity"] = 3
        fields["tender_validity_unit"] = Call.ValidityUnit.MONTH
    if demo.instrument == Call.Instrument.INNOVATION_PARTNERSHIP:
        fields["participation_deadline"] = now + timedelta(days=demo.extra["participation_days"])
        fields["max_partners"] = demo.extra["max_partners"]
    if "max_registrations" in demo.extra:
        fields["max_registrations"] = demo.extra["max_registrations"]
    call = call_create(actor=officer, authority=authority, instrument=demo.instrument, **fields)
    _fill_phases(call, officer, demo)
    if demo.history:
        published, _q, deadline, status = demo.history
        Call.objects.filter(pk=call.pk).update(
            status=status,
            publication_date=published,
            closed_at=deadline,
            created_at=published,
            fictitious=bool(demo.extra.get("fictitious")),
        )
    else:
        call_publish(call=call, actor=officer)
    return call


def load() -> str:
    now = timezone.now()
    closed = calls_close_expired(now=now)
    created = 0
    for demo in CALLS:
        existing = Call.objects.filter(title=demo.title, authority__name=demo.authority)
        if demo.history is None and "recent_days" not in demo.extra:
            # An open demo call stays open: make a fresh one once the previous one closed.
            existing = existing.filter(status=Call.Status.PUBLISHED)
        if not existing.exists():
            _create(demo, now)
            created += 1
    return f"{created} calls created, {closed} closed at their deadline"
