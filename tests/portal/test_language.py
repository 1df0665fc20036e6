import ast
import gettext
import re
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.django_db


def test_dutch_by_default_even_when_the_browser_asks_english(client):
    page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    html = page.content.decode()
    assert '<html lang="nl"' in html
    assert "Publieke organisaties als eerste klant van innovatie" in html


def test_language_switch_without_javascript(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302

    html = client.get(reverse("home")).content.decode()
    assert '<html lang="en"' in html
    assert "Public bodies as launching customer for innovation" in html


def test_language_switch_refuses_an_offsite_next(client):
    response = client.post(
        reverse("set_language"), {"language": "en", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def read_po(path: Path) -> dict:
    """The catalogue as gettext holds it: msgid -> msgstr, (msgid, n) -> plural form n.

    Fuzzy and untranslated entries are left out, as msgfmt leaves them out. A message with a
    context (pgettext, ``{% translate … context … %}``) is keyed "context\x04msgid", as in
    the compiled catalogue.
    """
    entries, current, key, fuzzy = {}, {}, None, False

    def flush():
        nonlocal current, fuzzy
        if "msgid" in current and not fuzzy:
            msgid = current["msgid"]
            if "msgctxt" in current:
                msgid = f"{current['msgctxt']}\x04{msgid}"
            if "msgid_plural" in current:
                forms = [k for k in current if k.startswith("msgstr[")]
                if all(current[k] for k in forms):
                    for k in forms:
                        entries[(msgid, int(k[7:-1]))] = current[k]
            elif current.get("msgstr"):
                entries[msgid] = current["msgstr"]
        current, fuzzy = {}, False

    for line in [*path.read_text().splitlines(), ""]:
        if not line.strip():
            flush()
        elif line.startswith("#,") and "fuzzy" in line:
            fuzzy = True
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            current[key] += ast.literal_eval(line)
        else:
            key, _space, value = line.partition(" ")
            current[key] = ast.literal_eval(value)
    return entries


@pytest.mark.parametrize("language", ["nl", "en"])
def test_catalogues_are_compiled_from_the_current_sources(language):
    po = ROOT / "locale" / language / "LC_MESSAGES" / "django.po"
    with po.with_suffix(".mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)._catalog
    translated = {k: v for k, v in read_po(po).items() if k}
    assert {k: v for k, v in compiled.items() if k} == translated, "run `make messages`"


def test_dutch_catalogue_is_complete():
    po = ROOT / "locale" / "nl" / "LC_MESSAGES" / "django.po"
    entry_count = po.read_text().count("\nmsgid ") - 1  # minus the header
    translated = {key if isinstance(key, str) else key[0] for key in read_po(po) if key}
    assert len(translated) == entry_count, "untranslated or fuzzy entries in the nl catalogue"


def test_translation_functions_go_by_names_makemessages_extracts():
    """xgettext finds gettext, gettext_lazy, ngettext, … and `_`; a string marked through
    any other alias (say `gettext_lazy as _lazy`) never reaches the catalogues."""
    aliased = re.compile(r"from django\.utils\.translation import .*\b\w*gettext\w* as (?!_\b)\w+")
    offenders = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for app in ("portal", "calls", "proposals", "funding", "reporting")
        for path in (ROOT / app).rglob("*.py")
        for match in aliased.finditer(path.read_text())
    ]
    assert offenders == []
