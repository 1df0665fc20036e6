"""Templates ask the model (``call.is_open``, ``proposal.is_decided``) or a permission tag; they do
not compare statuses, so a state rule lives in one place and not in a page."""

import re
from pathlib import Path

from django.conf import settings
from django.template import engines

ROOT = Path(__file__).resolve().parents[2]

CONDITION = re.compile(r"{%-?\s*(?:if|elif)\s+(.*?)-?%}", re.DOTALL)
STATUS = r"[\w.]*status(?:\|[\w:\"']+)*"
LITERAL = r"(?:\"[^\"]*\"|'[^']*'|\[|\()"
COMPARISON = re.compile(
    rf"{STATUS}\s*(?:==|!=|\bnot in\b|\bin\b)\s*{LITERAL}|{LITERAL}[^\s]*\s*(?:==|!=)\s*{STATUS}"
)


def _status_comparisons(text: str) -> list[str]:
    return [
        comparison.group(0)
        for condition in CONDITION.finditer(text)
        for comparison in COMPARISON.finditer(condition.group(1))
    ]


def _template_files():
    folders = {Path(folder) for folder in settings.TEMPLATES[0]["DIRS"]}
    folders |= {
        ROOT / app / "templates" for app in ("portal", "calls", "proposals", "funding", "reporting")
    }
    for folder in sorted(folders):
        if folder.is_dir():
            yield from sorted(path for path in folder.rglob("*") if path.is_file())


def test_no_template_compares_a_status_with_a_string():
    files = list(_template_files())
    offences = [
        f"{path.relative_to(ROOT)}: {comparison}"
        for path in files
        for comparison in _status_comparisons(path.read_text(errors="replace"))
    ]
    assert len(files) > 50, "the walk over the templates found (almost) nothing"
    assert offences == []


def test_the_check_recognises_each_way_of_comparing():
    text = (
        '{% if call.status == "published" %}{% endif %}'
        "{% elif proposal.status != 'draft' and x %}"
        '{% if "awarded" == proposal.status %}{% endif %}'
        '{% if job.status in "queued running" %}{% endif %}'
        "{% if call.is_open and proposal.is_decided %}{% endif %}"
        "{{ call.status }}{% if statuses %}{% endif %}"
    )
    assert len(_status_comparisons(text)) == 4


def test_the_one_error_summary_renders_a_form_and_formsets():
    from django import forms

    class Sample(forms.Form):
        name = forms.CharField(label="Name")

    form = Sample(data={})
    assert not form.is_valid()
    template = engines["django"].from_string('{% include "includes/error_summary.html" %}')

    html = template.render({"form": form})

    assert 'data-testid="error-summary"' in html
    assert 'href="#id_name"' in html
    assert template.render({"form": Sample(data={"name": "x"})}).strip() == ""
