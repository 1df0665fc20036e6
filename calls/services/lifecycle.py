"""Writes to calls: drafting, publication, the lifecycle, amendments, following a call."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from itertools import pairwise
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.db.models import Max, Sum
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from portal import states
from portal.exceptions import DomainError, NotAllowed
from portal.models import Organisation, User
from portal.permissions import can
from portal.services.outbox import outbox_enqueue
from portal.services.updates import model_update
from portal.templatetags.portal import euro
from portal.uploads import PDF_ONLY, check_upload

from .. import signals
from ..models import (
    Amendment,
    Call,
    CallDocument,
    Criterion,
    Follower,
    Phase,
    Prize,
    RequiredDocument,
    amendment_value,
    validity_value,
)
from ..signals import call_ended
from ..structures import STRUCTURES, standard_declaration
from .selection import selection_seed_defaults

MIN_PARTICIPATION_PERIOD = timedelta(days=30)
# The standstill between an intended award and the contract: 20 calendar days by default; an
# innovation partnership may not go below it (Aw 2012 art. 2.127), SBIR and prize
# competitions may, down to 0, with a stated reason.
STANDSTILL_DEFAULT_DAYS = 20
STANDSTILL_MAX_DAYS = 365


def standstill_problem(*, instrument: str, days: int | None, reason: str = "") -> str | None:
    """Why ``days`` cannot be the standstill period of a call of ``instrument``; else None."""
    if days is None:
        return None
    if days > STANDSTILL_MAX_DAYS:
        return _("The standstill period can be at most %(max)d days.") % {
            "max": STANDSTILL_MAX_DAYS
        }
    if days >= STANDSTILL_DEFAULT_DAYS:
        return None
    if instrument == Call.Instrument.INNOVATION_PARTNERSHIP:
        return _(
            "An innovation partnership needs a standstill period of at least %(min)d calendar "
            "days (Aanbestedingswet 2012, art. 2.127)."
        ) % {"min": STANDSTILL_DEFAULT_DAYS}
    if not (reason or "").strip():
        return _("State the reason for a standstill period shorter than %(min)d days.") % {
            "min": STANDSTILL_DEFAULT_DAYS
        }
    return None


# What procurement notices (eForms) need beyond the call's own terms. An officer may still fill
# these in after publication (call_update_publication_details): they describe the call for
# TenderNed and TED, they do not change the competition. (How long a proposal stays valid is
# not one of them: it binds the companies, so once published it changes only by amendment.)
PUBLICATION_FIELDS = ("cpv_code", "place_of_performance_nuts", "publish_on_tenderned")
# The main fields of a call that its officers set while it is a draft: the page's form and the
# API's serializer offer these, and call_update_draft writes only these.
CALL_FIELDS = (
    "title",
    "title_en",
    "challenge",
    "challenge_en",
    "missions",
    "contact_name",
    "contact_email",
    "total_budget",
    "deadline",
    "questions_deadline",
    "participation_deadline",
    "max_partners",
    "max_registrations",
    "tender_validity",
    "tender_validity_unit",
    "minimum_requirements",
    "rescore_later_phases",
    "committee_sees_tender_history",
    "consortium_allowed",
    "blind_assessment",
    "tie_break",
    "standstill_days",
    "standstill_reason",
    "declaration",
    "declaration_en",
    *PUBLICATION_FIELDS,
)
# Fields an amendment may change on a published call. Criteria, phases and budgets are
# frozen: changing them after publication would change the competition itself.
# The validity period binds every company to its proposal (BT-98 in the notices): setting it,
# also for the first time on a call published before the portal asked for it, is a change of
# the terms that every company must hear of with its reason, before the deadline.
VALIDITY_FIELDS = ("tender_validity", "tender_validity_unit")
AMENDABLE_FIELDS = (
    "title",
    "title_en",
    "challenge",
    "challenge_en",
    "contact_name",
    "contact_email",
    "deadline",
    "questions_deadline",
    *VALIDITY_FIELDS,
)


def _require(actor: User, permission: str, call: Call | None = None) -> None:
    if not can(actor, permission, call):
        raise NotAllowed()


def _locked(call: Call) -> Call:
    return Call.objects.select_for_update().get(pk=call.pk)


def _moment(value: datetime) -> str:
    return (
        date_format(timezone.localtime(value), "DATETIME_FORMAT")
        + " "
        + (timezone.localtime(value).tzname() or "")
    )


# --- Drafting ---------------------------------------------------------------------------------


def call_create(*, actor: User, authority: Organisation, instrument: str, **fields) -> Call:
    """A new draft call with the standard phases, criteria and documents of its instrument."""
    if authority.kind != Organisation.Kind.AUTHORITY:
        raise DomainError(_("Only a contracting authority can publish calls."))
    from ..permissions import is_directly_officer_of, is_officer_of

    if not is_officer_of(actor, authority.pk):
        raise NotAllowed(
            _("Only procurement officers of %(name)s can create its calls.")
            % {"name": authority.name}
        )
    missions = fields.pop("missions", [])
    agent = None
    if not is_directly_officer_of(actor, authority.pk):
        from ..selectors.mandates import mandated_agent

        agent = mandated_agent(actor, authority)  # RVO drafts the call for the authority
    with transaction.atomic():
        call = Call.objects.create(
            authority=authority, instrument=instrument, created_by=actor, agent=agent, **fields
        )
        if missions:
            call.missions.set(missions)
        if instrument == Call.Instrument.INNOVATION_PARTNERSHIP:
            call.reserves_right_to_stop = True
            call.save(update_fields=["reserves_right_to_stop"])
        _apply_structure(call)
        selection_seed_defaults(call=call)
    return call


def _in(language: str, text) -> str:
    with translation.override(language):
        return str(text)


def _apply_structure(call: Call) -> None:
    """The instrument's phases and criteria, named in Dutch and in English, and its standard
    declaration on submission where the officer gave none."""
    nl, en = settings.LANGUAGE_CODE, "en"
    defaults = {
        "declaration": standard_declaration(call.instrument, nl),
        "declaration_en": standard_declaration(call.instrument, en),
    }
    missing = [attribute for attribute in defaults if not getattr(call, attribute).strip()]
    for attribute in missing:
        setattr(call, attribute, defaults[attribute])
    if missing:
        call.save(update_fields=missing)
    for order, (kind, name, criteria, documents) in enumerate(
        STRUCTURES[Call.Instrument(call.instrument)], 1
    ):
        phase = Phase.objects.create(
            call=call,
            order=order,
            kind=kind,
            name=_in(nl, name),
            name_en=_in(en, name),
            budget=Decimal("0.00"),
            max_per_award=Decimal("0.00"),
            planned_awards=1,
            duration_months=6,
            deadline=call.deadline if order == 1 else None,
        )
        Criterion.objects.bulk_create(
            Criterion(
                phase=phase,
                order=i,
                name=_in(nl, n),
                name_en=_in(en, n),
                description=_in(nl, d),
                description_en=_in(en, d),
                weight=w,
            )
            for i, (n, d, w) in enumerate(criteria, 1)
        )
        RequiredDocument.objects.bulk_create(
            RequiredDocument(phase=phase, order=i, name=str(n)) for i, n in enumerate(documents, 1)
        )


def _draft_locked(call: Call, actor: User) -> Call:
    """The draft, locked for this transaction; published calls are frozen (call_amend)."""
    _require(actor, "calls.manage_call", call)
    locked = _locked(call)
    if locked.status != Call.Status.DRAFT:
        raise DomainError(
            _("Only a draft can be edited. Record a change to a published call as an amendment."),
            code="frozen",
        )
    return locked


def call_update_publication_details(
    *, call: Call, actor: User, data: Mapping[str, Any]
) -> list[str]:
    """Fill in what the procurement notices need (``PUBLICATION_FIELDS``), also once published.

    Refused once the call has ended: its notices are then history.
    """
    _require(actor, "calls.manage_call", call)
    with transaction.atomic():
        locked = _locked(call)
        if locked.has_ended:
            raise DomainError(
                _("The call has ended: its publication details can no longer change."),
                code="ended",
            )
        changed = model_update(locked, data=data, fields=PUBLICATION_FIELDS, actor=actor)
    if changed:
        call.refresh_from_db()
    return changed


def call_update_draft(*, call: Call, actor: User, data: Mapping[str, Any]) -> list[str]:
    """Change the main fields of a draft (``CALL_FIELDS``); returns the names that changed.

    The page's form and the API validate the input; this checks the draft's rules and writes.
    """
    with transaction.atomic():
        locked = _draft_locked(call, actor)
        changed = model_update(locked, data=data, fields=CALL_FIELDS, actor=actor)
    if changed:
        call.refresh_from_db()  # the caller's object shows what was saved
    return changed


@dataclass
class DraftRows:
    """One list of a draft changed at once (its phases, a phase's criteria, its questions …).

    ``parent`` is the call or one of its phases; ``update`` maps a row's id to its new values,
    ``create`` holds the values of new rows, ``delete`` the ids of rows to remove. Only
    ``fields`` are written. ``ordered`` lists (with an ``order``) are numbered 1, 2, 3 …
    afterwards, so that the first phase is always phase 1.
    """

    parent: models.Model
    model: type[models.Model]
    fields: Sequence[str]
    update: dict[int, dict[str, Any]] = field(default_factory=dict)
    create: list[dict[str, Any]] = field(default_factory=list)
    delete: list[int] = field(default_factory=list)
    ordered: bool = True

    @property
    def link(self) -> str:
        """The name of the row's foreign key to its parent."""
        return next(
            each.name
            for each in self.model._meta.concrete_fields
            if each.many_to_one and each.related_model is type(self.parent)
        )


def _write_rows(call: Call, rows: DraftRows, actor: User) -> None:
    parent = rows.parent
    if parent != call and getattr(parent, "call_id", None) != call.pk:
        raise NotAllowed()
    siblings = rows.model._default_manager.filter(**{rows.link: parent})
    for row in siblings.filter(pk__in=rows.delete):
        row.delete()  # one by one: each deletion is in the audit trail
    for row in siblings.filter(pk__in=list(rows.update)):
        model_update(row, data=rows.update[row.pk], fields=rows.fields, actor=actor)
    next_order = (siblings.aggregate(n=Max("order"))["n"] or 0) + 1 if rows.ordered else None
    for values in rows.create:
        row = rows.model(**{rows.link: parent})
        for name in rows.fields:
            if name in values:
                setattr(row, name, values[name])
        if next_order is not None:
            row.order = next_order  # type: ignore[attr-defined]  # ordered rows have "order"
            next_order += 1
        row.full_clean(
            exclude=[
                each.name for each in row._meta.concrete_fields if each.name not in rows.fields
            ],
            validate_unique=False,
            validate_constraints=False,
        )
        row.save()
    if rows.ordered:
        # Ascending renumbering never collides with a unique (parent, order) constraint.
        for position, row in enumerate(siblings.order_by("order", "pk"), 1):
            if row.order != position:  # type: ignore[attr-defined]
                row.order = position  # type: ignore[attr-defined]
                row.save(update_fields=["order"])


def call_update_draft_rows(*, call: Call, actor: User, changes: Sequence[DraftRows]) -> None:
    """Change lists of a draft (phases, criteria, required documents, prizes, questions).

    A contest phase's prizes must keep their rules (``prizes_problem``); the phase's maximum
    per award and planned number of awards then follow from them (the highest prize, the
    number of prizes), so that the committee's advice and the decisions count prizes.
    """
    with transaction.atomic():
        locked = _draft_locked(call, actor)
        for rows in changes:
            _write_rows(locked, rows, actor)
            if rows.model is Prize:
                _phase_follows_prizes(Phase.objects.get(pk=rows.parent.pk), actor)


def prizes_problem(prizes: Sequence[tuple[int, Decimal, int]], *, budget: Decimal) -> str | None:
    """Why these prizes ((rank, amount, number) each) cannot be a phase's; None if they can.

    Ranks run 1, 2, 3 … without gaps or doubles; every amount is more than € 0 and none is
    higher than a prize of a better rank; together (amount × number) they fit the budget.
    """
    ranks = sorted(rank for rank, _amount, _count in prizes)
    if len(set(ranks)) != len(ranks):
        return _("Two prizes have the same rank: give every rank once.")
    if ranks != list(range(1, len(ranks) + 1)):
        return _("The ranks must run 1, 2, 3 … without gaps.")
    if any(amount is None or amount <= 0 for _rank, amount, _count in prizes):
        return _("Every prize must be more than € 0.")
    if any(count is None or count < 1 for _rank, _amount, count in prizes):
        return _("Every rank needs at least one prize.")
    by_rank = [amount for _rank, amount, _count in sorted(prizes)]
    if any(lower > higher for higher, lower in pairwise(by_rank)):
        return _("A prize cannot be higher than the prize of a better rank.")
    total = sum((amount * count for _rank, amount, count in prizes), Decimal("0.00"))
    if total > budget:
        return _("The prizes add up to %(total)s, more than the phase's budget of %(budget)s.") % {
            "total": euro(total),
            "budget": euro(budget),
        }
    return None


def _phase_follows_prizes(phase: Phase, actor: User) -> None:
    prizes = list(phase.prizes.all())
    if problem := prizes_problem(
        [(p.rank, p.amount, p.count) for p in prizes], budget=phase.budget
    ):
        raise DomainError(problem, code="prizes")
    data = {
        "max_per_award": max((p.amount for p in prizes), default=Decimal("0.00")),
        "planned_awards": sum((p.count for p in prizes), 0) or 1,
    }
    model_update(phase, data=data, fields=list(data), actor=actor)


def call_document_delete(*, call: Call, actor: User, document: CallDocument) -> None:
    """Remove a document of a draft; django-cleanup removes its file once this commits."""
    with transaction.atomic():
        locked = _draft_locked(call, actor)
        locked.documents.filter(pk=document.pk).get().delete()


def call_document_add(*, call: Call, actor: User, title: str, file: UploadedFile) -> CallDocument:
    """A PDF for everyone to read with the call; checked like proposal uploads.

    Extension, declared type and content (libmagic) must agree on PDF, and clamd scans it
    when configured. It is stored privately and served by calls:document, which shows a
    draft's documents only to the authority's officers.
    """
    _require(actor, "calls.manage_call", call)
    check_upload(file, allowed=PDF_ONLY)
    if call.status not in (Call.Status.DRAFT, Call.Status.PUBLISHED):
        raise DomainError(_("Documents can only be added before the deadline."), code="frozen")
    return CallDocument.objects.create(
        call=call, title=title, file=file, size=file.size or 0, uploaded_by=actor
    )


# --- Publication and the lifecycle ---------------------------------------------------------


def call_publication_problems(call: Call, *, now: datetime | None = None) -> list[str]:
    """Everything that keeps a draft from being published; empty when it is complete."""
    now = now or timezone.now()
    problems = []
    phases = list(call.phases.prefetch_related("criteria", "prizes"))
    if problem := standstill_problem(
        instrument=call.instrument, days=call.standstill_days, reason=call.standstill_reason
    ):
        problems.append(problem)
    if not phases:
        problems.append(_("The call has no phase."))
    phase_total = sum((p.budget for p in phases), Decimal("0.00"))
    if phase_total > call.total_budget:
        problems.append(
            _("The phase budgets (%(phases)s) exceed the call's budget (%(total)s).")
            % {"phases": euro(phase_total), "total": euro(call.total_budget)}
        )
    for phase in phases:
        criteria = list(phase.criteria.all())
        if not criteria:
            problems.append(
                _("%(phase)s has no assessment criterion.") % {"phase": phase.display_name}
            )
        elif (weights := sum(c.weight for c in criteria)) != 100:
            problems.append(
                _("The weights of %(phase)s add up to %(sum)s%%, not 100%%.")
                % {"phase": phase.display_name, "sum": weights}
            )
        if phase.budget <= 0 or phase.max_per_award <= 0:
            problems.append(
                _("%(phase)s needs a budget and a maximum per award.")
                % {"phase": phase.display_name}
            )
        if phase.deadline and phase.deadline < call.deadline:
            problems.append(
                _("The deadline of %(phase)s lies before the call's deadline.")
                % {"phase": phase.display_name}
            )
    if call.deadline <= now:
        problems.append(_("The deadline lies in the past."))
    if call.questions_deadline <= now:
        problems.append(_("The deadline for questions lies in the past."))
    if call.instrument == Call.Instrument.INNOVATION_PARTNERSHIP:
        problems += _partnership_problems(call, now)
    if call.is_contest:
        for phase in phases:
            prizes = list(phase.prizes.all())
            if not prizes:
                problems.append(_("%(phase)s has no prizes.") % {"phase": phase.display_name})
            elif sum((p.total for p in prizes), Decimal("0.00")) > phase.budget:
                problems.append(
                    _("The prizes of %(phase)s exceed its budget.") % {"phase": phase.display_name}
                )
            elif problem := prizes_problem(
                [(p.rank, p.amount, p.count) for p in prizes], budget=phase.budget
            ):
                problems.append(f"{phase.display_name}: {problem}")
    return problems


def _partnership_problems(call: Call, now: datetime) -> list[str]:
    problems = []
    if not call.participation_deadline:
        problems.append(
            _("An innovation partnership needs a deadline for requests to participate.")
        )
    elif call.participation_deadline < now + MIN_PARTICIPATION_PERIOD:
        problems.append(
            _("Requests to participate must be open for at least 30 days after publication.")
        )
    elif call.participation_deadline >= call.deadline:
        problems.append(_("Requests to participate must close before the deadline for tenders."))
    if not call.reserves_right_to_stop:
        problems.append(
            _(
                "An innovation partnership must state in advance that the authority may stop "
                "after any phase or reduce the number of partners."
            )
        )
    return problems


def call_publish(*, call: Call, actor: User) -> Call:
    _require(actor, "calls.manage_call", call)
    with transaction.atomic():
        call = _locked(call)
        states.check(call, Call.Status.PUBLISHED)
        if problems := call_publication_problems(call):
            raise DomainError(" ".join(problems), code="incomplete")
        call.publication_date = timezone.now()
        states.transition(
            call,
            Call.Status.PUBLISHED,
            actor=actor,
            extra_fields=["publication_date", "updated_at"],
        )
        signals.call_published.send(sender=Call, call=call, actor=actor)
    return call


def call_close(*, call: Call, actor: User | None = None) -> Call:
    """Close a call by hand (actor given) or automatically at its deadline (actor None)."""
    if actor is not None:
        _require(actor, "calls.manage_call", call)
    with transaction.atomic():
        call = _locked(call)
        states.check(call, Call.Status.CLOSED)
        if timezone.now() < call.deadline:
            # Closing early would shut out companies still working on their proposal.
            raise DomainError(
                _("The call is open until %(moment)s. To stop it earlier, cancel it with a reason.")
                % {"moment": _moment(call.deadline)},
                code="open",
            )
        call.closed_at = timezone.now()
        states.transition(
            call, Call.Status.CLOSED, actor=actor, extra_fields=["closed_at", "updated_at"]
        )
    return call


def calls_close_expired(*, now: datetime | None = None) -> int:
    """Close every published call whose deadline has passed; safe to run on many workers."""
    now = now or timezone.now()
    closed = 0
    due = Call.objects.filter(status=Call.Status.PUBLISHED, deadline__lte=now)
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            # skip_locked: another worker closing the same call right now is fine.
            call = (
                Call.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, status=Call.Status.PUBLISHED)
                .first()
            )
            if call is None:
                continue
            call.closed_at = now
            states.transition(
                call, Call.Status.CLOSED, actor=None, extra_fields=["closed_at", "updated_at"]
            )
            closed += 1
    return closed


def _simple_transition(call: Call, actor: User, to_state: str) -> Call:
    _require(actor, "calls.manage_call", call)
    with transaction.atomic():
        call = _locked(call)
        states.transition(call, to_state, actor=actor, extra_fields=["updated_at"])
    return call


def call_start_assessment(*, call: Call, actor: User) -> Call:
    """Moved by proposals' assessment_open with the first phase's proposals, never alone:
    a call under assessment must have its proposals with the committee."""
    return _simple_transition(call, actor, Call.Status.UNDER_ASSESSMENT)


def call_mark_awarded(*, call: Call, actor: User) -> Call:
    return _simple_transition(call, actor, Call.Status.AWARDED)


def call_resume_assessment(*, call: Call, actor: User, reason: str) -> Call:
    """The call ended with the decisions on its first phase (awarded, or cancelled because
    none could be awarded) and one of them was revoked on objection: it is under assessment
    again until that entry's new decision, which ends it again (proposals'
    ``_finish_phase_if_decided``). The caller holds the locks of the decision; the audit trail
    keeps the cancellation's reason, which no longer applies."""
    _require(actor, "calls.manage_call", call)
    with transaction.atomic():
        call = _locked(call)
        call.cancellation_reason = ""
        states.transition(
            call,
            Call.Status.UNDER_ASSESSMENT,
            actor=actor,
            extra_fields=["cancellation_reason", "updated_at"],
        )
        signals.call_assessment_resumed.send(sender=Call, call=call, actor=actor, reason=reason)
    return call


def call_complete(*, call: Call, actor: User) -> Call:
    """The trajectory is done. Refused while contracts still run (the proposals app says so);
    what EZK granted and did not pay goes back to its fund (the funding app books it)."""
    _require(actor, "calls.manage_call", call)
    with transaction.atomic():
        call = _locked(call)
        states.transition(call, Call.Status.COMPLETED, actor=actor, extra_fields=["updated_at"])
        call_ended.send(
            sender=Call, call=call, actor=actor, reason=_("The trajectory was completed.")
        )
    return call


def call_cancel(*, call: Call, actor: User, reason: str) -> Call:
    _require(actor, "calls.manage_call", call)
    if not reason.strip():
        raise DomainError(_("Give the reason for cancelling the call."), code="reason")
    with transaction.atomic():
        call = _locked(call)
        states.check(call, Call.Status.CANCELLED)
        call.cancellation_reason = reason.strip()
        states.transition(
            call,
            Call.Status.CANCELLED,
            actor=actor,
            extra_fields=["cancellation_reason", "updated_at"],
        )
        call_ended.send(sender=Call, call=call, actor=actor, reason=call.cancellation_reason)
        _notify_followers_on_commit(call, "cancelled")
    return call


# --- Amendments -------------------------------------------------------------------------------


def call_may_amend(call: Call, field: str = "") -> bool:
    """Whether an amendment may change the call now (only while it is open), and ``field`` of
    it when given (``AMENDABLE_FIELDS``): the amend page, its service and the notices' hints
    ask this."""
    return call.status == Call.Status.PUBLISHED and (not field or field in AMENDABLE_FIELDS)


def call_amend_check(*, call: Call, actor: User, reason: str, changes: dict) -> None:
    """Raise the DomainError ``call_amend`` would raise for these changes, writing nothing:
    the page asks for confirmation only of an amendment that can be published."""
    _require(actor, "calls.manage_call", call)
    if not reason.strip():
        raise DomainError(_("Give the reason for the amendment."), code="reason")
    unknown = set(changes) - set(AMENDABLE_FIELDS)
    if unknown:
        raise DomainError(
            _("These parts of a published call cannot be changed: %(fields)s.")
            % {"fields": ", ".join(sorted(unknown))},
            code="frozen",
        )
    if not call_may_amend(call):
        raise DomainError(_("Only a call that is open can be amended."), code="frozen")
    now = timezone.now()
    new_deadline = changes.get("deadline")
    if new_deadline and new_deadline < call.deadline:
        raise DomainError(
            _("An amendment may extend the deadline, never shorten it."), code="deadline"
        )
    if new_deadline and new_deadline <= now:
        raise DomainError(_("The new deadline lies in the past."), code="deadline")
    questions_deadline = changes.get("questions_deadline", call.questions_deadline)
    if "questions_deadline" in changes and questions_deadline <= now:
        raise DomainError(
            _("The new deadline for questions lies in the past."), code="questions_deadline"
        )
    if questions_deadline > (new_deadline or call.deadline):
        raise DomainError(
            _("The deadline for questions must not lie after the deadline."),
            code="questions_deadline",
        )
    if not any(getattr(call, field) != value for field, value in changes.items()):
        raise DomainError(_("The amendment changes nothing."), code="empty")
    if set(changes) & set(VALIDITY_FIELDS):
        _validity_amendment_check(call, changes, now)


def _validity_amendment_check(call: Call, changes: dict, now: datetime) -> None:
    """A new validity period: for a procurement, before the deadline, within a year."""
    if call.is_contest:
        raise DomainError(
            _("A prize competition or hackathon has no validity period for proposals."),
            code="frozen",
        )
    value = changes.get("tender_validity", call.tender_validity)
    unit = changes.get("tender_validity_unit") or call.tender_validity_unit
    if call.deadline <= now:
        raise DomainError(
            _(
                "The deadline has passed: the proposals bind the companies as they were "
                "submitted, so their validity period can no longer change."
            ),
            code="tender_validity",
        )
    if not value:
        raise DomainError(
            _("An amendment can change the validity period of proposals, not remove it.")
            if call.tender_validity
            else _("Give the number of days, weeks or months that proposals remain valid."),
            code="tender_validity",
        )
    problem = Call.validity_problem(value, unit)
    if problem:
        raise DomainError(problem, code="tender_validity")


def call_amend(*, call: Call, actor: User, reason: str, changes: dict) -> Amendment:
    """Change a published call openly: recorded with its reason and announced to followers."""
    with transaction.atomic():
        call = _locked(call)
        call_amend_check(call=call, actor=actor, reason=reason, changes=changes)
        new_deadline = changes.get("deadline")
        old_deadline = call.deadline
        recorded = {}
        validity_before = (call.tender_validity, call.tender_validity_unit)
        for field, value in changes.items():
            old = getattr(call, field)
            if old != value:
                recorded[field] = [amendment_value(old), amendment_value(value)]
                setattr(call, field, value)
        changed = list(recorded)
        if set(recorded) & set(VALIDITY_FIELDS):
            # One change with its unit ("3 MONTH"), read as "– → 3 months" in the reader's
            # language.
            recorded.pop("tender_validity_unit", None)
            recorded["tender_validity"] = [
                validity_value(*validity_before),
                validity_value(call.tender_validity, call.tender_validity_unit),
            ]
        if not recorded:
            raise DomainError(_("The amendment changes nothing."), code="empty")
        number = (call.amendments.aggregate(n=Max("number"))["n"] or 0) + 1
        amendment = Amendment.objects.create(
            call=call,
            number=number,
            reason=reason.strip(),
            changes=recorded,
            previous_deadline=old_deadline if "deadline" in recorded else None,
            new_deadline=call.deadline if "deadline" in recorded else None,
            created_by=actor,
        )
        call.save(update_fields=[*changed, "updated_at"])
        if "deadline" in recorded:
            call.phases.filter(order=1).update(deadline=new_deadline)
        signals.call_amended.send(sender=Call, call=call, amendment=amendment, actor=actor)
        _notify_followers_on_commit(call, "amendment", amendment_id=amendment.pk)
    return amendment


# --- Following and clarification questions (nota van inlichtingen) -------------------------


def call_follow(*, call: Call, actor: User) -> Follower:
    _require(actor, "calls.follow_call", call)
    follower, _created = Follower.objects.get_or_create(call=call, user=actor)
    return follower


def call_unfollow(*, call: Call, actor: User) -> None:
    Follower.objects.filter(call=call, user=actor).delete()


def _notify_followers_on_commit(call: Call, event: str, **ids) -> None:
    from ..tasks import notify_followers

    outbox_enqueue(notify_followers, call.pk, event, **ids)


def phase_budget_total(call: Call) -> Decimal:
    return call.phases.aggregate(total=Sum("budget"))["total"] or Decimal("0.00")


def phase_deadline_set(*, phase: Phase, actor: User, deadline: datetime) -> Phase:
    """Give a later phase (e.g. the prototype phase) its deadline once the call is running.

    Once set it may be extended, never brought forward: companies plan on it.
    """
    _require(actor, "calls.manage_call", phase.call)
    with transaction.atomic():
        phase = Phase.objects.select_for_update().select_related("call").get(pk=phase.pk)
        call = phase.call
        if phase.order == 1:
            raise DomainError(
                _("The first phase follows the call's deadline; amend the call to change it."),
                code="first_phase",
            )
        if call.status in (Call.Status.DRAFT, Call.Status.CANCELLED, Call.Status.COMPLETED):
            raise DomainError(_("Set phase deadlines of a draft on its phases page."), code="state")
        if deadline <= timezone.now() or deadline <= call.deadline:
            raise DomainError(
                _("The deadline must lie in the future and after the call's deadline."),
                code="deadline",
            )
        if phase.deadline and deadline < phase.deadline:
            raise DomainError(
                _("A phase deadline may be extended, never brought forward."), code="deadline"
            )
        phase.deadline = deadline
        phase.save(update_fields=["deadline"])
    return phase
