"""Innovation partnership, stage 1: the call's selection criteria and exclusion grounds.

A new innovation partnership starts with the standard UEA/ESPD exclusion grounds and one
selection criterion per category; the officer adjusts them while the call is a draft. From
publication on they are frozen: candidates declare against them and are judged on them.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import translation
from django.utils.translation import gettext as _

from portal.exceptions import DomainError, NotAllowed
from portal.models import User
from portal.permissions import can

from ..models import Call, ExclusionGround, SelectionCriterion
from ..structures import EXCLUSION_GROUNDS, SELECTION_CRITERIA


@dataclass(frozen=True)
class GroundAnswer:
    """A candidate's answer on one exclusion ground."""

    applies: bool
    explanation: str = ""
    self_cleaning: str = ""


@dataclass(frozen=True)
class GroundDecision:
    """The officer's decision on an exclusion ground the candidate answered "yes"."""

    exclude: bool
    reason: str


@dataclass(frozen=True)
class CriterionAssessment:
    """The officer's assessment of one selection criterion."""

    meets: bool
    reason: str


def _in(language: str, text) -> str:
    with translation.override(language):
        return str(text)


def selection_seed_defaults(*, call: Call) -> None:
    """The standard exclusion grounds and selection criteria of a new innovation partnership
    (called inside call_create's transaction); names in Dutch and English."""
    if call.instrument != Call.Instrument.INNOVATION_PARTNERSHIP:
        return
    nl = settings.LANGUAGE_CODE
    if not call.exclusion_grounds.exists():
        ExclusionGround.objects.bulk_create(
            ExclusionGround(
                call=call,
                order=order,
                code=code,
                kind=kind,
                name=_in(nl, name),
                name_en=_in("en", name),
            )
            for order, (code, kind, name) in enumerate(EXCLUSION_GROUNDS, 1)
        )
    if not call.selection_criteria.exists():
        SelectionCriterion.objects.bulk_create(
            SelectionCriterion(
                call=call,
                order=order,
                category=category,
                description=_in(nl, description),
                minimum_level=_in(nl, minimum),
                evidence=_in(nl, evidence),
            )
            for order, (category, description, minimum, evidence) in enumerate(
                SELECTION_CRITERIA, 1
            )
        )


def _draft(call: Call, actor: User) -> Call:
    if not can(actor, "calls.manage_call", call):
        raise NotAllowed()
    locked = Call.objects.select_for_update().get(pk=call.pk)
    if locked.instrument != Call.Instrument.INNOVATION_PARTNERSHIP:
        raise DomainError(
            _("Only an innovation partnership has a selection of candidates."), code="instrument"
        )
    if locked.status != Call.Status.DRAFT:
        raise DomainError(
            _("Selection criteria and exclusion grounds are frozen once the call is published."),
            code="frozen",
        )
    return locked


def selection_criterion_add(
    *,
    call: Call,
    actor: User,
    category: str,
    description: str,
    minimum_level: str,
    evidence: str = "",
) -> SelectionCriterion:
    if category not in SelectionCriterion.Category.values:
        raise DomainError(_("Choose a category."), code="category")
    if not description.strip():
        raise DomainError(_("Describe the criterion."), code="description")
    if not minimum_level.strip():
        raise DomainError(_("State the minimum level."), code="minimum_level")
    with transaction.atomic():
        call = _draft(call, actor)
        last = call.selection_criteria.aggregate(last=Max("order"))["last"] or 0
        return SelectionCriterion.objects.create(
            call=call,
            order=last + 1,
            category=category,
            description=description.strip(),
            minimum_level=minimum_level.strip(),
            evidence=evidence.strip(),
        )


def selection_criterion_delete(*, criterion: SelectionCriterion, actor: User) -> None:
    with transaction.atomic():
        _draft(criterion.call, actor)
        criterion.delete()


def exclusion_ground_add(*, call: Call, actor: User, kind: str, name: str) -> ExclusionGround:
    if kind not in ExclusionGround.Kind.values:
        raise DomainError(_("Choose whether the ground is mandatory."), code="kind")
    if not name.strip():
        raise DomainError(_("Name the exclusion ground."), code="name")
    with transaction.atomic():
        call = _draft(call, actor)
        last = call.exclusion_grounds.aggregate(last=Max("order"))["last"] or 0
        return ExclusionGround.objects.create(
            call=call, order=last + 1, kind=kind, name=name.strip()
        )


def exclusion_ground_delete(*, ground: ExclusionGround, actor: User) -> None:
    with transaction.atomic():
        _draft(ground.call, actor)
        if ground.is_mandatory and ground.code:
            raise DomainError(
                _("A mandatory exclusion ground of the law cannot be removed."), code="mandatory"
            )
        ground.delete()


def selection_minimum_set(*, call: Call, actor: User, minimum: int) -> Call:
    """The minimum number of candidates the call invites: at least three (art. 2.99 Aw)."""
    if minimum < 3:
        raise DomainError(
            _("Invite at least three candidates: the law sets that minimum."),
            code="min_invitations",
        )
    with transaction.atomic():
        call = _draft(call, actor)
        if call.max_partners and minimum < call.max_partners:
            # The partners are chosen from the candidates invited: fewer cannot fill the places.
            raise DomainError(
                _(
                    "Invite at least as many candidates as the partnership may have partners "
                    "(%(partners)s)."
                )
                % {"partners": call.max_partners},
                code="min_invitations",
            )
        call.min_invitations = minimum
        call.save(update_fields=["min_invitations", "updated_at"])
    return call
