"""Charts for the progress report, drawn as SVG on the server (WeasyPrint renders inline SVG).

Each chart has a title and a description with its figures in words, and the report prints the
same figures in a table beside it: a reader who cannot see the picture misses nothing.
"""

from datetime import date
from decimal import Decimal

from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from portal.templatetags.portal import euro

from ..selectors.report import MonthPoint

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 78, 12, 14, 34
COMMITTED_COLOUR = "#01689b"
PAID_COLOUR = "#39870c"
GRID_COLOUR = "#c6ccd2"


def _millions(amount: Decimal) -> str:
    return _("€ %(amount)s mln") % {"amount": f"{amount / 1_000_000:.1f}".replace(".", ",")}


def _svg(chart_id: str, title: str, description: str, body: SafeString, height: int) -> SafeString:
    return format_html(
        '<svg class="report-chart" id="{id}" role="img" viewBox="0 0 {w} {h}" width="{w}" '
        'height="{h}" aria-labelledby="{id}-title {id}-desc" xmlns="http://www.w3.org/2000/svg">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>{body}</svg>',
        id=chart_id,
        w=WIDTH,
        h=height,
        title=title,
        desc=description,
        body=body,
    )


def _nice_top(value: Decimal) -> Decimal:
    """A round upper bound for the y axis: 1, 2, 2.5 or 5 times a power of ten."""
    if value <= 0:
        return Decimal(1)
    magnitude = Decimal(10) ** (len(str(int(value))) - 1)
    for step in (1, 2, Decimal("2.5"), 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def use_over_time(points: list[MonthPoint], appropriated: Decimal) -> SafeString:
    """Cumulative money put to use and paid, month by month, against what was appropriated."""
    title = _("Budget use over time")
    if not points:
        return _svg("chart-use", title, _("Nothing has been committed yet."), SafeString(""), 60)
    top = _nice_top(max(appropriated, points[-1].committed))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    first, last = points[0].month, points[-1].month
    span = max(_months_between(first, last), 1)

    def x(month: date) -> Decimal:
        return LEFT + Decimal(plot_w) * _months_between(first, month) / span

    def y(amount: Decimal) -> Decimal:
        return TOP + plot_h - Decimal(plot_h) * amount / top

    grid = format_html_join(
        "",
        '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="' + GRID_COLOUR + '" stroke-width="1"/>'
        '<text x="{}" y="{}" font-size="10" text-anchor="end" fill="#333333">{}</text>',
        (
            (LEFT, _r(level), WIDTH - RIGHT, _r(level), LEFT - 6, _r(level + 3), _millions(amount))
            for amount, level in ((top * i / 4, y(top * i / 4)) for i in range(5))
        ),
    )
    years = sorted({point.month.year for point in points} | {last.year})
    year_marks = format_html_join(
        "",
        '<text x="{}" y="{}" font-size="10" text-anchor="middle" fill="#333333">{}</text>',
        ((_r(x(date(year, 1, 1) if year > first.year else first)), HEIGHT - 12, year)
         for year in years),
    )  # fmt: skip
    ceiling = format_html(
        '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#8b4a00" stroke-dasharray="6 4"/>',
        LEFT,
        _r(y(appropriated)),
        WIDTH - RIGHT,
        _r(y(appropriated)),
    )

    def line(attribute: str, colour: str) -> SafeString:
        # A step line: an amount holds until the next month changes it.
        coordinates, previous = [], None
        for point in points:
            amount = getattr(point, attribute)
            if previous is not None:
                coordinates.append(f"{_r(x(point.month))},{_r(y(previous))}")
            coordinates.append(f"{_r(x(point.month))},{_r(y(amount))}")
            previous = amount
        return format_html(
            '<polyline points="{}" fill="none" stroke="{}" stroke-width="2.5"/>',
            " ".join(coordinates),
            colour,
        )

    description = _(
        "By %(month)s, %(committed)s of %(appropriated)s had been put to use, of which "
        "%(paid)s was paid."
    ) % {
        "month": date_format(last, "F Y"),
        "committed": euro(points[-1].committed),
        "appropriated": euro(appropriated),
        "paid": euro(points[-1].paid),
    }
    body = format_html(
        "{}{}{}{}{}",
        grid,
        ceiling,
        line("committed", COMMITTED_COLOUR),
        line("paid", PAID_COLOUR),
        year_marks,
    )
    return _svg("chart-use", title, description, body, HEIGHT)


def per_mission(items: list[tuple[str, Decimal]]) -> SafeString:
    """Horizontal bars: money put to use per mission."""
    title = _("Budget use per mission")
    if not items:
        nothing = _("Nothing has been committed yet.")
        return _svg("chart-mission", title, nothing, SafeString(""), 60)
    bar_h, gap, label_w = 22, 10, 250
    top = max(amount for _label, amount in items)
    scale = Decimal(WIDTH - label_w - 110) / top
    height = len(items) * (bar_h + gap) + gap
    bars = format_html_join(
        "",
        '<text x="{}" y="{}" font-size="10" text-anchor="end" fill="#1b1b1b">{}</text>'
        '<rect x="{}" y="{}" width="{}" height="{}" fill="' + COMMITTED_COLOUR + '"/>'
        '<text x="{}" y="{}" font-size="10" fill="#1b1b1b">{}</text>',
        (
            (
                label_w - 8,
                gap + i * (bar_h + gap) + 15,
                label,
                label_w,
                gap + i * (bar_h + gap),
                _r(amount * scale),
                bar_h,
                _r(label_w + amount * scale + 6),
                gap + i * (bar_h + gap) + 15,
                euro(amount),
            )
            for i, (label, amount) in enumerate(items)
        ),
    )
    description = "; ".join(f"{label}: {euro(amount)}" for label, amount in items)
    return _svg("chart-mission", title, description, bars, height)


def _months_between(start: date, end: date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month


def _r(value) -> str:
    return f"{Decimal(value):.1f}"
