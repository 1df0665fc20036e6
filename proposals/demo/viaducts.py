"""Demo funnels: SBIR Circulaire Viaducten (Rijkswaterstaat, 2020–2022), 32 → 10 → 3, and
the other decided calls of calls/demo/calls.py.

Thirty-two companies sent in a feasibility study; an independent committee of five (a
professor as chair, a lawyer, a sector expert and two Rijkswaterstaat staff) scored each
proposal with three assessors and advised the ten best; those ten got a feasibility
contract and delivered their report; three of them then built a prototype.

The call's deadlines lie in 2020, so the services (which rightly check deadlines) cannot
replay this: the historical state is written directly, in bulk, like calls/demo/calls.py does for
the history of its calls (with the pieces of proposals/demo/history.py). The ranking and the
advice are computed by the real ranking code from the scores written here. Companies, people
and KvK numbers are made up.

The three other historical calls get a shorter history of the same kind (`HISTORIES`): their
companies' proposals, a committee's advice per phase, awards within the phase and contracts.
"""

from datetime import date
from decimal import Decimal

from calls.models import Call, Phase

from ..models import CommitteeMember, Proposal
from .funnel import History, history_load
from .history import (
    CODE_OF_CONDUCT,
    Conflict,
    Texts,
    advise,
    assess,
    at,
    committee,
    companies,
    contracts,
    decide,
    dismissed_objection,
    proposals,
)

CALL_TITLE = "SBIR Circulaire Viaducten"
AUTHORITY = "Rijkswaterstaat"
SELECTED = 10
PROTOTYPES = (0, 1, 3)  # the ranks (from 0) of the feasibility winners that built a prototype


# (company, contact person, title of the proposal)
COMPANIES = [
    ("Brugwerk Circulair B.V.", "Jeroen Smits", "Het klikviaduct: droge verbindingen in beton"),
    ("Demontabel Beton Nederland B.V.", "Annemiek de Groot", "Liggers met een tweede leven"),
    ("Van der Linden Constructies B.V.", "Bram van der Linden", "Modulair stalen viaduct"),
    ("Hergebruik Infra Solutions B.V.", "Sophie Willems", "Oogstkaart voor bestaande viaducten"),
    ("Modulaire Kunstwerken B.V.", "Thijs Kuipers", "Bouwdoos voor standaardviaducten"),
    # The portal's demo company: a feasibility contract, then not chosen for a prototype, so
    # its people see an awarded proposal with its contract and a rejection with its letter.
    ("Viaduct Circulair B.V.", "Mark Hendriksen", "Boutverbindingen zonder lassen"),
    ("De Vries & Bakker Ingenieurs B.V.", "Ilse de Vries", "Rekenmodel voor herbruikbaarheid"),
    ("Polderbrug Innovatie B.V.", "Ruud Verhoeven", "Lichtgewicht dek op slappe bodem"),
    ("Circulair Civiel Advies B.V.", "Nadia el Idrissi", "Materialenpaspoort voor kunstwerken"),
    ("Viaduct 2.0 B.V.", "Lars Postma", "Verplaatsbaar viaduct op schroefpalen"),
    ("Groenbeton Technologie B.V.", "Eline Brouwer", "Geopolymeerbeton zonder cement"),
    ("Houtbouw Infra Noord B.V.", "Sjoerd Hoekstra", "Hybride viaduct van hout en staal"),
    ("Betonrecycling Midden-Nederland B.V.", "Karin Jacobs", "Beton uit gesloopte viaducten"),
    ("Slimme Liggers B.V.", "Daan Meijer", "Liggers met ingebouwde sensoren"),
    ("Kunstwerk Lifecycle B.V.", "Anouk van Leeuwen", "Levensduur voorspellen met data"),
    ("Rijnmond Prefab B.V.", "Hamza Yilmaz", "Prefab landhoofden voor hergebruik"),
    ("Materialenpaspoort Nederland B.V.", "Joost Dekker", "Digitale tweeling per element"),
    ("Brabantse Brugbouw B.V.", "Mieke van Rooij", "Schuifbare dekplaten"),
    ("Tweede Leven Constructies B.V.", "Wouter Visser", "Viaductdelen als bouwpakket"),
    ("Composiet Bruggen Twente B.V.", "Femke Nijhuis", "Vezelversterkte kunststof liggers"),
    ("Hollandse Ingenieurscoöperatie U.A.", "Pieter-Jan Bos", "Ontwerpregels voor demontage"),
    ("Dijkstra Geotechniek B.V.", "Hilde Dijkstra", "Herbruikbare funderingen"),
    ("Sensorbrug B.V.", "Youssef Amrani", "Restlevensduur meten met glasvezel"),
    ("Herbouw Systemen B.V.", "Gerrit Mulder", "Standaardknopen voor kunstwerken"),
    ("Koppelbaar Bouwen B.V.", "Lotte Kramer", "Koppelstukken voor prefab beton"),
    ("Van Dijk Infra Engineering B.V.", "Erik van Dijk", "Viaduct als materiaalbank"),
    ("Stapelbaar Beton B.V.", "Sanne Vos", "Stapelbare pijlerelementen"),
    ("Nieuwe Ronde Materialen B.V.", "Tim de Wit", "Biobased voegen en opleggingen"),
    ("Zeeuwse Kunstwerken B.V.", "Marloes Polderman", "Zoutbestendige demontabele liggers"),
    ("Infra Loop Rotterdam B.V.", "Mohamed Bakkali", "Logistiek voor herbruik van elementen"),
    ("Prefab Plus Gelderland B.V.", "Rik Gerritsen", "Hergebruik van voorgespannen liggers"),
    ("Limburgse Staalbouw Innovaties B.V.", "Claudia Custers", "Staal-betonliggers uit voorraad"),
]

# (e-mail, full name, role in the committee, expertise, Rijkswaterstaat assessor?)
COMMITTEE = [
    (
        "voorzitter@rws.example",
        "Prof. Marieke Visser",
        CommitteeMember.Role.CHAIR,
        "Hoogleraar circulair bouwen",
        True,
    ),
    (
        "e.hendriks@aanbestedingsadvocaten.example",
        "Mr. Eva Hendriks",
        CommitteeMember.Role.MEMBER,
        "Advocaat aanbestedingsrecht",
        False,
    ),
    (
        "k.mulder@bouwkennis.example",
        "Ir. Koen Mulder",
        CommitteeMember.Role.MEMBER,
        "Sectordeskundige betonbouw en prefab",
        False,
    ),
    (
        "beoordelaar@rws.example",
        "Pieter Bakker",
        CommitteeMember.Role.MEMBER,
        "Assetmanagement kunstwerken, Rijkswaterstaat",
        True,
    ),
    (
        "beoordelaar2@rws.example",
        "Ing. Fatima Ouali",
        CommitteeMember.Role.MEMBER,
        "Constructief ontwerp viaducten, Rijkswaterstaat",
        True,
    ),
]
# The sector expert advised one of the companies until recently.
CONFLICT = Conflict(member=2, proposal=19, explanation="Was tot 2020 adviseur van dit bedrijf.")

# Motivations per criterion (in the order of the phase's criteria) for high, middle, low scores.
MOTIVATIONS = [
    (
        "Draagt duidelijk bij aan hergebruik van viaducten; sluit goed aan op de opgave.",
        "Relevante bijdrage aan de opgave, maar de schaal van het effect is onzeker.",
        "De bijdrage aan hergebruik van viaducten blijft beperkt en wordt nauwelijks onderbouwd.",
    ),
    (
        "Sterke aanpak en een ervaren team; de risico's zijn benoemd en beheersbaar.",
        "Aanpak is navolgbaar; het team mist ervaring met constructieve toetsing.",
        "De technische aanpak is onvoldoende uitgewerkt voor een haalbaarheidsstudie.",
    ),
    (
        "Duidelijk marktperspectief met afnemers buiten Rijkswaterstaat.",
        "Marktperspectief aanwezig, verdienmodel nog in ontwikkeling.",
        "Het marktperspectief ontbreekt grotendeels.",
    ),
]


def _motivation(criterion: int, score: int) -> str:
    high, middle, low = MOTIVATIONS[criterion % len(MOTIVATIONS)]
    return high if score >= 8 else middle if score >= 6 else low


def _companies():
    """The 32 companies, each with one contact person who acts for it."""
    kvk = [f"71{(104729 + i * 7919) % 1_000_000:06d}" for i in range(len(COMPANIES))]
    return companies([(name, person) for name, person, _title in COMPANIES], kvk_numbers=kvk)


TEXTS = Texts(
    summary="{company} werkt in deze {phase} uit hoe „{title}” viaducten na hun eerste leven "
    "herbruikbaar maakt.",
    approach=(
        "Inventarisatie van bestaande viaducten, ontwerp van de oplossing, "
        "constructieve toetsing en een proef op schaal met een referentiegroep."
    ),
    team="{person} (projectleider), twee constructeurs en een materiaalkundige.",
    planning="Maand 1: inventarisatie. Maand 2–3: ontwerp en toetsing. Maand 4: rapport.",
)


AWARDED = "Hoog gerangschikt in het advies van de commissie; binnen budget."
REJECTED = (
    "Niet bij de hoogst gerangschikte voorstellen in het advies van de commissie die binnen "
    "het budget van de fase passen. Uw scores per criterium, met de motivering van de "
    "commissie, staan bij uw voorstel en in uw besluitbrief."
)

# --- The other decided calls of calls/demo/calls.py -------------------------------------------

HISTORIES = {
    ("Provincie Zuid-Holland", "SBIR CO2-neutrale provinciale vaarwegen"): History(
        theme="het beheer van de provinciale vaarwegen CO2-neutraal maakt",
        committee=[
            (
                "m.zwart@zuid-holland.example",
                "Ir. Monique Zwart",
                "Vaarwegbeheer, voorzitter",
                True,
            ),
            ("r.dekker@zuid-holland.example", "Ruben Dekker", "Duurzaamheid in de GWW", True),
            (
                "p.schaap@maritiemkennis.example",
                "Dr. ir. Pieter Schaap",
                "Scheepvaarttechniek",
                False,
            ),
        ],
        entries=[
            (
                "Groene Vaarweg Techniek B.V.",
                "Rob Zwanenburg",
                "Elektrische werkboot voor onderhoud",
            ),
            ("Emissievrij Baggeren B.V.", "Arno Kramer", "Elektrische baggerpomp op accu"),
            ("Oeverwerk Natuurlijk B.V.", "Inge Smit", "Natuurvriendelijke oever van wilgenhout"),
            ("Brugbediening Slim B.V.", "Paul van Vliet", "Energieneutrale brugbediening"),
            ("Biobased Beschoeiing B.V.", "Lisa Hoogendoorn", "Beschoeiing van vlasvezelcomposiet"),
            ("Zonneschuif Techniek B.V.", "Martin de Graaf", "Sluisdeuren op zonne-energie"),
            ("Zuid-Hollandse Aannemerscombinatie B.V.", "Cor Verkerk", "CO2-arme damwanden"),
            ("Slibverwerking Nederland B.V.", "Anita van Leeuwen", "Baggerslib als bouwstof"),
            ("Waterstof Veldsystemen B.V.", "Lieke Bosman", "Waterstofaggregaat voor werkschepen"),
            ("Sensorbrug B.V.", "Youssef Amrani", "Slijtage van brugbewegingswerken voorspellen"),
            ("Composiet Bruggen Twente B.V.", "Femke Nijhuis", "Lichte composiet brugdekken"),
            ("Hollandse Oeverbouw B.V.", "Niels Kok", "Oeverbescherming van gerecycled plastic"),
        ],
        awarded=8,
        applied=5,
        awarded_later=3,
    ),
    ("ZonMw", "SBIR Veilig binnensporten en heropenen van sportevenementen"): History(
        theme="sporten binnen en sportevenementen weer veilig mogelijk maakt",
        committee=[
            ("e.vos@zonmw.example", "Dr. Ellen Vos", "Programmasecretaris, voorzitter", True),
            ("k.benali@zonmw.example", "Drs. Karim Benali", "Preventie en sport", True),
            (
                "j.lammers@luchtkwaliteit.example",
                "Prof. dr. Jeroen Lammers",
                "Binnenluchtkwaliteit",
                False,
            ),
        ],
        entries=[
            (
                "Veilig Sporten Sensoren B.V.",
                "Tessa Vermeulen",
                "CO2-meters die de ventilatie sturen",
            ),
            ("Luchtzuiver Sport B.V.", "Hugo van Dam", "Mobiele luchtreiniger voor sporthallen"),
            ("Sneltest Evenementen B.V.", "Leonie Schouten", "Sneltesten bij de poort"),
            ("Crowd Control Analytics B.V.", "Ricardo Pinas", "Bezoekersstromen sturen met wifi"),
            ("UV Waterlab Eindhoven B.V.", "Chantal Gerrits", "UV-C desinfectie van kleedkamers"),
            ("Sportvloer Hygiëne B.V.", "Maaike Dijkman", "Antivirale coating voor sportvloeren"),
            ("Stadion Ventilatie Techniek B.V.", "Jeroen Wouters", "Luchtstromen in tribunes"),
            ("Ticketing Gezond B.V.", "Anouk Bos", "Tijdslot en gezondheidscheck in één ticket"),
            ("Zorgsensor Nederland B.V.", "Marleen de Haan", "Draagbare afstandssensor"),
            ("Fitness Filter Systemen B.V.", "Martijn Koning", "HEPA-filters in fitnessapparatuur"),
            ("Evenementen Data Lab B.V.", "Sophie Kramer", "Drukte voorspellen per evenement"),
            ("Sportclub Digitaal B.V.", "Thomas Meijers", "Looproutes door de sporthal"),
            ("Ademlucht Meettechniek B.V.", "Iris van der Meer", "Aerosolen meten bij trainingen"),
        ],
        awarded=9,
        applied=4,
        awarded_later=2,
    ),
    (
        "Ministerie van Volksgezondheid, Welzijn en Sport",
        "SBIR Duurzame persoonlijke beschermingsmiddelen in de zorg",
    ): History(
        theme="beschermingsmiddelen in de zorg herbruikbaar en in Europa te maken maakt",
        committee=[
            ("h.mol@minvws.example", "Drs. Hanneke Mol", "Medische technologie, voorzitter", True),
            ("t.verschuren@minvws.example", "Ir. Tom Verschuren", "Circulaire zorg", True),
            (
                "l.hofstede@medischehulpmiddelen.example",
                "Prof. dr. Lisa Hofstede",
                "Medische hulpmiddelen",
                False,
            ),
        ],
        entries=[
            (
                "Duurzame Zorgkleding Coöperatie U.A.",
                "Ineke Schipper",
                "Herbruikbare isolatiejas van gerecycled polyester",
            ),
            ("Mondmasker Circulair B.V.", "Luuk van Rijn", "Wasbaar FFP2-masker"),
            ("Zorgtextiel Twente B.V.", "Annelies Wessels", "Schorten voor honderd wasbeurten"),
            ("Handschoen Recycling Nederland B.V.", "Marcel Boekhout", "Nitril in de kringloop"),
            ("Steriel Hergebruik B.V.", "Roos Hendriks", "Maskers steriliseren in het ziekenhuis"),
            ("Biobased Beschermingsmiddelen B.V.", "Sanne Kuiper", "Gelaatsscherm van bioplastic"),
            ("Textiel Sensor Lab B.V.", "Olivier de Bruijn", "Label dat wasbeurten telt"),
            ("Medisch Textiel Eindhoven B.V.", "Fleur van Hout", "Filterdoek uit Nederland"),
            ("Zorgwas Logistiek B.V.", "Patrick Jansen", "Retourlogistiek voor herbruikbare PBM"),
            ("UV Waterlab Eindhoven B.V.", "Chantal Gerrits", "UV-C kast voor gelaatsschermen"),
            ("Europese Mondkapjes Productie B.V.", "Katja Willems", "Mondkapjeslijn in Europa"),
        ],
        # Published in 2021: the feasibility studies are still the latest phase.
        awarded=7,
    ),
}

# --- The funnel --------------------------------------------------------------------------------


def _viaducts(call: Call) -> str:
    officer = call.created_by
    feasibility = call.phases.get(order=1)
    prototype = call.phases.get(order=2)
    # The history's own deadline, whatever the call's planning said: the prototype proposals
    # below came in during June 2021.
    prototype.deadline = at(2021, 6, 30, 17)
    Phase.objects.filter(pk=prototype.pk).update(deadline=prototype.deadline)

    answered = _companies()
    first = proposals(
        call,
        feasibility,
        [
            (company, person, title)
            for (company, person), (_name, _contact, title) in zip(answered, COMPANIES, strict=True)
        ],
        amounts=[
            min(feasibility.max_per_award, Decimal(38000 + (i * 1750) % 12000))
            for i in range(len(answered))
        ],
        submitted=[at(2020, 9, 1 + i % 29, 9 + i % 8, (i * 7) % 60) for i in range(len(answered))],
        texts=TEXTS,
    )
    members = committee(
        feasibility,
        call.authority,
        COMMITTEE,
        code_of_conduct=CODE_OF_CONDUCT,
        created=at(2020, 10, 1, 9),
        accepted=at(2020, 10, 2, 10),
    )
    # The quality of each proposal: the order of COMPANIES shuffled, so that the best are
    # spread over the list (a fixed permutation keeps the demo the same on every run).
    assess(
        feasibility,
        members,
        first,
        quality={p.pk: (index * 13) % len(first) for index, p in enumerate(first)},
        declared=at(2020, 10, 6, 11),
        assigned=at(2020, 10, 7, 9),
        scored=at(2020, 10, 20, 9),
        motivation=_motivation,
        conflict=CONFLICT,
        wide_rank=14,
    )
    best = advise(
        feasibility,
        members,
        selected=SELECTED,
        remarks=(
            "De commissie adviseert de tien hoogst gerangschikte voorstellen te gunnen. "
            "Eén lid heeft zich wegens een belang onthouden bij één voorstel."
        ),
        signed=at(2020, 11, 19, 15),
    )

    rest = [p for p in first if p not in best]
    decided = at(2020, 12, 1, 10)
    decide(best, Proposal.Status.AWARDED, AWARDED, officer, decided)
    decide(rest, Proposal.Status.REJECTED, REJECTED, officer, decided)
    # One rejected company objected within the standstill; the authority dismissed it.
    dismissed_objection(
        rest[0],
        text=(
            "Wij menen dat de commissie ons plan op het criterium haalbaarheid te laag heeft "
            "gescoord: de proef met demontabele liggers is al op kleine schaal gedaan."
        ),
        answer=(
            "De commissie heeft de proef meegewogen. De score volgt de gepubliceerde schaal: "
            "een proef op kleine schaal toont de haalbaarheid voor viaducten nog niet aan. "
            "Het bezwaar is ongegrond; het besluit blijft staan."
        ),
        officer=officer,
        lodged=at(2020, 12, 7, 11),
        answered=at(2020, 12, 16, 15),
    )
    contracts(
        best,
        phase=feasibility,
        start=date(2021, 1, 4),
        end=date(2021, 5, 4),
        officer=officer,
        delivered=at(2021, 4, 28, 16),
        reviewed=at(2021, 5, 12, 11),
    )

    # Phase 2: every feasibility winner may propose a prototype; the independent committee
    # ranks them and advises three (the portal's own rule: a decision follows a signed advice).
    by_company = dict(answered)
    candidates = [best[rank] for rank in PROTOTYPES] + [
        p for rank, p in enumerate(best) if rank not in PROTOTYPES
    ]
    second = proposals(
        call,
        prototype,
        [(p.company, by_company[p.company], f"Prototype: {p.title}") for p in candidates],
        amounts=[
            min(prototype.max_per_award, Decimal(600000 - i * 10000))
            for i in range(len(candidates))
        ],
        submitted=[at(2021, 6, 14 + i, 14) for i in range(len(candidates))],
        texts=TEXTS,
    )
    judges = committee(
        prototype,
        call.authority,
        COMMITTEE,
        code_of_conduct=CODE_OF_CONDUCT,
        created=at(2021, 7, 1, 9),
        accepted=at(2021, 7, 2, 10),
    )
    assess(
        prototype,
        judges,
        second,
        quality={p.pk: index for index, p in enumerate(second)},
        declared=at(2021, 7, 6, 11),
        assigned=at(2021, 7, 7, 9),
        scored=at(2021, 8, 2, 9),
        motivation=_motivation,
    )
    winners = advise(
        prototype,
        judges,
        selected=len(PROTOTYPES),
        remarks=(
            "De onafhankelijke commissie adviseert de drie hoogst gerangschikte "
            "prototypevoorstellen te gunnen."
        ),
        signed=at(2021, 8, 20, 15),
    )
    decide(
        winners,
        Proposal.Status.AWARDED,
        "Haalbaarheid aangetoond; het prototypeplan is overtuigend.",
        officer,
        at(2021, 9, 1, 10),
    )
    decide(
        [p for p in second if p not in winners], Proposal.Status.REJECTED, REJECTED, officer,
        at(2021, 9, 1, 10),
    )  # fmt: skip
    contracts(
        winners,
        phase=prototype,
        start=date(2021, 10, 1),
        end=date(2022, 12, 31),
        officer=officer,
        delivered=at(2022, 12, 15, 16),
        reviewed=at(2023, 1, 20, 11),
    )
    return (
        f"{CALL_TITLE}: {len(first)} proposals, {len(best)} feasibility awards, "
        f"{len(winners)} prototype awards"
    )


def load() -> str:
    from .letters import letters_load

    said = []
    for (authority, title), history in [((AUTHORITY, CALL_TITLE), None), *HISTORIES.items()]:
        call = (
            Call.objects.filter(title=title, authority__name=authority)
            .select_related("authority", "created_by")
            .first()
        )
        if call is None:
            said.append(f"no call “{title}”: nothing to add")
        elif history is not None:
            said.append(history_load(call, history))
        elif call.proposals.exists():
            said.append(f"the funnel of “{title}” is there already")
            said.append(letters_load(call))
        else:
            said.append(_viaducts(call))
            said.append(letters_load(call))
    return "; ".join(said)
