"""A deliverable not accepted when its contract ends is cancelled (``contract_close``).

Adds the state with when and why, and cancels the deliverables still open (to be delivered,
sent back, or delivered and not reviewed) of contracts that ended before: they showed as
tasks to the company and the officer and could still be delivered and reviewed. Their reason
is left empty (the reason the contract ended is kept with its release in the ledger); the
moment is the migration's. One UPDATE on a small table. No e-mail is sent."""

from django.db import migrations, models
from django.utils import timezone


def cancel_open_deliverables_of_ended_contracts(apps, schema_editor):
    deliverable = apps.get_model("proposals", "Deliverable")
    deliverable.objects.filter(
        contract__status__in=("completed", "terminated"),
        status__in=("pending", "delivered", "rejected"),
    ).update(status="cancelled", cancelled_at=timezone.now())


class Migration(migrations.Migration):
    dependencies = [
        ("proposals", "0017_lapse_stale_objections"),
    ]

    operations = [
        migrations.AddField(
            model_name="deliverable",
            name="cancellation_reason",
            field=models.TextField(blank=True, verbose_name="reason for cancelling"),
        ),
        migrations.AddField(
            model_name="deliverable",
            name="cancelled_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="cancelled at"),
        ),
        migrations.AlterField(
            model_name="deliverable",
            name="status",
            field=models.CharField(
                choices=[
                    ("pending", "to be delivered"),
                    ("delivered", "delivered"),
                    ("accepted", "accepted"),
                    ("rejected", "not accepted"),
                    ("cancelled", "cancelled"),
                ],
                default="pending",
                max_length=20,
                verbose_name="status",
            ),
        ),
        migrations.RunPython(
            cancel_open_deliverables_of_ended_contracts, migrations.RunPython.noop, elidable=True
        ),
    ]
