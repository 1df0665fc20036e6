"""What every page shares: the icon browsers ask for, and the language of what people typed.

Calls, proposals, questions and decisions are written in Dutch. On an English page such text
is marked lang="nl" (WCAG 3.1.2, language of parts), so that a screen reader reads it in Dutch;
where an English version was entered and is shown, it is not marked.
"""

import io
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse
from PIL import Image

from calls.models import Call
from tests.calls.factories import published_call
from tests.conftest import login_verified
from tests.proposals.factories import complete_draft

pytestmark = pytest.mark.django_db

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class _Languages(HTMLParser):
    """The language in force (the nearest lang attribute) for each piece of text on a page."""

    def __init__(self):
        super().__init__()
        self.stack: list[tuple[str, str | None]] = []
        self.texts: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            self.stack.append((tag, dict(attrs).get("lang")))

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break

    def handle_data(self, data):
        # The document's <title> is one string and cannot mark a part with another language.
        if any(tag in ("title", "script", "style") for tag, _lang in self.stack):
            return
        if data.strip():
            language = next((lang for _tag, lang in reversed(self.stack) if lang), None)
            self.texts.append((" ".join(data.split()), language))


def languages_of(html: str, text: str) -> set[str | None]:
    """The languages in force wherever `text` appears (as a whole text node or within one)."""
    parser = _Languages()
    parser.feed(html)
    found = {language for data, language in parser.texts if text in data}
    assert found, f"{text!r} is not on the page"
    return found


def english(client: Client) -> Client:
    client.cookies["django_language"] = "en"
    return client


# --- The icon --------------------------------------------------------------------------------


def test_favicon_ico_is_a_real_icon_with_a_long_cache(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/vnd.microsoft.icon"
    assert "max-age=604800" in response["Cache-Control"]
    content = b"".join(response.streaming_content)
    icon = Image.open(io.BytesIO(content))
    assert icon.format == "ICO"
    assert (32, 32) in icon.info["sizes"]
    assert client.post("/favicon.ico").status_code == 405


def test_every_page_links_its_icon(client):
    html = client.get(reverse("calls:list")).content.decode()

    assert '<link rel="icon" href="/static/img/favicon.ico"' in html
    assert '<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">' in html


# --- The language of what people typed ---------------------------------------------------------


@pytest.fixture
def call():
    call = published_call(
        title="Slimme sluizen voor de Zuid-Hollandse vaarwegen",
        challenge="Sluizen die zelf hun schutcyclus plannen.",
    )
    return call


def test_dutch_call_text_on_the_english_call_page_is_marked_dutch(call):
    html = english(Client()).get(call.get_absolute_url()).content.decode()

    assert '<html lang="en"' in html
    assert languages_of(html, "Slimme sluizen voor de Zuid-Hollandse vaarwegen") == {"nl"}
    assert languages_of(html, "Sluizen die zelf hun schutcyclus plannen.") == {"nl"}
    # The page's own words stay English.
    assert languages_of(html, "In brief") == {"en"}


def test_an_english_title_shown_on_the_english_page_is_not_marked(call):
    Call.objects.filter(pk=call.pk).update(title_en="Smart locks for the waterways")

    html = english(Client()).get(call.get_absolute_url()).content.decode()

    assert languages_of(html, "Smart locks for the waterways") == {"en"}


def test_dutch_pages_need_no_marks():
    call = published_call(title="Slimme sluizen")

    html = Client().get(call.get_absolute_url()).content.decode()

    assert '<html lang="nl"' in html
    # Only the language switch names its languages; no part of a Dutch page needs a mark.
    body = html.split("<main", 1)[1]
    assert ' lang="' not in body


def test_the_call_list_and_home_page_mark_dutch_titles(call):
    client = english(Client())
    for address in (reverse("calls:list"), reverse("home")):
        html = client.get(address).content.decode()
        assert languages_of(html, "Slimme sluizen voor de Zuid-Hollandse vaarwegen") == {"nl"}


def test_a_company_reads_its_dutch_proposal_marked_dutch_on_english_pages():
    draft = complete_draft()
    client = english(Client())
    client.force_login(draft.person)

    detail = client.get(reverse("proposals:detail", args=[draft.pk])).content.decode()
    mine = client.get(reverse("proposals:mine")).content.decode()

    assert languages_of(detail, "Demontabel viaduct") == {"nl"}
    assert languages_of(detail, "Een viaduct van herbruikbare elementen.") == {"nl"}
    assert languages_of(detail, "Ontwerp, rekenmodel en proefopstelling.") == {"nl"}
    assert languages_of(mine, "Demontabel viaduct") == {"nl"}


def test_an_officer_sees_dutch_titles_marked_on_english_officer_pages():
    call = published_call(title="Slimme sluizen voor de Zuid-Hollandse vaarwegen")
    officer = call.officer
    client = english(login_verified(Client(), officer))

    for address in (
        reverse("calls:officer_list"),
        reverse("calls:officer_manage", args=[call.pk]),
    ):
        html = client.get(address).content.decode()
        assert languages_of(html, call.title) == {"nl"}, address


def test_ministry_staff_see_dutch_call_titles_marked_on_the_english_dashboard():
    from tests.reporting.scenario import scenario

    story = scenario(trajectories=1)
    client = english(login_verified(Client(), story.staff))

    html = client.get(reverse("funding:dashboard")).content.decode()

    assert languages_of(html, story.calls[0].title) == {"nl"}


def test_a_title_typed_with_markup_is_escaped_inside_its_mark(call):
    Call.objects.filter(pk=call.pk).update(title="<b>Vet</b> & sluis")
    client = english(login_verified(Client(), call.officer))

    html = client.get(reverse("calls:officer_manage", args=[call.pk])).content.decode()

    assert '<span lang="nl">&lt;b&gt;Vet&lt;/b&gt; &amp; sluis</span>' in html
    assert "<b>Vet</b>" not in html
