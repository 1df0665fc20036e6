"""Demo: SBIR Demontabele geluidsschermen (fictitious), decided a few days ago and still
within its standstill period: the award to Viaduct Circulair B.V. (the demo company of
ondernemer@viaductcirculair.example) is intended, the other two are intended rejections.

The dates are relative to the day the demo is loaded: the period runs for 20 days after the
decision, which lies three days back, and from the letters, made and sent that day. The history
is written directly, like viaducts.py.
"""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from calls.models import Call

from ..models import Decision, Proposal
from ..services.letters import decision_letter_make
from .history import (
    CODE_OF_CONDUCT,
    Texts,
    advise,
    assess,
    committee,
    entrants,
    planning_in,
    proposals,
)
from .letters import backdate_letter
from .viaducts import COMMITTEE

CALL_TITLE = "SBIR Demontabele geluidsschermen"
DAYS = 20
ENTRIES = [
    ("Viaduct Circulair B.V.", "Lotte Jansen", "Schermpanelen met klikverbinding"),
    ("Geluidwering Hergebruik B.V.", "Kees Zwart", "Palen die twee keer meegaan"),
    ("Stille Snelweg Techniek B.V.", "Noor Verbeek", "Panelen uit gerecycled kunststof"),
]
TEXTS = Texts(
    summary="{company} ontwikkelt „{title}”: geluidsschermen die na demontage terugkomen.",
    approach="Ontwerp, een proefscherm van twintig meter en metingen van de geluidwering.",
    team="{person} (projectleider) met twee constructeurs en een akoestisch adviseur.",
    planning=planning_in(4),
)


def _draft_of_demo_company() -> str:
    """The demo company also has a draft for the SBIR open now (through the service)."""
    from portal.models import User

    from ..services.submission import proposal_start

    lotte = User.objects.filter(email="ondernemer@viaductcirculair.example").first()
    call = Call.objects.filter(
        title="SBIR Emissieloos bouwmaterieel in de wegenbouw", status=Call.Status.PUBLISHED
    ).first()
    if lotte is None or call is None:
        return ""
    phase = call.phases.get(order=1)
    if Proposal.objects.filter(phase=phase, company__memberships__user=lotte).exists():
        return ""
    proposal_start(phase=phase, actor=lotte, title="Elektrische asfaltafwerker op waterstof")
    return "; a draft for the demo company"


def _submitted_by_demo_company() -> str:
    """The demo company also entered the prize competition open now: submitted, with the
    declaration, through the services (so its receipt is made as any other)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from calls.structures import declaration_text
    from portal.identity.demo.companies import viaduct_verified
    from portal.models import User

    from ..services.submission import (
        attachment_add,
        proposal_save_draft,
        proposal_start,
        proposal_submit,
    )
    from .history import pdf

    lotte = User.objects.filter(email="ondernemer@viaductcirculair.example").first()
    call = Call.objects.filter(
        instrument=Call.Instrument.PRIZE_COMPETITION, status=Call.Status.PUBLISHED
    ).first()
    if lotte is None or call is None:
        return ""
    phase = call.phases.get(order=1)
    if Proposal.objects.filter(phase=phase, company__memberships__user=lotte).exists():
        return ""
    viaduct_verified()  # as its eHerkenning login would: the services refuse the unverified
    title = "Stapelbare tillift van hergebruikt staal"
    proposal = proposal_start(phase=phase, actor=lotte, title=title)
    proposal = proposal_save_draft(
        proposal=proposal,
        actor=lotte,
        fields={
            "summary": "Een lichte tillift die mantelzorgers zelf opbouwen, uit hergebruikt staal.",
            "approach": "Ontwerp met drie mantelzorgers, een proefmodel en een gebruikerstest.",
            "team": "Een werktuigbouwkundige, een ergotherapeut en een productontwerper.",
            "planning": "Drie maanden tot het proefmodel, daarna zes weken testen.",
        },
        answers={
            str(q.pk): "Zie het plan van aanpak." for q in phase.questions.filter(kind="text")
        },
    )
    for document in phase.required_documents.all():
        attachment_add(
            proposal=proposal,
            actor=lotte,
            upload=SimpleUploadedFile(
                f"{document.name}.pdf", pdf([document.name, title]), "application/pdf"
            ),
            required_document=document,
        )
    assert declaration_text(call)
    proposal_submit(proposal=proposal, actor=lotte, declaration_accepted=True)
    return "; an entry of the demo company submitted"


def load() -> str:
    return _intended() + _draft_of_demo_company() + _submitted_by_demo_company()


def _intended() -> str:
    call = (
        Call.objects.filter(title=CALL_TITLE, authority__name="Rijkswaterstaat")
        .select_related("authority", "created_by")
        .first()
    )
    if call is None:
        return f"no call “{CALL_TITLE}”: nothing to add"
    if call.proposals.exists():
        return f"the decision on “{CALL_TITLE}” is there already"
    officer = call.created_by
    phase = call.phases.get(order=1)
    closed = call.deadline
    made = proposals(
        call,
        phase,
        entrants(ENTRIES),
        amounts=[Decimal("95000.00"), Decimal("88000.00"), Decimal("99000.00")],
        submitted=[closed - timedelta(days=3 - i, hours=2) for i in range(len(ENTRIES))],
        texts=TEXTS,
    )
    members = committee(
        phase,
        call.authority,
        COMMITTEE[:3],
        code_of_conduct=CODE_OF_CONDUCT,
        created=closed - timedelta(days=10),
        accepted=closed - timedelta(days=9),
    )
    assess(
        phase,
        members,
        made,
        quality={proposal.pk: rank for rank, proposal in enumerate(made)},
        declared=closed + timedelta(days=2),
        assigned=closed + timedelta(days=3),
        scored=closed + timedelta(days=20),
    )
    best = advise(
        phase,
        members,
        selected=1,
        remarks="De commissie adviseert het klikpaneel van Viaduct Circulair te gunnen.",
        signed=closed + timedelta(days=27),
    )
    decided = timezone.now() - timedelta(days=3)
    ends = timezone.localdate(decided) + timedelta(days=DAYS)
    Decision.objects.bulk_create(
        Decision(
            proposal=proposal,
            phase=phase,
            kind=Decision.Kind.AWARD if proposal in best else Decision.Kind.REJECTION,
            status=Decision.Status.INTENDED,
            amount=proposal.requested_amount if proposal in best else None,
            motivation=(
                "Het hoogst gerangschikte voorstel: de klikverbinding maakt hergebruik "
                "zonder verlies van geluidwering aannemelijk."
                if proposal in best
                else "Lager gerangschikt dan het voorstel dat gegund wordt; zie de scores."
            ),
            standstill_days=DAYS,
            standstill_ends_on=ends,
            decided_by=officer,
            decided_at=decided,
        )
        for proposal in made
    )
    Proposal.objects.filter(pk__in=[p.pk for p in made]).update(
        decided_by=officer, decided_at=decided
    )
    # Every company had its letter the day of the decision; the standstill runs from it.
    for decision in Decision.objects.filter(phase=phase).order_by("pk"):
        letter = decision_letter_make(
            decision_id=decision.pk, send=False, on=timezone.localdate(decided)
        )
        if letter is not None:
            backdate_letter(letter, decision, read=False)
    return f"{CALL_TITLE}: {len(made)} proposals, an intended award until {ends:%d-%m-%Y}"
