"""What calls put on the dashboard's "My tasks" (portal asks each AppConfig's tasks_for).

Innovation partnership, stage 1: officers review requests to participate once their deadline
has passed and send the invitations to tender. One query at most. The invited company's
task to tender is the proposals app's: only it knows whether the tender is started.
"""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal.models import Role
from portal.selectors import roles_of

from .models import Call, ParticipationRequest
from .selectors import calls_managed_by


def task(kind: str, title: str, url: str, deadline=None) -> dict:
    return {"kind": kind, "title": title, "url": url, "deadline": deadline}


def tasks_for(user) -> list[dict]:
    if not user.is_authenticated:
        return []
    roles = roles_of(user)
    now = timezone.now()
    tasks = []
    if Role.PROCUREMENT_OFFICER in roles:
        calls = (
            calls_managed_by(user)
            .prefetch_related(None)
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
                title = _("Send the invitations to tender for %(call)s") % {
                    "call": call.display_title
                }
                tasks.append(task("send_invitations", title, url, call.deadline))
    return tasks
