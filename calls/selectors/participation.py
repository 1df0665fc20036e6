"""Innovation partnership, stage 1: reads about requests to participate.

Whether requests can be made now, whether a company was invited to tender (the proposals
app asks this before it takes a tender), and whose requests a person may see.
"""

from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from portal.models import Membership, Organisation, Role, User

from ..models import Call, ParticipationRequest

Status = ParticipationRequest.Status


def is_partnership(call: Call) -> bool:
    return call.instrument == Call.Instrument.INNOVATION_PARTNERSHIP


def participation_open_problem(call: Call, *, now: datetime | None = None) -> str | None:
    """Why no request to participate can be made or withdrawn now, or None if it can."""
    now = now or timezone.now()
    if not is_partnership(call):
        return _("Only an innovation partnership takes requests to participate.")
    if call.status != Call.Status.PUBLISHED or call.participation_deadline is None:
        return _("This call does not take requests to participate.")
    if now >= call.participation_deadline:
        return _("The deadline for requests to participate has passed.")
    return None


def tender_invitation_problem(*, call: Call, company: Organisation) -> str | None:
    """Innovation partnership: only invited companies may tender for the first phase."""
    if not is_partnership(call):
        return None
    invited = ParticipationRequest.objects.filter(
        call=call, company=company, status=Status.SELECTED, invited_at__isnull=False
    ).exists()
    if not invited:
        return _(
            "Only companies invited to tender after the selection of requests to participate "
            "can submit a tender."
        )
    return selection_standstill_problem(call)


def selection_standstill_problem(call: Call) -> str | None:
    """The tender stage opens once the standstill after the selection has passed (the
    candidates not selected may object until then)."""
    ends_on = call.selection_standstill_ends_on
    if ends_on is not None and timezone.localdate() <= ends_on:
        return _(
            "The standstill period of the selection runs until and including %(date)s; "
            "tenders can be made after it."
        ) % {"date": date_format(ends_on)}
    return None


# --- Reads -------------------------------------------------------------------------------------


def participation_requests_of_company_member(user: User) -> QuerySet[ParticipationRequest]:
    companies = Membership.objects.filter(user=user, role=Role.APPLICANT).values("organisation_id")
    return ParticipationRequest.objects.filter(company_id__in=companies).select_related(
        "call__authority", "company"
    )


def participation_requests_for_officer(
    user: User, *, now: datetime | None = None
) -> QuerySet[ParticipationRequest]:
    """Requests of the calls this officer manages, once their deadline has passed.

    Like sealed tenders, requests are opened only after the deadline for requests.
    """
    now = now or timezone.now()
    authorities = Membership.objects.filter(user=user, role=Role.PROCUREMENT_OFFICER).values(
        "organisation_id"
    )
    return ParticipationRequest.objects.filter(
        call__authority_id__in=authorities, call__participation_deadline__lte=now
    ).select_related("call__authority", "company")


def no_participation_requests() -> QuerySet[ParticipationRequest]:
    return ParticipationRequest.objects.none()


def participation_requests_visible_to(
    user: User, *, officer_of: set[int]
) -> QuerySet[ParticipationRequest]:
    """The person's companies' requests, and those of the calls of the authorities in
    ``officer_of`` once their deadline has passed (like sealed tenders); newest first."""
    companies = Membership.objects.filter(user=user, role=Role.APPLICANT).values("organisation_id")
    visible = Q(company_id__in=companies) | Q(
        call__authority_id__in=officer_of,
        call__participation_deadline__lte=timezone.now(),
    )
    return (
        ParticipationRequest.objects.filter(visible)
        .select_related("call", "company")
        .order_by("-submitted_at", "-pk")
    )


def officer_authority_ids(user: User) -> set[int]:
    """The authorities in which this person is a procurement officer."""
    return set(
        Membership.objects.filter(user=user, role=Role.PROCUREMENT_OFFICER).values_list(
            "organisation_id", flat=True
        )
    )
