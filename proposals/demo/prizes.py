"""Demo: Prijsvraag Langer thuis met dementie (ZonMw, fictitious), decided the day the demo
is loaded.

Four entries, ranked by a jury of three; the officer awarded prize 1, 2 and 3 (€ 50,000,
€ 30,000, € 20,000) to the three best entries through the decision service (final at once:
a prize has no standstill; ZonMw is an administrative body, so the decisions fall under the
Awb) and gave the fourth no prize. Every entry has its letter, sent the day of the decision,
stating the prize or that none was awarded, and the objection route. The ledger commits the
prize money as it does for any award. The entries and the jury's scores are history written
directly, like standstill.py.
"""

from datetime import timedelta

from django.utils import timezone

from calls.models import Call
from portal.models import Organisation

from ..models import CommitteeMember, Decision, DecisionLetter
from ..services.decisions import proposal_award, proposal_reject
from ..services.letters import decision_letter_make
from .history import CODE_OF_CONDUCT, Texts, advise, assess, committee, entrants, proposals
from .letters import backdate_letter

CALL_TITLE = "Prijsvraag Langer thuis met dementie"
ENTRIES = [
    ("Thuiszorg Techniek B.V.", "Femke Bos", "Dagklok die de dag voorleest"),
    ("Geheugensteun Nederland B.V.", "Youssef Amrani", "Deurmat die waarschuwt bij nacht"),
    ("Samen Thuis Innovaties B.V.", "Ingrid de Wit", "Fotoboek dat familie laat bellen"),
    ("Zorgslim B.V.", "Ruben Kok", "Medicijndoos met lampjes"),
]
MOTIVATIONS = [
    "De jury rangschikt deze inzending als beste: eenvoudig, goedkoop en al getest bij "
    "twaalf gezinnen.",
    "Tweede in de rangschikking van de jury: origineel en veilig, de kosten zijn nog hoog.",
    "Derde in de rangschikking van de jury: sterk op het contact met familie, minder "
    "uitgewerkt voor alleenwonenden.",
]
NO_PRIZE = (
    "Vierde in de rangschikking van de jury; er zijn drie prijzen. De jury waardeert het "
    "idee, maar vergelijkbare medicijndozen zijn al te koop: zie de scores en de toelichting."
)
TEXTS = Texts(
    summary="{company} zendt „{title}” in: een hulpmiddel om langer thuis te wonen met dementie.",
    approach="Een proefmodel, getest met mensen met dementie en hun mantelzorgers.",
    team="{person} met een ontwerper en een casemanager dementie.",
    planning="Drie maanden tot het proefmodel, daarna een test van zes weken.",
)
JURY = [
    (
        "jury.voorzitter@zonmw.example",
        "Dr. Anneke Smit",
        CommitteeMember.Role.CHAIR,
        "Ouderengeneeskunde",
        True,
    ),
    (
        "m.peters@alzheimer.example",
        "Marja Peters",
        CommitteeMember.Role.MEMBER,
        "Ervaringsdeskundige mantelzorger",
        False,
    ),
    (
        "s.yilmaz@ontwerp.example",
        "Ir. Selin Yilmaz",
        CommitteeMember.Role.MEMBER,
        "Ontwerper zorgtechnologie",
        False,
    ),
]


def load() -> str:
    call = (
        Call.objects.filter(title=CALL_TITLE, authority__name="ZonMw")
        .select_related("authority", "created_by")
        .first()
    )
    if call is None:
        return f"no call “{CALL_TITLE}”: nothing to add"
    if call.proposals.exists():
        return f"the prizes of “{CALL_TITLE}” are there already"
    officer = call.created_by
    phase = call.phases.get(order=1)
    closed = call.deadline
    made = proposals(
        call,
        phase,
        entrants(ENTRIES),
        amounts=[None] * len(ENTRIES),  # an entry asks no amount: it wins a prize
        submitted=[closed - timedelta(days=4 - i, hours=3) for i in range(len(ENTRIES))],
        texts=TEXTS,
    )
    members = committee(
        phase,
        call.authority,
        JURY,
        code_of_conduct=CODE_OF_CONDUCT,
        created=closed - timedelta(days=12),
        accepted=closed - timedelta(days=11),
    )
    assess(
        phase,
        members,
        made,
        quality={proposal.pk: rank for rank, proposal in enumerate(made)},
        declared=closed + timedelta(days=2),
        assigned=closed + timedelta(days=3),
        scored=closed + timedelta(days=18),
    )
    best = advise(
        phase,
        members,
        selected=3,
        remarks="De jury rangschikt de dagklok, de deurmat en het fotoboek als beste drie.",
        signed=closed + timedelta(days=25),
    )
    prizes = list(phase.prizes.order_by("rank"))
    for proposal, prize, motivation in zip(best, prizes, MOTIVATIONS, strict=True):
        proposal_award(proposal=proposal, actor=officer, motivation=motivation, prize=prize)
    for proposal in made:
        if proposal not in best:
            proposal_reject(proposal=proposal, actor=officer, motivation=NO_PRIZE)
    # The decisions of the history were taken two days after the jury's advice; their letters,
    # as the task makes them, were sent that day (the Awb's six weeks for an objection run
    # from the day after).
    decided = min(closed + timedelta(days=27), timezone.now() - timedelta(days=1))
    Decision.objects.filter(phase=phase).update(decided_at=decided)
    letters = 0
    for decision in Decision.objects.filter(phase=phase).order_by("pk"):
        letter = decision_letter_make(decision_id=decision.pk, send=False)
        if letter is not None:
            # A prize decision has no standstill: its letter states none (as the task makes it).
            DecisionLetter.objects.filter(pk=letter.pk).update(
                decided_at=decided,
                standstill_ends_on=timezone.localdate(decided)
                + timedelta(days=decision.standstill_days)
                if decision.standstill_days
                else None,
            )
            backdate_letter(letter, decision)
            letters += 1
    body = "an administrative body" if _awb(call.authority) else "not an administrative body"
    return f"{CALL_TITLE}: {len(made)} entries, 3 prizes awarded, {letters} letters ({body})"


def _awb(authority: Organisation) -> bool:
    return authority.is_administrative_body
