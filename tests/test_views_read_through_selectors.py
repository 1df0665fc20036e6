"""Views and serializers read through selectors: no module in any app's ``views/`` or
``api/`` package touches a model manager (``Model.objects``) itself."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ["portal", "calls", "proposals", "funding", "reporting"]


def _view_and_api_modules() -> list[Path]:
    modules = []
    for app in APPS:
        for package in ("views", "api"):
            modules += (ROOT / app).glob(f"**/{package}/**/*.py")
            modules += (ROOT / app).glob(f"**/{package}.py")
    return sorted(set(modules))


def managers_used(source: str) -> list[int]:
    """The lines on which ``<something>.objects`` is read."""
    return [
        node.lineno
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Attribute) and node.attr == "objects"
    ]


def test_the_scan_finds_views_of_every_app_and_the_identity_package():
    found = {path.relative_to(ROOT).parts[0] for path in _view_and_api_modules()}
    assert found == set(APPS)
    assert ROOT / "portal" / "identity" / "views" / "team.py" in _view_and_api_modules()


@pytest.mark.parametrize(
    ("source", "lines"),
    [
        ("Call.objects.filter(pk=1)", [1]),
        ("x = 1\nqs = models.Proposal.objects", [2]),
        ("qs = calls_public()\nobjects = 3", []),
    ],
)
def test_the_scan_sees_a_manager(source, lines):
    assert managers_used(source) == lines


def test_no_view_or_api_module_queries_a_model_itself():
    offenders = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in _view_and_api_modules()
        for line in managers_used(path.read_text())
    ]
    assert offenders == [], "Read through a selector instead: " + ", ".join(offenders)
