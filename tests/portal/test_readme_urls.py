"""Every page and API path README.md names exists in the URLconf, so a reader who types one
gets the page it describes, not a 404 (placeholders such as ``<id>`` stand for a value)."""

import re
from pathlib import Path

from django.urls import Resolver404, resolve

README = Path(__file__).resolve().parents[2] / "README.md"
# A path in backticks, or after an HTTP method: starts with "/", no spaces.
PATH = re.compile(r"(?:`|(?:GET|POST|PATCH|PUT|DELETE) )(/[A-Za-z0-9_<>.\-/?=&]*)")
PLACEHOLDER = re.compile(r"<([a-z_]+)>")
VALUES = {"year": "2026", "code": "ezk-2026", "ocid": "ocds-innovatieloket-1"}
# Named as the prefix of the API ("under /api/v1/"), not as a page.
PREFIXES = {"/api/", "/api/v1/"}


def readme_paths() -> set[str]:
    return {match.group(1).split("?")[0] for match in PATH.finditer(README.read_text())}


def test_every_path_readme_names_resolves():
    paths = readme_paths()
    assert "/calls/<id>/questions/manage/" in paths  # the nota van inlichtingen
    assert len(paths) > 50
    missing = []
    for path in sorted(paths - PREFIXES):
        concrete = PLACEHOLDER.sub(lambda m: VALUES.get(m.group(1), "1"), path)
        try:
            resolve(concrete)
        except Resolver404:
            missing.append(path)
    assert missing == []
