"""A confirmation step before what cannot be undone, the same for every such action.

The pattern is a two-step POST. The action's own URL receives the form (or the button) as
before; a POST without ``confirmed=1`` does nothing but show a page that says what will
happen and what cannot be changed afterwards, with a summary and a button that posts the
same data again with ``confirmed=1``. Only that second POST acts. Actions without input
(publishing a call or a nota van inlichtingen) also show the page on GET, so a link to the
action asks first. Nothing needs JavaScript, and the API does not use this: an API client
confirms by calling.

A view asks ``is_confirmed(request)`` before it calls its service and otherwise returns
``confirmation_page(request, Confirmation(...))``. A "change" button on the page posts the
data back with ``revise=1``; ``is_revision(request)`` tells the view to show its bound form
again instead of the page.
"""

from dataclasses import dataclass, field

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.formats import date_format
from django.utils.timezone import localtime

CONFIRMED = "confirmed"
REVISE = "revise"
# What the confirmation page never carries back: the token is rendered afresh.
NOT_CARRIED = frozenset({"csrfmiddlewaretoken", CONFIRMED, REVISE})


@dataclass(frozen=True)
class Replacement:
    """A summary value that replaces a long text: the page shows the current and the new text
    as two blocks, one below the other, rather than run together on one line."""

    old: str
    new: str
    lang: str = ""  # the language the text is written in, when known
    is_replacement: bool = True


@dataclass(frozen=True)
class Confirmation:
    """What the confirmation page says.

    ``happens``: what the action does; ``final``: what cannot be changed afterwards;
    ``summary``: (label, value) rows of what is confirmed, a value a text or a
    ``Replacement``; ``back_url``: where "no" goes;
    ``revisable``: whether a "change" button posts the data back to the form.
    """

    title: str
    lead: str
    happens: list[str]
    final: list[str]
    button: str
    back_url: str
    back_label: str
    summary: list[tuple[str, str | Replacement]] = field(default_factory=list)
    revisable: bool = False
    breadcrumbs: str = ""


def is_confirmed(request: HttpRequest) -> bool:
    """Whether this request is the second step: a POST with ``confirmed=1``."""
    return request.method == "POST" and request.POST.get(CONFIRMED) == "1"


def is_revision(request: HttpRequest) -> bool:
    """Whether the person went back from the confirmation page to change the form."""
    return request.method == "POST" and request.POST.get(REVISE) == "1"


def carried_fields(request: HttpRequest) -> list[tuple[str, str]]:
    """The posted data, to be posted again unchanged from the confirmation page."""
    if request.method != "POST":
        return []
    return [
        (name, value)
        for name, values in request.POST.lists()
        if name not in NOT_CARRIED
        for value in values
    ]


def moment(value) -> str:
    """A moment for a summary row, in Europe/Amsterdam and the active language's notation,
    always with its zone: 20 januari 2027 17:00 CET."""
    if not value:
        return "–"
    local = localtime(value)
    return f"{date_format(local, 'DATETIME_FORMAT')} {local.tzname()}"


def confirmation_page(
    request: HttpRequest, confirmation: Confirmation, *, context: dict | None = None
) -> HttpResponse:
    """The page that asks; its button repeats the request with ``confirmed=1``."""
    return render(
        request,
        "portal/confirm.html",
        {
            **(context or {}),
            "confirmation": confirmation,
            "carried": carried_fields(request),
            "action": request.path,
        },
    )
