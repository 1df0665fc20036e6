"""Demo funnel: SBIR Circulaire Viaducten (Rijkswaterstaat, 2020–2022), 32 → 10 → 3.

Thirty-two companies sent in a feasibility study; an independent committee of five (a
professor as chair, a lawyer, a sector expert and two Rijkswaterstaat staff) scored each
proposal with three assessors and advised the ten best; those ten got a feasibility
contract and delivered their report; three of them then built a prototype.

The call's deadlines lie in 2020, so the services (which rightly check deadlines) cannot
replay this: the historical state is written directly, in bulk, like calls/demo.py does for
the history of its calls. The ranking and the advice are computed by the real ranking code
from the scores written here. Companies, people and KvK numbers are made up.
"""

import hashlib
import json
import unicodedata
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db.models import F
from django.utils.text import slugify

from calls.models import Call, Phase, Question
from portal.models import Membership, Organisation, Role, User

from .decisions import milestone_schedule
from .models import (
    Advice,
    Assessment,
    Assignment,
    Attachment,
    Committee,
    CommitteeMember,
    ConflictDeclaration,
    Contract,
    CriterionScore,
    Deliverable,
    Proposal,
)
from .ranking import ranking_for
from .services import questions_for

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
CALL_TITLE = "SBIR Circulaire Viaducten"
AUTHORITY = "Rijkswaterstaat"
SELECTED = 10
PROTOTYPES = (0, 1, 3)  # the ranks (from 0) of the feasibility winners that built a prototype


def _at(year: int, month: int, day: int, hour: int = 12, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=AMSTERDAM)


# (company, contact person, title of the proposal)
COMPANIES = [
    ("Brugwerk Circulair B.V.", "Jeroen Smits", "Het klikviaduct: droge verbindingen in beton"),
    ("Demontabel Beton Nederland B.V.", "Annemiek de Groot", "Liggers met een tweede leven"),
    ("Van der Linden Constructies B.V.", "Bram van der Linden", "Modulair stalen viaduct"),
    ("Hergebruik Infra Solutions B.V.", "Sophie Willems", "Oogstkaart voor bestaande viaducten"),
    ("Modulaire Kunstwerken B.V.", "Thijs Kuipers", "Bouwdoos voor standaardviaducten"),
    ("Staalverbinding Oost B.V.", "Mark Hendriksen", "Boutverbindingen zonder lassen"),
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

CODE_OF_CONDUCT = (
    "Als lid van de beoordelingscommissie beoordeel ik ieder voorstel onafhankelijk, "
    "zorgvuldig en alleen op de gepubliceerde criteria. Ik houd de inhoud van de voorstellen "
    "en de beraadslagingen van de commissie vertrouwelijk, ook na afloop. Voordat ik een "
    "voorstel lees, verklaar ik of ik belangen heb bij de indiener; bij een belang beoordeel "
    "ik dat voorstel niet."
)

# (e-mail, full name, role in the committee, expertise, Rijkswaterstaat assessor?)
COMMITTEE = [
    (
        "voorzitter@rws.example",
        "Prof. Marieke Visser",
        CommitteeMember.Role.CHAIR,
        "Hoogleraar circulair bouwen; voorzitter",
        True,
    ),
    (
        "e.hendriks@aanbestedingsadvocaten.example",
        "Mr. Eva Hendriks",
        CommitteeMember.Role.MEMBER,
        "Advocaat aanbestedingsrecht (onafhankelijk)",
        False,
    ),
    (
        "k.mulder@bouwkennis.example",
        "Ir. Koen Mulder",
        CommitteeMember.Role.MEMBER,
        "Sectordeskundige betonbouw en prefab (onafhankelijk)",
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
CONFLICT = (2, 19, "Was tot 2020 adviseur van dit bedrijf.")

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


def _base_scores(rank: int) -> tuple[int, int, int]:
    """Scores per criterion (weights 40/40/20) whose weighted total falls with the rank."""
    target = 88 - 2 * rank  # ten times the weighted score: 8.8, 8.6 … 2.6
    middle = max(1, min(9, round(target / 10)))
    economy = (target - 8 * middle) // 2
    if economy > 10:
        middle, economy = middle + 1, economy - 4
    if economy < 1:
        middle, economy = middle - 1, economy + 4
    spread = (0, 1, -1)[rank % 3]
    impact = max(1, min(10, middle + spread))
    return impact, 2 * middle - impact, economy


def _offsets(base: int, assessor: int, criterion: int, wide: bool) -> int:
    """Differences between the three assessors that cancel out: the mean stays the base."""
    step = 2 if wide else 1
    if base - step < 1 or base + step > 10:
        return 0
    return (-step, 0, step)[(assessor + criterion) % 3]


def _motivation(criterion: int, score: int) -> str:
    high, middle, low = MOTIVATIONS[criterion % len(MOTIVATIONS)]
    return high if score >= 8 else middle if score >= 6 else low


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def _pdf(lines: list[str]) -> bytes:
    """A small, valid one-page PDF with some text: enough for a demo document."""
    text = " ".join(
        f"BT /F1 {14 if i == 0 else 11} Tf 72 {770 - 22 * i} Td "
        f"({_ascii(line).replace('(', '[').replace(')', ']')}) Tj ET"
        for i, line in enumerate(lines)
    ).encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(text), text),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _store(folder: str, name: str, lines: list[str]) -> tuple[str, bytes]:
    content = _pdf(lines)
    stored = storages["private"].save(f"{folder}/{name}", ContentFile(content))
    return stored, content


# --- People and companies ----------------------------------------------------------------------


def _companies() -> list[tuple[Organisation, User]]:
    """The 32 companies, each with one contact person who acts for it."""
    kvk = [f"71{(104729 + i * 7919) % 1_000_000:06d}" for i in range(len(COMPANIES))]
    existing = {o.kvk_number: o for o in Organisation.objects.filter(kvk_number__in=kvk)}
    Organisation.objects.bulk_create(
        Organisation(
            name=name,
            kind=Organisation.Kind.COMPANY,
            kvk_number=number,
            is_sme=True,
            is_startup=i % 4 == 0,
        )
        for i, ((name, _person, _title), number) in enumerate(zip(COMPANIES, kvk, strict=True))
        if number not in existing
    )
    by_kvk = {o.kvk_number: o for o in Organisation.objects.filter(kvk_number__in=kvk)}
    people = _people(
        [
            (f"info@{slugify(name.removesuffix(' B.V.').removesuffix(' U.A.'))}.example", person)
            for name, person, _title in COMPANIES
        ]
    )
    companies = [by_kvk[number] for number in kvk]
    have = set(
        Membership.objects.filter(user__in=people, role=Role.APPLICANT).values_list(
            "user_id", "organisation_id"
        )
    )
    Membership.objects.bulk_create(
        Membership(user=person, organisation=company, role=Role.APPLICANT)
        for person, company in zip(people, companies, strict=True)
        if (person.pk, company.pk) not in have
    )
    return list(zip(companies, people, strict=True))


def _people(entries: list[tuple[str, str]]) -> list[User]:
    """Users by e-mail, created where missing (they cannot log in: no password is set)."""
    emails = [email for email, _name in entries]
    existing = {u.email: u for u in User.objects.filter(email__in=emails)}
    unusable = make_password(None)
    User.objects.bulk_create(
        User(email=email, full_name=name, password=unusable)
        for email, name in entries
        if email not in existing
    )
    by_email = {u.email: u for u in User.objects.filter(email__in=emails)}
    return [by_email[email] for email in emails]


def _committee(phase: Phase, authority: Organisation) -> list[CommitteeMember]:
    users = _people([(email, name) for email, name, *_ in COMMITTEE])
    for user, (_email, _name, _role, _expertise, rws) in zip(users, COMMITTEE, strict=True):
        if rws and not user.memberships.filter(organisation=authority).exists():
            Membership.objects.create(user=user, organisation=authority, role=Role.ASSESSOR)
    committee = Committee.objects.create(
        phase=phase, code_of_conduct=CODE_OF_CONDUCT, assessors_per_proposal=3
    )
    Committee.objects.filter(pk=committee.pk).update(created_at=_at(2020, 10, 1, 9))
    return CommitteeMember.objects.bulk_create(
        CommitteeMember(
            committee=committee,
            user=user,
            role=role,
            expertise=expertise,
            is_independent=not rws,
            code_accepted_at=_at(2020, 10, 2 + i, 10),
        )
        for i, (user, (_email, _name, role, expertise, rws)) in enumerate(
            zip(users, COMMITTEE, strict=True)
        )
    )


# --- Proposals ---------------------------------------------------------------------------------


def _answers(phase: Phase) -> list[dict]:
    """Plausible answers to the call's own questions, if it has any."""
    answers = []
    for question in questions_for(phase).order_by("order", "pk"):
        if question.kind == Question.Kind.FILE:
            continue
        answer = {
            Question.Kind.NUMBER: "1",
            Question.Kind.YES_NO: True,
            Question.Kind.CHOICE: (question.choice_list or [""])[0],
        }.get(question.kind, "Zie het projectplan.")
        answers.append({"question": question.snapshot(), "answer": answer})
    return answers


PHASE_WORDS = {Phase.Kind.FEASIBILITY: "haalbaarheidsstudie", Phase.Kind.PROTOTYPE: "prototypefase"}


def _proposals(
    call: Call,
    phase: Phase,
    entries: list[tuple[Organisation, User, str]],
    *,
    amounts: list[Decimal],
    submitted: list[datetime],
) -> list[Proposal]:
    """Submitted proposals (under assessment) with their required documents."""
    answers = _answers(phase)
    proposals = []
    for i, (company, person, title) in enumerate(entries):
        content = {
            "title": title,
            "summary": (
                f"{company.name} werkt in deze {PHASE_WORDS.get(phase.kind, 'fase')} uit hoe "
                f"„{title}” viaducten na hun eerste leven herbruikbaar maakt."
            ),
            "approach": (
                "Inventarisatie van bestaande viaducten, ontwerp van de oplossing, "
                "constructieve toetsing en een proef op schaal met een referentiegroep."
            ),
            "team": f"{person.full_name} (projectleider), twee constructeurs en "
            "een materiaalkundige.",
            "planning": "Maand 1: inventarisatie. Maand 2–3: ontwerp en toetsing. "
            "Maand 4: rapport.",
            "requested_amount": amounts[i],
            "consortium_partners": "",
        }
        digest = hashlib.sha256(
            json.dumps({**content, "answers": answers}, sort_keys=True, default=str).encode()
        ).hexdigest()
        proposals.append(
            Proposal(
                call=call,
                phase=phase,
                company=company,
                created_by=person,
                answers=answers,
                status=Proposal.Status.UNDER_ASSESSMENT,
                submission_number=f"{call.reference}-{phase.order}-{i + 1:04d}",
                submitted_at=submitted[i],
                content_hash=digest,
                **content,
            )
        )
    proposals = Proposal.objects.bulk_create(proposals)
    Proposal.objects.filter(pk__in=[p.pk for p in proposals]).update(
        created_at=F("submitted_at"), updated_at=F("submitted_at")
    )
    _documents(phase, proposals, uploaded_at=min(submitted))
    return proposals


def _documents(phase: Phase, proposals: list[Proposal], *, uploaded_at: datetime) -> None:
    attachments = []
    for document in phase.required_documents.all():
        for proposal in proposals:
            name = f"{slugify(document.name)}-{slugify(proposal.company.name)[:40]}.pdf"
            stored, content = _store(
                "proposals/2020",
                name,
                [document.name, proposal.title, proposal.company.name, proposal.summary],
            )
            attachments.append(
                Attachment(
                    proposal=proposal,
                    required_document=document,
                    file=stored,
                    original_name=name,
                    content_type="application/pdf",
                    size=len(content),
                    sha256=hashlib.sha256(content).hexdigest(),
                    uploaded_by=proposal.created_by,
                )
            )
    Attachment.objects.bulk_create(attachments)
    Attachment.objects.filter(proposal__in=proposals).update(uploaded_at=uploaded_at)


# --- Assessment --------------------------------------------------------------------------------


def _assess(phase: Phase, members: list[CommitteeMember], proposals: list[Proposal]) -> None:
    """Declarations (one conflict), three assessors per proposal, submitted scores."""
    conflict_member, conflict_proposal, explanation = CONFLICT
    conflicted = (members[conflict_member].pk, proposals[conflict_proposal].pk)
    declarations = ConflictDeclaration.objects.bulk_create(
        ConflictDeclaration(
            member=member,
            proposal=proposal,
            has_conflict=(member.pk, proposal.pk) == conflicted,
            explanation=explanation if (member.pk, proposal.pk) == conflicted else "",
        )
        for member in members
        for proposal in proposals
    )
    ConflictDeclaration.objects.filter(pk__in=[d.pk for d in declarations]).update(
        declared_at=_at(2020, 10, 6, 11)
    )

    pairs = []
    for index, proposal in enumerate(proposals):
        rotation = [members[(index + k) % len(members)] for k in range(len(members))]
        eligible = [m for m in rotation if (m.pk, proposal.pk) != conflicted]
        pairs += [(member, proposal, index) for member in eligible[:3]]
    assignments = Assignment.objects.bulk_create(
        Assignment(member=member, proposal=proposal) for member, proposal, _index in pairs
    )
    Assignment.objects.filter(pk__in=[a.pk for a in assignments]).update(
        created_at=_at(2020, 10, 7, 9)
    )
    assessments = Assessment.objects.bulk_create(
        Assessment(
            assignment=assignment,
            status=Assessment.Status.SUBMITTED,
            submitted_at=_at(2020, 10, 20, 9) + timedelta(days=position % 20, hours=position % 8),
        )
        for position, assignment in enumerate(assignments)
    )

    criteria = list(phase.criteria.order_by("order"))
    # The quality of each proposal: the order of COMPANIES shuffled, so that the best are
    # spread over the list (a fixed permutation keeps the demo the same on every run).
    quality = {
        proposal.pk: (index * 13) % len(proposals) for index, proposal in enumerate(proposals)
    }
    seen = {}
    scores = []
    for assessment, (_member, proposal, _index) in zip(assessments, pairs, strict=True):
        rank = quality[proposal.pk]
        base = _base_scores(rank)
        assessor = seen.get(proposal.pk, 0)
        seen[proposal.pk] = assessor + 1
        for c, criterion in enumerate(criteria):
            value = base[c % 3] + _offsets(base[c % 3], assessor, c, wide=rank == 14 and c == 2)
            scores.append(
                CriterionScore(
                    assessment=assessment,
                    criterion=criterion,
                    score=value,
                    motivation=_motivation(c, value),
                )
            )
    CriterionScore.objects.bulk_create(scores)


def _contracts(
    proposals: list[Proposal],
    *,
    phase: Phase,
    start: date,
    end: date,
    officer: User,
    delivered: datetime,
    reviewed: datetime,
) -> None:
    """Completed contracts whose milestones (the award's payment schedule) were all accepted.

    The money of these contracts is booked in the ledger by funding/demo.py.
    """
    contracts = Contract.objects.bulk_create(
        Contract(
            proposal=proposal,
            amount=proposal.requested_amount,
            start_date=start,
            end_date=end,
            status=Contract.Status.COMPLETED,
        )
        for proposal in proposals
    )
    deliverables = []
    for contract, proposal in zip(contracts, proposals, strict=True):
        schedule = milestone_schedule(phase, contract.amount, start, end)
        for number, (kind, name, due, amount) in enumerate(schedule, 1):
            last = number == len(schedule)
            stored, _content = _store(
                "deliverables/demo",
                f"{slugify(name)}-{slugify(proposal.company.name)[:40]}.pdf",
                [name, proposal.title, proposal.company.name, "Eindrapportage" if last else ""],
            )
            # The milestone before the last was delivered and accepted halfway.
            shift = timedelta(days=0 if last else (end - due).days)
            deliverables.append(
                Deliverable(
                    contract=contract,
                    kind=kind,
                    name=name,
                    due_date=due,
                    amount=amount,
                    status=Deliverable.Status.ACCEPTED,
                    file=stored,
                    delivered_at=delivered - shift,
                    reviewed_by=officer,
                    reviewed_at=reviewed - shift,
                    review_remarks="Voldoet aan de opdracht; akkoord.",
                )
            )
    Deliverable.objects.bulk_create(deliverables)


def _decide(proposals: list[Proposal], status: str, motivation: str, officer, when) -> None:
    Proposal.objects.filter(pk__in=[p.pk for p in proposals]).update(
        status=status, decision_motivation=motivation, decided_by=officer, decided_at=when
    )
    for proposal in proposals:
        proposal.status = status


AWARDED = "Hoog gerangschikt in het advies van de commissie; binnen budget."
REJECTED = (
    "Niet bij de tien hoogst gerangschikte voorstellen in het advies van de commissie. "
    "De motivering per criterium staat in het advies."
)

# --- The funnel --------------------------------------------------------------------------------


def load() -> str:
    call = (
        Call.objects.filter(title=CALL_TITLE, authority__name=AUTHORITY)
        .select_related("authority", "created_by")
        .first()
    )
    if call is None:
        return f"no call “{CALL_TITLE}”: nothing to add"
    if call.proposals.exists():
        return f"the funnel of “{CALL_TITLE}” is there already"
    officer = call.created_by
    feasibility = call.phases.get(order=1)
    prototype = call.phases.get(order=2)
    if prototype.deadline is None:
        prototype.deadline = _at(2021, 6, 30, 17)
        Phase.objects.filter(pk=prototype.pk).update(deadline=prototype.deadline)

    companies = _companies()
    first = _proposals(
        call,
        feasibility,
        [
            (company, person, title)
            for (company, person), (_name, _contact, title) in zip(
                companies, COMPANIES, strict=True
            )
        ],
        amounts=[
            min(feasibility.max_per_award, Decimal(38000 + (i * 1750) % 12000))
            for i in range(len(companies))
        ],
        submitted=[
            _at(2020, 9, 1 + i % 29, 9 + i % 8, (i * 7) % 60) for i in range(len(companies))
        ],
    )
    members = _committee(feasibility, call.authority)
    _assess(feasibility, members, first)

    rows = ranking_for(feasibility)
    best = [row.proposal for row in rows if row.rank is not None and row.rank <= SELECTED]
    chair = next(m for m in members if m.role == CommitteeMember.Role.CHAIR)
    advice = Advice.objects.create(
        committee=chair.committee,
        ranking=[row.as_dict() for row in rows],
        remarks=(
            "De commissie adviseert de tien hoogst gerangschikte voorstellen te gunnen. "
            "Eén lid heeft zich wegens een belang onthouden bij één voorstel."
        ),
        signed_by=chair.user,
        signed_at=_at(2020, 11, 19, 15),
    )
    advice.selected.set(best)

    rest = [p for p in first if p not in best]
    decided = _at(2020, 12, 1, 10)
    _decide(best, Proposal.Status.AWARDED, AWARDED, officer, decided)
    _decide(rest, Proposal.Status.REJECTED, REJECTED, officer, decided)
    _contracts(
        best,
        phase=feasibility,
        start=date(2021, 1, 4),
        end=date(2021, 5, 4),
        officer=officer,
        delivered=_at(2021, 4, 28, 16),
        reviewed=_at(2021, 5, 12, 11),
    )

    winners = [best[rank] for rank in PROTOTYPES]
    by_company = dict(companies)
    second = _proposals(
        call,
        prototype,
        [(p.company, by_company[p.company], f"Prototype: {p.title}") for p in winners],
        amounts=[Decimal("600000.00"), Decimal("580000.00"), Decimal("560000.00")],
        submitted=[_at(2021, 6, 21 + i, 14) for i in range(len(winners))],
    )
    _decide(
        second,
        Proposal.Status.AWARDED,
        "Haalbaarheid aangetoond; het prototypeplan is overtuigend.",
        officer,
        _at(2021, 9, 1, 10),
    )
    _contracts(
        second,
        phase=prototype,
        start=date(2021, 10, 1),
        end=date(2022, 12, 31),
        officer=officer,
        delivered=_at(2022, 12, 15, 16),
        reviewed=_at(2023, 1, 20, 11),
    )
    return (
        f"{CALL_TITLE}: {len(first)} proposals, {len(best)} feasibility awards, "
        f"{len(second)} prototype awards"
    )
