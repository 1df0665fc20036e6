"""What calls add to the portal's pages through CallsConfig (the portal asks every app).

- ``navigation(user)``: the header's entries for calls (a company's requests to participate,
  once it has any).
- ``tasks_for(user)``: "My tasks" on the dashboard for the calls' own objects: clarification
  questions to answer, a call to close after its deadline, and (innovation partnership,
  stage 1) requests to participate to review and invitations to tender to send. The
  invited company's task to tender is the proposals app's: only it knows whether the
  tender is started; while the selection's standstill runs, the calls app tells it when
  tenders open. Four queries at most, whatever the number of calls.
- ``home_sections(request)``: the calls open now on the public home page (one query).
"""

from datetime import timedelta

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from portal.models import Role
from portal.permissions import can
from portal.selectors.identity import roles_of

from .models import Call, ParticipationRequest
from .selectors.calls import (
    calls_acted_for,
    calls_open_now,
    managed_calls_with_open_questions,
)
from .selectors.participation import participation_requests_of_company_member

OPEN_CALLS_SHOWN = 6


def navigation(user) -> list[dict]:
    """The public overview, and an officer's own calls."""
    items = [{"label": gettext_lazy("Calls"), "url": reverse("calls:list")}]
    if user.is_authenticated and can(user, "calls.add_call"):
        items.append({"label": gettext_lazy("My calls"), "url": reverse("calls:officer_list")})
    if Role.APPLICANT in roles_of(user) and participation_requests_of_company_member(user).exists():
        items.append(
            {
                "label": gettext_lazy("My requests to participate"),
                "url": reverse("calls:participation_mine"),
            }
        )
    return items


def task(kind: str, title: str, url: str, deadline=None) -> dict:
    return {"kind": kind, "title": title, "url": url, "deadline": deadline}


def tasks_for(user) -> list[dict]:
    if not user.is_authenticated:
        return []
    roles = roles_of(user)
    tasks = []
    if Role.PROCUREMENT_OFFICER in roles:
        now = timezone.now()
        tasks += _questions_and_closing(user, now)
        tasks += _participation(user, now)
    if Role.APPLICANT in roles:
        tasks += _invited_during_the_standstill(user)
    return tasks


def _invited_during_the_standstill(user) -> list[dict]:
    """An invited candidate while the selection's standstill runs: tenders open after it (the
    proposals app asks for the tender itself from then on)."""
    today = timezone.localdate()
    invited = participation_requests_of_company_member(user).filter(
        invited_at__isnull=False,
        call__status=Call.Status.PUBLISHED,
        call__selection_standstill_ends_on__gte=today,
        call__deadline__gt=timezone.now(),
    )
    return [
        task(
            "tender_soon",
            _("You are invited to tender for %(call)s: tenders open on %(date)s")
            % {
                "call": participation.call.display_title,
                "date": date_format(
                    participation.call.selection_standstill_ends_on + timedelta(days=1),
                    "DATE_FORMAT",
                ),
            },
            reverse("calls:participation_mine"),
            participation.call.deadline,
        )
        for participation in invited
    ]


def _questions_and_closing(user, now) -> list[dict]:
    tasks = []
    for call in managed_calls_with_open_questions(user):
        tasks.append(
            task(
                "clarification_questions",
                ngettext(
                    "Answer %(count)d clarification question about %(call)s",
                    "Answer %(count)d clarification questions about %(call)s",
                    call.open_questions,
                )
                % {"count": call.open_questions, "call": call.display_title},
                reverse("calls:officer_clarifications", kwargs={"pk": call.pk}),
                call.deadline,
            )
        )
    for call in calls_acted_for(user).filter(status=Call.Status.PUBLISHED, deadline__lte=now):
        tasks.append(
            task(
                "close_call",
                _("The deadline has passed: close %(call)s") % {"call": call.display_title},
                reverse("calls:officer_manage", kwargs={"pk": call.pk}),
                call.deadline,
            )
        )
    return tasks


def _participation(user, now) -> list[dict]:
    """Innovation partnership, stage 1: requests to review once their deadline has passed,
    then the invitations to tender to send. One query."""
    tasks = []
    calls = (
        calls_acted_for(user)
        .filter(
            instrument=Call.Instrument.INNOVATION_PARTNERSHIP,
            participation_deadline__lte=now,
            invitations_sent_at__isnull=True,
            status__in=[Call.Status.PUBLISHED, Call.Status.CLOSED],
        )
        .annotate(
            undecided=Count(
                "participation_requests",
                filter=Q(participation_requests__status=ParticipationRequest.Status.SUBMITTED),
                distinct=True,
            ),
            decided=Count(
                "participation_requests",
                filter=Q(
                    participation_requests__status__in=[
                        ParticipationRequest.Status.SELECTED,
                        ParticipationRequest.Status.REJECTED,
                    ]
                ),
                distinct=True,
            ),
        )
        .filter(Q(undecided__gt=0) | Q(decided__gt=0))
    )
    for call in calls:
        url = reverse("calls:officer_participation", kwargs={"pk": call.pk})
        if call.undecided:
            title = ngettext(
                "Review %(count)d request to participate in %(call)s",
                "Review %(count)d requests to participate in %(call)s",
                call.undecided,
            ) % {"count": call.undecided, "call": call.display_title}
            tasks.append(task("review_participation", title, url, call.deadline))
        else:
            title = _("Send the invitations to tender for %(call)s") % {"call": call.display_title}
            tasks.append(task("send_invitations", title, url, call.deadline))
    return tasks


def home_sections(request) -> list[dict]:
    """The open calls: those a company can respond to now, the soonest to close first."""
    calls = list(calls_open_now().prefetch_related(None)[:OPEN_CALLS_SHOWN])
    today = timezone.localdate()
    for call in calls:
        # Calendar days in Europe/Amsterdam: a deadline tomorrow at 09:00 closes "in 1 day".
        call.days_left = (timezone.localdate(call.open_until) - today).days
    return [{"template": "calls/partials/home_open_calls.html", "context": {"calls": calls}}]
