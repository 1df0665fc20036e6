"""A proposal keeps the language it was submitted in (its receipt speaks it). Advice signed
without the assessors in its snapshot (the demo's, before the snapshot had one place) gets them
from the assignments: who submitted scores, which assignments were withdrawn."""

from django.db import migrations, models


def name_assessors(apps, schema_editor):
    Advice = apps.get_model("proposals", "Advice")
    Assignment = apps.get_model("proposals", "Assignment")
    for advice in Advice.objects.all().iterator():
        if all("assessed_by" in row for row in advice.ranking):
            continue
        assessed: dict[int, list[str]] = {}
        withdrawn: dict[int, list[dict]] = {}
        for assignment in (
            Assignment.objects.filter(member__committee_id=advice.committee_id)
            .select_related("member__user", "assessment")
            .order_by("member__role", "member_id")
        ):
            user = assignment.member.user
            name = user.full_name or user.email
            if assignment.withdrawn_at is not None:
                withdrawn.setdefault(assignment.proposal_id, []).append(
                    {"name": name, "reason": assignment.withdrawn_reason}
                )
            elif getattr(assignment, "assessment", None) is not None and (
                assignment.assessment.status == "submitted"
            ):
                assessed.setdefault(assignment.proposal_id, []).append(name)
        for row in advice.ranking:
            row.setdefault("assessed_by", assessed.get(row["proposal"], []))
            row.setdefault("withdrawn", withdrawn.get(row["proposal"], []))
        # The stored PDF said nobody assessed anything: the next download renders it anew.
        advice.pdf = ""
        advice.save(update_fields=["ranking", "pdf"])


class Migration(migrations.Migration):
    dependencies = [("proposals", "0015_letter_dated_on_and_lapsed_objections")]

    operations = [
        migrations.AddField(
            model_name="proposal",
            name="submission_language",
            field=models.CharField(
                blank=True, max_length=10, verbose_name="language of the submission"
            ),
        ),
        migrations.RunPython(name_assessors, migrations.RunPython.noop),
    ]
