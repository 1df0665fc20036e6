"""Writing the past of a decided call for the demo: proposals, assessment, awards, contracts.

The deadlines of these calls lie years back, so the services (which rightly check deadlines)
cannot replay them: the historical state is written directly, in bulk. The ranking and the
advice are computed by the real ranking code from the scores written here. Companies,
people and KvK numbers are made up.

proposals/demo/viaducts.py writes its funnel of SBIR Circulaire Viaducten with these pieces;
proposals/demo/funnel.py writes a whole funnel with them from a short description.
"""

import hashlib
import json
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db.models import F
from django.utils.text import slugify

from calls.models import Call, Phase, Question
from calls.structures import declaration_text
from portal.demo.identity import company_details
from portal.models import Membership, Organisation, Role, User

from ..models import (
    Advice,
    Assessment,
    Assignment,
    Attachment,
    Committee,
    CommitteeMember,
    ConflictDeclaration,
    Contract,
    CriterionScore,
    Decision,
    Deliverable,
    Objection,
    Proposal,
)
from ..selectors.ranking import ranking_for
from ..services.assessment import advice_snapshot
from ..services.decisions import milestone_schedule
from ..services.submission import questions_for

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def at(year: int, month: int, day: int, hour: int = 12, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=AMSTERDAM)


def on(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=AMSTERDAM)


def months_later(day: date, months: int) -> date:
    year, month = divmod(day.month - 1 + months, 12)
    return date(day.year + year, month + 1, min(day.day, 28))


# --- Documents ---------------------------------------------------------------------------------


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def pdf(lines: list[str]) -> bytes:
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


def store(folder: str, name: str, lines: list[str]) -> tuple[str, bytes]:
    content = pdf(lines)
    # FileFields hold at most 100 characters; the storage shortens the name to fit.
    stored = storages["private"].save(f"{folder}/{name}", ContentFile(content), max_length=100)
    return stored, content


# --- People and companies ----------------------------------------------------------------------


def people(entries: list[tuple[str, str]]) -> list[User]:
    """Users by e-mail, created where missing (they cannot log in: no password is set)."""
    emails = [email for email, _name in entries]
    existing = {u.email: u for u in User.objects.filter(email__in=emails)}
    unusable = make_password(None)
    User.objects.bulk_create(
        User(email=email, full_name=name, password=unusable)
        for email, name in dict(entries).items()
        if email not in existing
    )
    by_email = {u.email: u for u in User.objects.filter(email__in=emails)}
    return [by_email[email] for email in emails]


def _made_up_kvk(name: str, taken: set[str]) -> str:
    """An 8-digit number starting with 72, the same for a name on every run."""
    digits = int(hashlib.sha256(name.encode()).hexdigest(), 16) % 1_000_000
    while f"72{digits:06d}" in taken:
        digits = (digits + 1) % 1_000_000
    return f"72{digits:06d}"


def _mailbox(name: str) -> str:
    for suffix in (" B.V.", " U.A.", " V.O.F."):
        name = name.removesuffix(suffix)
    return f"info@{slugify(name)}.example"


# The fictitious companies are seated in one of these (a result notice names a winner's city).
DEMO_CITIES = ["Utrecht", "Rotterdam", "Eindhoven", "Delft", "Groningen", "Zwolle", "Arnhem"]


def _made_up_city(name: str) -> str:
    return DEMO_CITIES[sum(name.encode()) % len(DEMO_CITIES)]


def entrants(entries: list[tuple[str, str, str]]) -> list[tuple[Organisation, User, str]]:
    """Each (company name, person, title) as the company, the person acting for it and the
    title of its proposal."""
    made = companies([(name, person) for name, person, _title in entries])
    return [
        (company, person, title)
        for (company, person), (_name, _person, title) in zip(made, entries, strict=True)
    ]


def companies(
    entries: list[tuple[str, str]], *, kvk_numbers: list[str] | None = None
) -> list[tuple[Organisation, User]]:
    """Each (company, contact person) by the company's name, with the person acting for it.

    A company the demo already has (the portal's, or one that answered another call) is
    reused; a new one gets its number from `kvk_numbers`, else a made-up one.
    """
    names = [name for name, _person in entries]
    company_kind = Organisation.Kind.COMPANY
    existing = set(
        Organisation.objects.filter(kind=company_kind, name__in=names).values_list(
            "name", flat=True
        )
    )
    taken = set(Organisation.objects.exclude(kvk_number="").values_list("kvk_number", flat=True))
    new = []
    for i, name in enumerate(names):
        if name in existing:
            continue
        number = kvk_numbers[i] if kvk_numbers else _made_up_kvk(name, taken)
        taken.add(number)
        existing.add(name)
        new.append(
            Organisation(
                name=name,
                kind=company_kind,
                kvk_number=number,
                **company_details(name, _made_up_city(name)),
                is_sme=True,
                is_startup=i % 4 == 0,
            )
        )
    Organisation.objects.bulk_create(new)
    by_name = {o.name: o for o in Organisation.objects.filter(kind=company_kind, name__in=names)}
    contacts = people([(_mailbox(name), person) for name, person in entries])
    found = [by_name[name] for name in names]
    have = set(
        Membership.objects.filter(user__in=contacts, role=Role.APPLICANT).values_list(
            "user_id", "organisation_id"
        )
    )
    Membership.objects.bulk_create(
        Membership(user=person, organisation=company, role=Role.APPLICANT)
        for person, company in dict(zip(contacts, found, strict=True)).items()
        if (person.pk, company.pk) not in have
    )
    return list(zip(found, contacts, strict=True))


CODE_OF_CONDUCT = (
    "Als lid van de beoordelingscommissie beoordeel ik ieder voorstel onafhankelijk, "
    "zorgvuldig en alleen op de gepubliceerde criteria. Ik houd de inhoud van de voorstellen "
    "en de beraadslagingen van de commissie vertrouwelijk, ook na afloop. Voordat ik een "
    "voorstel lees, verklaar ik of ik belangen heb bij de indiener; bij een belang beoordeel "
    "ik dat voorstel niet."
)
# (e-mail, full name, role in the committee, expertise, staff of the authority?)
Seat = tuple[str, str, str, str, bool]


def committee(
    phase: Phase,
    authority: Organisation,
    seats: list[Seat],
    *,
    code_of_conduct: str,
    created: datetime,
    accepted: datetime,
) -> list[CommitteeMember]:
    """The phase's committee; its members from the authority assess in that role there.

    Independent experts belong to no organisation. Each member accepted the code of conduct
    a day after the one before, from `accepted` on.
    """
    users = people([(email, name) for email, name, *_ in seats])
    have = set(
        Membership.objects.filter(user__in=users, organisation=authority).values_list(
            "user_id", flat=True
        )
    )
    Membership.objects.bulk_create(
        Membership(
            user=user,
            organisation=authority,
            role=Role.COMMITTEE_CHAIR if role == CommitteeMember.Role.CHAIR else Role.ASSESSOR,
        )
        for user, (_email, _name, role, _expertise, staff) in zip(users, seats, strict=True)
        if staff and user.pk not in have
    )
    panel = Committee.objects.create(
        phase=phase, code_of_conduct=code_of_conduct, assessors_per_proposal=3
    )
    Committee.objects.filter(pk=panel.pk).update(created_at=created)
    return CommitteeMember.objects.bulk_create(
        CommitteeMember(
            committee=panel,
            user=user,
            role=role,
            expertise=expertise,
            is_independent=not staff,
            code_accepted_at=accepted + timedelta(days=i),
        )
        for i, (user, (_email, _name, role, expertise, staff)) in enumerate(
            zip(users, seats, strict=True)
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


PHASE_WORDS = {
    Phase.Kind.FEASIBILITY: "haalbaarheidsstudie",
    Phase.Kind.PROTOTYPE: "prototypefase",
    Phase.Kind.RD: "ontwikkelfase",
    Phase.Kind.PURCHASE: "aankoopfase",
}


@dataclass
class Texts:
    """What a proposal says besides its title; {company}, {title} and {person} are filled in."""

    summary: str
    approach: str
    team: str
    planning: str


def planning_in(months: int) -> str:
    if months <= 2:
        return "Maand 1: analyse en ontwerp. Maand 2: proef en rapport."
    middle = "2" if months == 3 else f"2–{months - 1}"
    return f"Maand 1: analyse. Maand {middle}: ontwerp en proef. Maand {months}: rapport."


def proposals(
    call: Call,
    phase: Phase,
    entries: list[tuple[Organisation, User, str]],
    *,
    amounts: list[Decimal] | list[None],
    submitted: list[datetime],
    texts: Texts,
) -> list[Proposal]:
    """Submitted proposals (under assessment) with their required documents."""
    answers = _answers(phase)
    declared = declaration_text(call, "nl")  # as the company accepted it when it submitted
    made = []
    for i, (company, person, title) in enumerate(entries):
        fill = {
            "company": company.name,
            "title": title,
            "person": person.full_name,
            "phase": PHASE_WORDS.get(phase.kind, "fase"),
        }
        content = {
            "title": title,
            "summary": texts.summary.format(**fill),
            "approach": texts.approach.format(**fill),
            "team": texts.team.format(**fill),
            "planning": texts.planning.format(**fill),
            "requested_amount": amounts[i],
            "consortium_partners": "",
            # One in three lets a lab or workshop do part of the work.
            "subcontracting": "yes" if i % 3 == 0 else "no",
            "subcontracting_share": Decimal(10 + i % 4 * 5) if i % 3 == 0 else None,
        }
        digest = hashlib.sha256(
            json.dumps({**content, "answers": answers}, sort_keys=True, default=str).encode()
        ).hexdigest()
        made.append(
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
                declaration_text=declared,
                declared_at=submitted[i],
                **content,
            )
        )
    made = Proposal.objects.bulk_create(made)
    Proposal.objects.filter(pk__in=[p.pk for p in made]).update(
        created_at=F("submitted_at"), updated_at=F("submitted_at")
    )
    documents(phase, made, uploaded_at=min(submitted))
    return made


def documents(phase: Phase, proposals: list[Proposal], *, uploaded_at: datetime) -> None:
    attachments = []
    for document in phase.required_documents.all():
        for proposal in proposals:
            name = f"{slugify(document.name)}-{slugify(proposal.company.name)[:40]}.pdf"
            stored, content = store(
                f"proposals/{uploaded_at.year}",
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


def base_scores(rank: int, step: int = 2) -> tuple[int, int, int]:
    """Scores per criterion (weights 40/40/20) whose weighted total falls with the rank."""
    target = 88 - step * rank  # ten times the weighted score: 8.8, then lower by `step` tenths
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


MOTIVATIONS = (
    "Overtuigend uitgewerkt en goed onderbouwd; sluit aan op de vraag van de oproep.",
    "Redelijk uitgewerkt; op onderdelen nog onzeker of te weinig onderbouwd.",
    "Onvoldoende uitgewerkt; de onderbouwing ontbreekt grotendeels.",
)


def general_motivation(_criterion: int, score: int) -> str:
    high, middle, low = MOTIVATIONS
    return high if score >= 8 else middle if score >= 6 else low


@dataclass
class Conflict:
    member: int  # index in the committee
    proposal: int  # index in the proposals
    explanation: str


def assess(
    phase: Phase,
    members: list[CommitteeMember],
    proposals: list[Proposal],
    *,
    quality: dict[int, int],
    declared: datetime,
    assigned: datetime,
    scored: datetime,
    motivation: Callable[[int, int], str] = general_motivation,
    conflict: Conflict | None = None,
    wide_rank: int | None = None,
    step: int = 2,
) -> None:
    """Declarations, three assessors per proposal, submitted scores.

    `quality` gives each proposal's place (from 0) by which its scores fall; the assessors
    of the proposal of `wide_rank` differ widely on the third criterion, for the chair.
    """
    conflicted = (
        (members[conflict.member].pk, proposals[conflict.proposal].pk) if conflict else None
    )
    declarations = ConflictDeclaration.objects.bulk_create(
        ConflictDeclaration(
            member=member,
            proposal=proposal,
            has_conflict=(member.pk, proposal.pk) == conflicted,
            explanation=conflict.explanation
            if conflict and (member.pk, proposal.pk) == conflicted
            else "",
        )
        for member in members
        for proposal in proposals
    )
    ConflictDeclaration.objects.filter(pk__in=[d.pk for d in declarations]).update(
        declared_at=declared
    )

    pairs = []
    for index, proposal in enumerate(proposals):
        rotation = [members[(index + k) % len(members)] for k in range(len(members))]
        eligible = [m for m in rotation if (m.pk, proposal.pk) != conflicted]
        pairs += [(member, proposal) for member in eligible[:3]]
    assignments = Assignment.objects.bulk_create(
        Assignment(member=member, proposal=proposal) for member, proposal in pairs
    )
    Assignment.objects.filter(pk__in=[a.pk for a in assignments]).update(created_at=assigned)
    assessments = Assessment.objects.bulk_create(
        Assessment(
            assignment=assignment,
            status=Assessment.Status.SUBMITTED,
            submitted_at=scored + timedelta(days=position % 20, hours=position % 8),
        )
        for position, assignment in enumerate(assignments)
    )

    criteria = list(phase.criteria.order_by("order"))
    seen = {}
    scores = []
    for assessment, (_member, proposal) in zip(assessments, pairs, strict=True):
        rank = quality[proposal.pk]
        base = base_scores(rank, step)
        assessor = seen.get(proposal.pk, 0)
        seen[proposal.pk] = assessor + 1
        for c, criterion in enumerate(criteria):
            wide = rank == wide_rank and c == 2
            value = base[c % 3] + _offsets(base[c % 3], assessor, c, wide=wide)
            scores.append(
                CriterionScore(
                    assessment=assessment,
                    criterion=criterion,
                    score=value,
                    motivation=motivation(c, value),
                )
            )
    CriterionScore.objects.bulk_create(scores)


def advise(
    phase: Phase, members: list[CommitteeMember], *, selected: int, remarks: str, signed: datetime
) -> list[Proposal]:
    """The chair signs the ranking with the best `selected` proposals; those, best first."""
    rows = ranking_for(phase)
    best = [row.proposal for row in rows if row.rank is not None and row.rank <= selected]
    chair = next(m for m in members if m.role == CommitteeMember.Role.CHAIR)
    advice = Advice.objects.create(
        committee=chair.committee,
        ranking=advice_snapshot(chair.committee),
        remarks=remarks,
        signed_by=chair.user,
        signed_at=signed,
    )
    advice.selected.set(best)
    return best


# --- Decisions and contracts -------------------------------------------------------------------


# The standstill period of the decisions of the past: they became final after it.
STANDSTILL_DAYS = 20


def decide(proposals: list[Proposal], status: str, motivation: str, officer, when) -> None:
    """Past decisions: intended at ``when``, final once their standstill of 20 days passed
    without an open objection (an award's contract follows, see ``contracts``)."""
    Proposal.objects.filter(pk__in=[p.pk for p in proposals]).update(
        status=status, decision_motivation=motivation, decided_by=officer, decided_at=when
    )
    awarded = status == Proposal.Status.AWARDED
    ends = (when + timedelta(days=STANDSTILL_DAYS)).date()
    Decision.objects.bulk_create(
        Decision(
            proposal=proposal,
            phase_id=proposal.phase_id,
            kind=Decision.Kind.AWARD if awarded else Decision.Kind.REJECTION,
            status=Decision.Status.FINAL,
            amount=proposal.requested_amount if awarded else None,
            motivation=motivation,
            standstill_days=STANDSTILL_DAYS,
            standstill_ends_on=ends,
            decided_by=officer,
            decided_at=when,
            finalised_at=when + timedelta(days=STANDSTILL_DAYS + 1),
        )
        for proposal in proposals
    )
    for proposal in proposals:
        proposal.status = status


def dismissed_objection(
    proposal: Proposal, *, text: str, answer: str, officer, lodged: datetime, answered: datetime
) -> Objection:
    """An objection to a past decision that the authority dismissed within the standstill."""
    decision = Decision.objects.get(proposal=proposal)
    person = (
        Membership.objects.filter(organisation_id=proposal.company_id, role=Role.APPLICANT)
        .select_related("user")
        .first()
    )
    return Objection.objects.create(
        decision=decision,
        number=f"BZW-{proposal.call.reference}-{decision.pk:05d}-1",
        text=text,
        status=Objection.Status.DISMISSED,
        lodged_by=person.user if person else officer,
        lodged_at=lodged,
        answer=answer,
        answered_by=officer,
        answered_at=answered,
    )


def contracts(
    proposals: list[Proposal],
    *,
    phase: Phase,
    start: date,
    end: date,
    officer: User,
    delivered: datetime,
    reviewed: datetime,
    running: bool = False,
) -> None:
    """Contracts with the award's payment schedule as milestones.

    Ended contracts had every milestone accepted. A running one had all but its last
    accepted; the first running contract delivered its last one, which awaits review.
    The money of these contracts is booked in the ledger by funding/demo/trajectories.py.
    """
    made = Contract.objects.bulk_create(
        Contract(
            proposal=proposal,
            amount=proposal.requested_amount,
            start_date=start,
            end_date=end,
            status=Contract.Status.ACTIVE if running else Contract.Status.COMPLETED,
        )
        for proposal in proposals
    )
    deliverables = []
    for index, (contract, proposal) in enumerate(zip(made, proposals, strict=True)):
        schedule = milestone_schedule(phase, contract.amount, start, end)
        for number, (kind, name, due, amount) in enumerate(schedule, 1):
            last = number == len(schedule)
            status = Deliverable.Status.ACCEPTED
            if running and last:
                status = Deliverable.Status.DELIVERED if index == 0 else Deliverable.Status.PENDING
            deliverable = Deliverable(
                contract=contract, kind=kind, name=name, due_date=due, amount=amount, status=status
            )
            if status != Deliverable.Status.PENDING:
                stored, _content = store(
                    "deliverables/demo",
                    f"{slugify(name)}-{slugify(proposal.company.name)[:40]}.pdf",
                    [name, proposal.title, proposal.company.name, "Eindrapportage" if last else ""],
                )
                # A milestone before the last was delivered and accepted at its own time.
                shift = timedelta(days=0 if last else (end - due).days)
                deliverable.file = stored
                deliverable.delivered_at = delivered - shift
            if status == Deliverable.Status.ACCEPTED:
                deliverable.reviewed_by = officer
                deliverable.reviewed_at = reviewed - shift
                deliverable.review_remarks = "Voldoet aan de opdracht; akkoord."
            deliverables.append(deliverable)
    Deliverable.objects.bulk_create(deliverables)
