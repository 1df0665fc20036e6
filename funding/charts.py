"""Charts drawn on the server as inline SVG: no JavaScript, readable without the picture.

Every chart carries a <title> and a <desc> with the same numbers as words, and the page shows
those numbers in a table as well, so a screen reader or a text browser misses nothing.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from portal.templatetags.portal import euro

WIDTH = 600
HEIGHT = 28
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Segment:
    label: str
    amount: Decimal
    colour: str  # a presentation attribute, not a style: allowed by the CSP


def stacked_bar(*, chart_id: str, title: str, segments: list[Segment]) -> SafeString:
    """A horizontal bar split into segments in proportion to their amounts."""
    total = sum((segment.amount for segment in segments), ZERO)
    description = "; ".join(
        _("%(label)s: %(amount)s") % {"label": segment.label, "amount": euro(segment.amount)}
        for segment in segments
    )
    rects = []
    x = Decimal(0)
    for segment in segments:
        if total <= ZERO or segment.amount <= ZERO:
            continue
        width = (segment.amount / total * WIDTH).quantize(Decimal("0.01"))
        rects.append((x, width, segment.colour, segment.label, euro(segment.amount)))
        x += width
    if not rects:  # nothing in the fund yet: an empty outline
        rects_html = format_html(
            '<rect x="0" y="0" width="{}" height="{}" fill="#ffffff" stroke="#767676"/>',
            WIDTH,
            HEIGHT,
        )
    else:
        rects_html = format_html_join(
            "",
            '<rect x="{}" y="0" width="{}" height="{}" fill="{}"><title>{}: {}</title></rect>',
            (
                (x, width, HEIGHT, colour, label, amount)
                for x, width, colour, label, amount in rects
            ),
        )
    return format_html(
        '<svg class="funding-chart" id="{id}" role="img" viewBox="0 0 {w} {h}" width="100%" '
        'height="{h}" preserveAspectRatio="none" aria-labelledby="{id}-title {id}-desc" '
        'xmlns="http://www.w3.org/2000/svg">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>{rects}</svg>',
        id=chart_id,
        w=WIDTH,
        h=HEIGHT,
        title=title,
        desc=description,
        rects=rects_html,
    )


def fund_bar(balance) -> SafeString:
    """A fund's money: committed, paid and still available, side by side."""
    return stacked_bar(
        chart_id=f"fund-chart-{balance.fund.pk}",
        title=_("Budget of %(fund)s") % {"fund": balance.fund.name},
        segments=[
            Segment(_("Committed"), balance.committed, "#01689b"),
            Segment(_("Paid"), balance.paid, "#39870c"),
            Segment(_("Available"), balance.available, "#b2d7ee"),
        ],
    )
