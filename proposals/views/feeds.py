"""The Atom feed of results: each final award (after the standstill, with its contract) as an
entry, beside the feed of new calls (``calls.views.feeds``). What it says is what the public
call page's results say: the company, the call and phase, the amount and the contract's start;
for a prize competition or hackathon the prize won and the day it was awarded (a prize is no
contract, though the portal pays it through one).
"""

from datetime import datetime, time

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils import timezone, translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.templatetags.portal import euro

from ..selectors.results import FeedAward, latest_final_awards

FEED_SIZE = 50


class LatestResultsFeed(Feed):
    """The most recent final awards, newest contract start first."""

    feed_type = Atom1Feed
    title = gettext_lazy("Innovatieloket: results of calls for innovation")
    subtitle = gettext_lazy(
        "The companies awarded a contract or a prize in a call for innovation, once the "
        "decisions are final (after the standstill period, where there is one)."
    )
    link = reverse_lazy("calls:list")

    def __call__(self, request, *args, **kwargs):
        """In the reader's language (the portal's language choice), or the one ``?lang=``
        asks for: a feed reader has no language switch."""
        language = request.GET.get("lang", "")
        if language in {code for code, _name in settings.LANGUAGES}:
            with translation.override(language):
                return super().__call__(request, *args, **kwargs)
        return super().__call__(request, *args, **kwargs)

    def items(self) -> list[FeedAward]:
        return latest_final_awards(FEED_SIZE)

    def item_title(self, item: FeedAward) -> str:
        if item.is_prize:
            return _("%(company)s: prize %(rank)d, %(call)s, %(phase)s") % {
                "company": item.contract.proposal.company.name,
                "rank": item.prize_rank,
                "call": item.call.display_title,
                "phase": item.phase.display_name,
            }
        return _("%(company)s: %(call)s, %(phase)s") % {
            "company": item.contract.proposal.company.name,
            "call": item.call.display_title,
            "phase": item.phase.display_name,
        }

    def item_description(self, item: FeedAward) -> str:
        facts = {
            "company": item.contract.proposal.company.name,
            "amount": euro(item.contract.amount),
            "title": item.contract.proposal.title,
            "phase": item.phase.display_name,
            "call": item.call.display_title,
            "reference": item.call.reference,
            "authority": item.call.authority.name,
            "date": date_format(item.contract.start_date),
            "rank": item.prize_rank,
        }
        if item.is_prize:
            # A prize is no contract: the entry wins it, from the day the decision is final.
            text = _(
                "%(company)s wins prize %(rank)d (%(amount)s) with the entry “%(title)s” in "
                "%(phase)s of %(call)s (%(reference)s) of %(authority)s. The prize was awarded "
                "on %(date)s."
            )
        else:
            text = _(
                "%(company)s is awarded %(amount)s for “%(title)s” in %(phase)s of the call "
                "%(call)s (%(reference)s) of %(authority)s. The contract starts on %(date)s."
            )
        # Atom's summary is read as HTML: escape the companies' and officers' plain text.
        return escape(text % facts)

    def item_link(self, item: FeedAward) -> str:
        return f"{item.call.get_absolute_url()}#results"

    def item_guid(self, item: FeedAward) -> str:
        return f"{item.call.get_absolute_url()}#award-{item.contract.pk}"

    item_guid_is_permalink = False

    def get_feed(self, obj, request):
        """Atom wants each entry's id an absolute IRI: the guid is made absolute on the
        request's host, as the links are."""
        feed = super().get_feed(obj, request)
        for entry in feed.items:
            entry["unique_id"] = request.build_absolute_uri(entry["unique_id"])
        return feed

    def item_pubdate(self, item: FeedAward) -> datetime:
        return _moment(item)

    def item_updateddate(self, item: FeedAward) -> datetime:
        return _moment(item)

    def item_author_name(self, item: FeedAward) -> str:
        return item.call.authority.name

    def item_categories(self, item: FeedAward) -> list[str]:
        return [str(item.call.get_instrument_display())]


def _moment(item: FeedAward) -> datetime:
    """The contract's start, or the day a prize was awarded (the date the public results
    give), at midnight local time."""
    return timezone.make_aware(datetime.combine(item.contract.start_date, time.min))
