"""Demo open data with a history: the open calls were published through the service (so each
has its publication release); the first open SBIR is amended here, openly, as an officer
would; the historical calls, loaded without the services, get their releases from their
dates (``ocds_backfill``: publication, the number of tenders at the deadline, each award,
contract and accepted milestone). The bulk files are built once all of that is committed.
Idempotent.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from calls.models import Amendment, Call
from calls.services.lifecycle import call_amend
from portal.models import Membership, Role

from ..services.opendata import ocds_backfill, ocds_bulk_refresh

REASON = (
    "Meer tijd voor vragen: de informatiebijeenkomst is een week verschoven "
    "(zie de nota van inlichtingen)."
)


def _amend_one() -> int:
    call = (
        Call.objects.filter(
            status=Call.Status.PUBLISHED,
            instrument=Call.Instrument.SBIR,
            deadline__gt=timezone.now(),
        )
        .order_by("pk")
        .first()
    )
    if call is None or Amendment.objects.filter(call=call).exists():
        return 0
    moved = call.questions_deadline + timedelta(days=2)
    if moved >= call.deadline or moved <= timezone.now():  # an amendment cannot do that
        return 0
    officer = (
        Membership.objects.filter(
            organisation=call.authority, role=Role.PROCUREMENT_OFFICER, user__is_active=True
        )
        .select_related("user")
        .first()
    )
    if officer is None:
        return 0
    call_amend(call=call, actor=officer.user, reason=REASON, changes={"questions_deadline": moved})
    return 1


def load() -> str:
    amended = _amend_one()
    stored = ocds_backfill()
    # After the commit, once the amendment's release is stored (its outbox task runs then).
    transaction.on_commit(ocds_bulk_refresh)
    return f"{amended} call amended, {stored} releases stored for earlier calls"
