"""A letter bears the day it is sent (``DecisionLetter.dated_on``); an objection against a
decision withdrawn with another, upheld objection lapses (``Objection.Status.LAPSED``)."""

from zoneinfo import ZoneInfo

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def date_the_letters(apps, schema_editor):
    """The letters made so far: dated the day they were sent, or else the day they were
    made (the day their PDF was rendered)."""
    zone = ZoneInfo(settings.TIME_ZONE)
    letters = apps.get_model("proposals", "DecisionLetter")
    for letter in letters.objects.only("pk", "sent_at", "created_at").iterator():
        moment = letter.sent_at or letter.created_at
        letters.objects.filter(pk=letter.pk).update(dated_on=moment.astimezone(zone).date())


class Migration(migrations.Migration):
    dependencies = [
        ("proposals", "0014_proposal_subcontracting"),
    ]

    operations = [
        migrations.AddField(
            model_name="decisionletter",
            name="dated_on",
            field=models.DateField(null=True, verbose_name="dated"),
        ),
        migrations.RunPython(date_the_letters, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="decisionletter",
            name="dated_on",
            field=models.DateField(verbose_name="dated"),
        ),
        migrations.AddField(
            model_name="objection",
            name="lapsed_with",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="lapsed",
                to="proposals.objection",
                verbose_name="lapsed with the upheld objection",
            ),
        ),
        migrations.AlterField(
            model_name="objection",
            name="status",
            field=models.CharField(
                choices=[
                    ("open", "open"),
                    ("dismissed", "dismissed"),
                    ("upheld", "upheld"),
                    ("withdrawn", "withdrawn"),
                    ("lapsed", "lapsed"),
                ],
                db_index=True,
                default="open",
                max_length=20,
                verbose_name="status",
            ),
        ),
    ]
