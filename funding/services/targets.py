"""Targets (streefcijfers) agreed with contracting authorities."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from portal.exceptions import DomainError, NotAllowed
from portal.permissions import can

from ..models import AuthorityTarget

TARGET_YEARS = (2000, 2100)


def target_add(*, actor, data: dict) -> AuthorityTarget:
    """Ministry staff record a target agreed with an authority.

    `data` holds authority, year, measure, target and procurement_budget (or None). A refusal
    names the field it is about in its code.
    """
    if not can(actor, "funding.view_ledger"):
        raise NotAllowed()
    year, measure = data["year"], data["measure"]
    target, budget = data["target"], data.get("procurement_budget")
    if not TARGET_YEARS[0] <= year <= TARGET_YEARS[1]:
        raise DomainError(
            _("Give a year between %(first)d and %(last)d.")
            % {"first": TARGET_YEARS[0], "last": TARGET_YEARS[1]},
            code="year",
        )
    if target < 0:
        raise DomainError(_("A target cannot be negative."), code="target")
    if budget is not None and budget <= 0:
        raise DomainError(
            _("The procurement budget must be more than zero."), code="procurement_budget"
        )
    if measure == AuthorityTarget.Measure.SHARE:
        if not budget:
            raise DomainError(
                _("A target as a share needs the authority's procurement budget."),
                code="procurement_budget",
            )
        if target > 100:
            raise DomainError(_("A share is at most 100%."), code="target")
    try:
        with transaction.atomic():
            return AuthorityTarget.objects.create(
                authority=data["authority"],
                year=year,
                measure=measure,
                target=target,
                procurement_budget=budget,
            )
    except IntegrityError as error:
        raise DomainError(
            _("%(authority)s already has a target for this measure in %(year)d.")
            % {"authority": data["authority"], "year": year},
            code="duplicate",
        ) from error
