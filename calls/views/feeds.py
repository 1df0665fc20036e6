"""Calls for feed readers and calendars: the Atom feed of new calls and a call's deadlines."""

from datetime import UTC, datetime

from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from icalendar import Calendar, Event

from ..models import Call
from ..selectors.calls import calls_public

FEED_SIZE = 30
SUMMARY_LENGTH = 300


class LatestCallsFeed(Feed):
    """The most recently published calls, newest first."""

    feed_type = Atom1Feed
    title = gettext_lazy("Innovatieloket: new calls for innovation")
    subtitle = gettext_lazy(
        "Calls for innovation (SBIR, innovation partnerships, prize competitions and "
        "hackathons) published by Dutch public bodies."
    )
    link = reverse_lazy("calls:list")

    def items(self):
        return (
            calls_public()
            .filter(publication_date__isnull=False)
            .order_by("-publication_date", "-pk")[:FEED_SIZE]
        )

    def item_title(self, item: Call) -> str:
        return item.display_title

    def item_description(self, item: Call) -> str:
        # Atom's summary is read as HTML: escape the officer's plain text.
        return escape(Truncator(item.display_challenge).chars(SUMMARY_LENGTH))

    def item_link(self, item: Call) -> str:
        return item.get_absolute_url()

    def item_pubdate(self, item: Call) -> datetime:
        return item.publication_date

    def item_updateddate(self, item: Call) -> datetime:
        return max(item.updated_at, item.publication_date)

    def item_author_name(self, item: Call) -> str:
        return item.authority.name

    def item_categories(self, item: Call) -> list[str]:
        return [str(item.get_instrument_display()), *(str(m) for m in item.missions.all())]


def call_deadlines(call: Call) -> list[tuple[str, str, datetime]]:
    """(stable key, label, moment) of each deadline of a call, in time order.

    A phase whose deadline is the call's own deadline (the first phase) is not repeated.
    """
    deadlines = [("questions", _("Deadline for questions"), call.questions_deadline)]
    if call.participation_deadline:
        deadlines.append(
            (
                "participation",
                _("Deadline for requests to participate"),
                call.participation_deadline,
            )
        )
    deadlines.append(("deadline", _("Deadline"), call.deadline))
    for phase in call.phases.all():
        if phase.deadline and phase.deadline != call.deadline:
            deadlines.append(
                (
                    f"phase-{phase.pk}",
                    _("Deadline of %(phase)s") % {"phase": phase.name},
                    phase.deadline,
                )
            )
    return sorted(deadlines, key=lambda deadline: deadline[2])


def call_calendar(call: Call, *, url: str) -> bytes:
    """An iCalendar file with one event per deadline of the call, all in UTC."""
    calendar = Calendar()
    calendar.add("prodid", "-//Innovatieloket//Calls//NL")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{call.reference} {call.display_title}")
    stamp = timezone.now().astimezone(UTC)
    for key, label, moment in call_deadlines(call):
        event = Event()
        event.add("uid", f"call-{call.pk}-{key}@innovatieloket")
        event.add("dtstamp", stamp)
        event.add("dtstart", moment.astimezone(UTC))
        event.add("summary", f"{label}: {call.display_title}")
        event.add("description", f"{call.reference} – {call.authority.name}\n{url}")
        event.add("url", url)
        calendar.add_component(event)
    return calendar.to_ical()
