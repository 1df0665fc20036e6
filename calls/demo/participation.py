"""Demo requests to participate in the open innovation partnership (its stage 1)."""

from datetime import datetime, timedelta

from django.core.files.base import ContentFile

from portal.models import Membership, Organisation, Role

from ..models import Call, ParticipationRequest
from .calls import _officer_of

# The smallest PDF a viewer opens: one empty page.
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
PARTICIPANTS = [
    (
        "Groene Vaarweg Techniek B.V.",
        "Wij bouwden drie elektrische werkschepen voor waterschappen en beheren hun "
        "laadpunten; ons team telt twaalf scheepsbouwkundigen en elektrotechnici.",
    ),
    (
        "Viaduct Circulair B.V.",
        "Wij ontwerpen demontabele constructies in staal en hout en werken samen met een "
        "scheepswerf in Dordrecht; vijf ingenieurs kunnen direct starten.",
    ),
    (
        "Modulair Bouwen Nederland B.V.",
        "Modulaire bouw van steigers en pontons; ervaring met provinciale opdrachtgevers.",
    ),
]


def load(now: datetime) -> None:
    """The open innovation partnership shows stage 1: three companies asked to participate,
    and their deadline has just passed, so the officer of Zuid-Holland can select and invite.

    Like the historical calls, the demo moves the deadline for requests into the past
    directly; the services rightly refuse requests after it.
    """
    call = (
        Call.objects.filter(
            instrument=Call.Instrument.INNOVATION_PARTNERSHIP,
            status=Call.Status.PUBLISHED,
            authority__name="Provincie Zuid-Holland",
            deadline__gt=now,
        )
        .order_by("-pk")
        .first()
    )
    if call is None or call.participation_requests.exists():
        return
    for minutes, (name, motivation) in enumerate(PARTICIPANTS):
        company = Organisation.objects.get(name=name)
        member = (
            Membership.objects.filter(organisation=company, role=Role.APPLICANT)
            .select_related("user")
            .first()
        )
        submitted_by = member.user if member else _officer_of(call.authority)
        participation = ParticipationRequest(
            call=call, company=company, submitted_by=submitted_by, motivation=motivation
        )
        participation.document.save("geschiktheid.pdf", ContentFile(DEMO_PDF), save=False)
        participation.save()
        ParticipationRequest.objects.filter(pk=participation.pk).update(
            submitted_at=now - timedelta(days=3, minutes=minutes)
        )
    Call.objects.filter(pk=call.pk).update(participation_deadline=now - timedelta(hours=1))
