"""An amendment's old and new values are stored as values from now on (a moment in ISO 8601),
so that each reader sees them in their own language. Amendments made before stored a moment
already rendered in the language of whoever made it ("6 januari 2027 17:00 CET", "27 January
2027 17:00 CET"): read those back into ISO 8601. The deadline comes from the exact moments the
amendment kept beside its text; another moment is read from the text in Dutch or English.
Text that cannot be read stays as it is, and the pages show it as stored."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from django.db import migrations
from django.utils import timezone

ZONE = ZoneInfo("Europe/Amsterdam")
MONTHS = {
    name: number
    for names in (
        (
            "januari",
            "februari",
            "maart",
            "april",
            "mei",
            "juni",
            "juli",
            "augustus",
            "september",
            "oktober",
            "november",
            "december",
        ),
        (
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ),
    )
    for number, name in enumerate(names, start=1)
}
RENDERED = re.compile(r"^\s*(\d{1,2}) ([^\W\d_]+) (\d{4}) (\d{1,2}):(\d{2})(?: (CET|CEST))?\s*$")


def _iso(moment: datetime) -> str:
    return timezone.localtime(moment, ZONE).isoformat()


def read_rendered(text) -> str | None:
    """ISO 8601 of a moment rendered as "6 januari 2027 17:00 CET"; None if it is not one."""
    if not isinstance(text, str):
        return None
    try:
        datetime.fromisoformat(text)
    except ValueError:
        pass
    else:
        return text  # a value already
    match = RENDERED.match(text)
    if match is None or match[2].lower() not in MONTHS:
        return None
    day, month, year = int(match[1]), MONTHS[match[2].lower()], int(match[3])
    try:
        naive = datetime(year, month, day, int(match[4]), int(match[5]))
    except ValueError:
        return None
    # CET or CEST says which of the two hours of the autumn change was meant.
    for fold in (0, 1):
        moment = naive.replace(tzinfo=ZONE, fold=fold)
        if match[6] is None or moment.tzname() == match[6]:
            return moment.isoformat()
    return None


def rendered_to_values(apps, schema_editor):
    Amendment = apps.get_model("calls", "Amendment")
    Call = apps.get_model("calls", "Call")
    moments = {
        field.name
        for field in Call._meta.get_fields()
        if getattr(field, "get_internal_type", lambda: "")() == "DateTimeField"
    }
    for amendment in Amendment.objects.all().iterator():
        changes = dict(amendment.changes or {})
        changed = False
        for name, pair in changes.items():
            if name not in moments or not isinstance(pair, list) or len(pair) != 2:
                continue
            if name == "deadline" and amendment.previous_deadline and amendment.new_deadline:
                values = [_iso(amendment.previous_deadline), _iso(amendment.new_deadline)]
            else:
                # "None": how a value set for the first time was written before (now "").
                values = [
                    "" if value == "None" else read_rendered(value) or value for value in pair
                ]
            if values != pair:
                changes[name] = values
                changed = True
        if changed:
            amendment.changes = changes
            amendment.save(update_fields=["changes"])


class Migration(migrations.Migration):
    dependencies = [
        ("calls", "0018_call_notice_details"),
    ]

    operations = [
        # Backwards the values stay as they are: the pages of before showed them as text.
        migrations.RunPython(rendered_to_values, migrations.RunPython.noop),
    ]
