"""Objections left open against a withdrawn decision lapse.

Before 0015 upholding an objection withdrew the phase's intended decisions but left the other
companies' objections open: they still showed as the officer's task, and upholding one would
withdraw the phase's *new* decisions. They lapse as the service lapses them now
(``proposals.services.objections._lapse``): with the upheld objection that withdrew their
decision (``lapsed_with``), answered by its officer when the decision was withdrawn, the
answer being the reason stored with the withdrawal (it names the upheld objection and its
answer; the service's own sentence is translated per company, which a migration cannot do).

One UPDATE, filtered on the status (indexed): cheap on a large table. No e-mail is sent."""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def lapse_stale_objections(apps, schema_editor):
    objection = apps.get_model("proposals", "Objection")
    decision = apps.get_model("proposals", "Decision")
    withdrawn = decision.objects.filter(pk=OuterRef("decision_id")).order_by()
    # The objection upheld in the decision's phase that withdrew it: the last one answered
    # before the decision was withdrawn.
    of_the_lapsing = decision.objects.filter(pk=OuterRef(OuterRef("decision_id"))).order_by()
    upheld = objection.objects.filter(
        status="upheld",
        decision__phase_id=Subquery(of_the_lapsing.values("phase_id")[:1]),
        answered_at__lte=Subquery(of_the_lapsing.values("withdrawn_at")[:1]),
    ).order_by("-answered_at", "-pk")
    objection.objects.filter(status="open", decision__status="withdrawn").update(
        status="lapsed",
        answer=Subquery(withdrawn.values("withdrawal_reason")[:1]),
        answered_at=Subquery(withdrawn.values("withdrawn_at")[:1]),
        lapsed_with=Subquery(upheld.values("pk")[:1]),
        answered_by=Subquery(upheld.values("answered_by_id")[:1]),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("proposals", "0016_advice_assessors_and_submission_language"),
    ]

    operations = [
        migrations.RunPython(lapse_stale_objections, migrations.RunPython.noop, elidable=True),
    ]
