"""Charts drawn on the server as inline SVG: no JavaScript, readable without the picture.

Every chart carries a <title> and a <desc> with the same numbers as words, and the page shows
those numbers in a table as well, so a screen reader or a text browser misses nothing.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from portal.money import ZERO
from portal.templatetags.portal import euro

WIDTH = 600
HEIGHT = 28


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


# The fund bar's colours, also shown beside each amount as the chart's legend.
FUND_COLOURS = {"committed": "#01689b", "paid": "#39870c", "available": "#b2d7ee"}


def fund_bar(balance) -> SafeString:
    """A fund's money: committed, paid and still available, side by side."""
    return stacked_bar(
        chart_id=f"fund-chart-{balance.fund.pk}",
        title=_("Budget of %(fund)s") % {"fund": balance.fund.name},
        segments=[
            Segment(_("Committed"), balance.committed, FUND_COLOURS["committed"]),
            Segment(_("Paid"), balance.paid, FUND_COLOURS["paid"]),
            Segment(_("Available"), balance.available, FUND_COLOURS["available"]),
        ],
    )


def swatch(colour: str) -> SafeString:
    """A legend's coloured square; decoration only, the label beside it says what it is."""
    return format_html(
        '<svg class="funding-swatch" aria-hidden="true" focusable="false" width="14" height="14" '
        'viewBox="0 0 14 14"><rect width="14" height="14" fill="{}" stroke="#1a1a1a" '
        'stroke-width="0.5"/></svg>',
        colour,
    )


FUNNEL_ROW = 30
FUNNEL_LABEL = 210


def funnel(*, chart_id: str, title: str, steps: list[tuple[str, int]]) -> SafeString:
    """Horizontal bars that narrow from step to step: how many proposals went on."""
    widest = max((count for _label, count in steps), default=0) or 1
    space = WIDTH - FUNNEL_LABEL - 60
    description = "; ".join(
        _("%(label)s: %(count)s") % {"label": label, "count": count} for label, count in steps
    )
    rows = []
    for row, (label, count) in enumerate(steps):
        # A step with any proposals gets at least a sliver, so that it never reads as none.
        width = max(round(count / widest * space), 1) if count else 0
        baseline = row * FUNNEL_ROW + 19
        rows.append(
            {
                "baseline": baseline,
                "label": label,
                "x": FUNNEL_LABEL,
                "y": row * FUNNEL_ROW + 4,
                "width": width,
                "height": FUNNEL_ROW - 8,
                "count_x": FUNNEL_LABEL + width + 6,
                "count": count,
            }
        )
    bars = format_html_join(
        "",
        '<text x="0" y="{baseline}" font-size="13" fill="#1a1a1a">{label}</text>'
        '<rect x="{x}" y="{y}" width="{width}" height="{height}" fill="#01689b"/>'
        '<text x="{count_x}" y="{baseline}" font-size="13" fill="#1a1a1a">{count}</text>',
        rows,
    )
    return format_html(
        '<svg class="funding-chart funding-chart--funnel" id="{id}" role="img" '
        'viewBox="0 0 {w} {h}" width="100%" aria-labelledby="{id}-title {id}-desc" '
        'xmlns="http://www.w3.org/2000/svg">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>{bars}</svg>',
        id=chart_id,
        w=WIDTH,
        h=FUNNEL_ROW * len(steps),
        title=title,
        desc=description,
        bars=bars,
    )
