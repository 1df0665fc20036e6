"""Demo requests to participate in the open innovation partnership (its stage 1), and the
selection the officer of Zuid-Holland made: three candidates invited, one not selected (it
misses the minimum level of technical ability), one excluded (a mandatory exclusion ground,
answered "yes", without sufficient self-cleaning)."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.core.files.base import ContentFile

from portal.demo.identity import company_details
from portal.models import Membership, Organisation, Role

from ..models import Call, CriterionAnswer, ExclusionAnswer, ParticipationRequest
from ..services.participation import participation_invitations_send, participation_request_decide
from ..services.selection import CriterionAssessment, GroundDecision
from .calls import _officer_of

# The smallest PDF a viewer opens: one empty page.
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


@dataclass
class Candidate:
    name: str
    motivation: str
    # The figures and references per criterion category.
    figures: dict[str, str]
    # The officer's assessment per criterion category: (meets, reason).
    assessment: dict[str, tuple[bool, str]]
    selected: bool
    decision: str
    # Exclusion grounds answered "yes": code -> (explanation, self-cleaning, exclude, reason)
    yes: dict[str, tuple[str, str, bool, str]] = field(default_factory=dict)
    kvk_number: str = ""


MEETS = {
    "suitability": (True, "Ingeschreven in het Handelsregister; uittreksel van deze maand."),
    "financial": (True, "De gemiddelde omzet ligt ruim boven € 250.000."),
}
CANDIDATES = [
    Candidate(
        name="Groene Vaarweg Techniek B.V.",
        motivation=(
            "Wij bouwden drie elektrische werkschepen voor waterschappen en beheren hun "
            "laadpunten; ons team telt twaalf scheepsbouwkundigen en elektrotechnici."
        ),
        figures={
            "suitability": "KvK 70000003, uittreksel van 2 november.",
            "financial": "Omzet 2023: € 1,9 mln; 2024: € 2,4 mln; 2025: € 2,8 mln.",
            "technical": "Elektrische werkschepen voor Waterschap Rivierenland (2022, 2024) "
            "en Hollandse Delta (2025); laadinfrastructuur in beheer.",
        },
        assessment={
            **MEETS,
            "technical": (True, "Drie vergelijkbare elektrische vaartuigen in vijf jaar."),
        },
        selected=True,
        decision="Voldoet aan alle minimumeisen; uitgenodigd.",
    ),
    Candidate(
        name="Viaduct Circulair B.V.",
        motivation=(
            "Wij ontwerpen demontabele constructies in staal en hout en werken samen met een "
            "scheepswerf in Dordrecht; vijf ingenieurs kunnen direct starten."
        ),
        figures={
            "suitability": "KvK 70000001.",
            "financial": "Omzet 2023: € 0,6 mln; 2024: € 0,9 mln; 2025: € 1,3 mln.",
            "technical": "Demontabel ponton Haven Dordrecht (2023); aanlegsteigers "
            "Rijkswaterstaat (2024), samen met Scheepswerf Merwede.",
        },
        assessment={
            **MEETS,
            "technical": (True, "Twee vergelijkbare projecten, met een scheepswerf als partner."),
        },
        selected=True,
        decision="Voldoet aan alle minimumeisen; uitgenodigd.",
        yes={
            "taxes": (
                "In 2024 is een naheffing omzetbelasting te laat betaald.",
                "De naheffing en de boete zijn in januari 2025 volledig voldaan; "
                "een betalingsverklaring van de Belastingdienst is bijgevoegd.",
                False,
                "De schuld is volledig betaald vóór de uiterste datum voor verzoeken "
                "(art. 2.86 lid 3 Aw); de betalingsverklaring is overgelegd.",
            )
        },
    ),
    Candidate(
        name="Modulair Bouwen Nederland B.V.",
        motivation=(
            "Modulaire bouw van steigers en pontons; ervaring met provinciale opdrachtgevers."
        ),
        figures={
            "suitability": "KvK 70000002.",
            "financial": "Omzet 2023: € 3,1 mln; 2024: € 3,4 mln; 2025: € 3,0 mln.",
            "technical": "Modulaire pontons voor Provincie Utrecht (2022) en Gemeente "
            "Zwolle (2024).",
        },
        assessment={
            **MEETS,
            "technical": (True, "Twee modulaire pontons voor overheden in vijf jaar."),
        },
        selected=True,
        decision="Voldoet aan alle minimumeisen; uitgenodigd.",
    ),
    Candidate(
        name="Veilig Sporten Sensoren B.V.",
        motivation="Sensoren voor luchtkwaliteit; wij willen het laadsysteem bewaken.",
        figures={
            "suitability": "KvK 70000004.",
            "financial": "Omzet 2023: € 0,4 mln; 2024: € 0,5 mln; 2025: € 0,6 mln.",
            "technical": "Sensornetwerk voor sporthallen (ZonMw, 2021).",
        },
        assessment={
            **MEETS,
            "technical": (
                False,
                "Eén referentie, en die betreft geen vaartuig of laadinfrastructuur; het "
                "minimum is twee vergelijkbare projecten in vijf jaar.",
            ),
        },
        selected=False,
        decision="Niet geselecteerd: voldoet niet aan het minimum voor technische bekwaamheid.",
    ),
    Candidate(
        name="Rijnmond Scheepsreparatie B.V.",
        kvk_number="70000031",
        motivation="Reparatie en ombouw van binnenvaartschepen in de Rijnmond.",
        figures={
            "suitability": "KvK 70000031.",
            "financial": "Omzet 2023: € 5,2 mln; 2024: € 4,8 mln; 2025: € 4,6 mln.",
            "technical": "Ombouw van twee veerponten naar hybride aandrijving (2021, 2023).",
        },
        assessment={
            **MEETS,
            "technical": (True, "Twee ombouwprojecten van veerponten."),
        },
        selected=False,
        decision="Uitgesloten op grond van een verplichte uitsluitingsgrond.",
        yes={
            "corruption": (
                "Een voormalig bestuurder is in 2022 onherroepelijk veroordeeld voor omkoping "
                "van een ambtenaar van een havenbedrijf.",
                "De bestuurder is vertrokken; er is een integriteitscode opgesteld.",
                True,
                "Een onherroepelijke veroordeling voor omkoping binnen vijf jaar; de "
                "maatregelen tonen niet aan dat herhaling is uitgesloten (geen schadevergoeding, "
                "geen onafhankelijke audit), zodat de verplichte uitsluitingsgrond blijft gelden.",
            )
        },
    ),
]


def _company(candidate: Candidate) -> Organisation:
    if candidate.kvk_number:  # a fictitious company of this demo only
        company, _created = Organisation.objects.get_or_create(
            name=candidate.name,
            defaults={
                "kind": Organisation.Kind.COMPANY,
                "kvk_number": candidate.kvk_number,
                "is_sme": True,
                **company_details(candidate.name),
            },
        )
        return company
    return Organisation.objects.get(name=candidate.name)


def load(now: datetime) -> None:
    """The open innovation partnership shows a full stage 1: five companies asked to
    participate with their self-declaration; their deadline has passed; the officer of
    Zuid-Holland assessed every request, excluded one, did not select one, and invited three
    to tender (the deadline for tenders lies ahead).

    Like the historical calls, the demo moves the deadline for requests into the past
    directly; the services rightly refuse requests after it. The assessment and the
    invitations go through the services, which keep the rules.
    """
    call = (
        Call.objects.filter(
            instrument=Call.Instrument.INNOVATION_PARTNERSHIP,
            status=Call.Status.PUBLISHED,
            authority__name="Provincie Zuid-Holland",
            deadline__gt=now,
        )
        .order_by("-pk")
        .first()
    )
    if call is None or call.participation_requests.exists():
        return
    officer = _officer_of(call.authority)
    grounds = list(call.exclusion_grounds.all())
    criteria = list(call.selection_criteria.all())
    made = []
    for minutes, candidate in enumerate(CANDIDATES):
        company = _company(candidate)
        member = (
            Membership.objects.filter(organisation=company, role=Role.APPLICANT)
            .select_related("user")
            .first()
        )
        participation = ParticipationRequest(
            call=call,
            company=company,
            submitted_by=member.user if member else officer,
            motivation=candidate.motivation,
        )
        participation.document.save("geschiktheid.pdf", ContentFile(DEMO_PDF), save=False)
        participation.save()
        ParticipationRequest.objects.filter(pk=participation.pk).update(
            submitted_at=now - timedelta(days=3, minutes=minutes)
        )
        ExclusionAnswer.objects.bulk_create(
            ExclusionAnswer(
                request=participation,
                ground=ground,
                applies=ground.code in candidate.yes,
                explanation=candidate.yes[ground.code][0] if ground.code in candidate.yes else "",
                self_cleaning=candidate.yes[ground.code][1] if ground.code in candidate.yes else "",
            )
            for ground in grounds
        )
        CriterionAnswer.objects.bulk_create(
            CriterionAnswer(
                request=participation,
                criterion=criterion,
                response=candidate.figures.get(criterion.category, "–"),
            )
            for criterion in criteria
        )
        made.append((participation, candidate))
    Call.objects.filter(pk=call.pk).update(participation_deadline=now - timedelta(hours=1))
    for participation, candidate in made:
        participation_request_decide(
            request=participation,
            actor=officer,
            selected=candidate.selected,
            motivation=candidate.decision,
            exclusions={
                ground.pk: GroundDecision(
                    exclude=candidate.yes[ground.code][2], reason=candidate.yes[ground.code][3]
                )
                for ground in grounds
                if ground.code in candidate.yes
            },
            criteria={
                criterion.pk: CriterionAssessment(*candidate.assessment[criterion.category])
                for criterion in criteria
            },
        )
    participation_invitations_send(call=call, actor=officer)
