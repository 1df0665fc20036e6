"""Reads for procurement notices: a call's notices, its final awards, and everything a notice says
gathered from the portal in a fixed number of queries.
"""

import uuid
from datetime import datetime

from django.conf import settings
from django.db.models import Count, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from calls.models import Amendment, Call, Criterion, Phase
from portal.models import Organisation
from portal.origin import absolute_url
from proposals.models import Proposal

from ..eforms.builder import (
    BUYER_LEGAL_TYPES,
    Award,
    Change,
    Lot,
    NoticeSource,
    Party,
)
from ..eforms.builder import (
    Criterion as NoticeCriterion,
)
from ..models import Notice

# Proposals that count as a tender received once a phase's deadline has passed.
RECEIVED = (
    Proposal.Status.SUBMITTED,
    Proposal.Status.UNDER_ASSESSMENT,
    Proposal.Status.AWARDED,
    Proposal.Status.REJECTED,
)
# The instruments that are procurements under Directive 2014/24/EU and the procedure each
# follows; prize competitions and hackathons are subsidy decisions (Awb): no notice.
PROCEDURES: dict[str, str] = {
    Call.Instrument.SBIR: "open",
    Call.Instrument.INNOVATION_PARTNERSHIP: "innovation",
}


def takes_notices(call: Call) -> bool:
    return call.instrument in PROCEDURES


def above_eu_threshold(call: Call) -> bool:
    """Whether the call's value reaches the EU threshold for services of its authority."""
    central = call.authority.authority_tier == Organisation.AuthorityTier.CENTRAL_GOVERNMENT
    threshold = settings.EU_THRESHOLD_CENTRAL if central else settings.EU_THRESHOLD_SUBCENTRAL
    return call.total_budget >= threshold


def goes_to_tenderned(call: Call) -> bool:
    """Above the threshold always; below it when the authority chose to (a call field)."""
    return takes_notices(call) and (above_eu_threshold(call) or call.publish_on_tenderned)


def notices_of_call(call: Call) -> QuerySet[Notice]:
    return Notice.objects.filter(call=call).select_related("amendment").order_by("created_at", "pk")


def notice_of_call(call: Call, pk: int) -> Notice | None:
    return notices_of_call(call).filter(pk=pk).first()


def notice_by_id(pk: int) -> Notice | None:
    return Notice.objects.select_related("call__authority").filter(pk=pk).first()


def published_notices(call: Call) -> list[Notice]:
    return list(notices_of_call(call).filter(status=Notice.Status.PUBLISHED))


def notices_for_calls(calls: QuerySet[Call]) -> QuerySet[Notice]:
    return (
        Notice.objects.filter(call__in=calls)
        .select_related("call__authority", "amendment")
        .order_by("-created_at", "-pk")
    )


def competition_notice(call: Call) -> Notice | None:
    return Notice.objects.filter(call=call, kind=Notice.Kind.COMPETITION).order_by("pk").first()


def result_notice(call: Call) -> Notice | None:
    return Notice.objects.filter(call=call, kind=Notice.Kind.RESULT).order_by("pk").first()


def waits_for(notice: Notice, notices: list[Notice]) -> Notice | None:
    """The notice of the same call that must be published before ``notice`` may be sent (None
    when none): a change notice follows the contract notice it changes and the change notices
    of earlier amendments (each describes its own changes to what is published), a contract
    award notice the contract notice of its procedure. ``notices``: the call's notices."""
    if notice.kind == Notice.Kind.COMPETITION:
        return None
    competition = next(
        (
            each
            for each in notices
            if each.pk == notice.changes_id
            or (notice.changes_id is None and each.kind == Notice.Kind.COMPETITION)
        ),
        None,
    )
    before = [competition] if competition is not None else []
    if notice.kind == Notice.Kind.CHANGE and notice.amendment is not None:
        number = notice.amendment.number
        before += sorted(
            (
                each
                for each in notices
                if each.kind == Notice.Kind.CHANGE
                and each.amendment is not None
                and each.amendment.number < number
            ),
            key=lambda each: each.amendment.number,  # type: ignore[union-attr]
        )
    return next((each for each in before if not each.is_published), None)


def notice_waits_for(notice: Notice) -> Notice | None:
    """``waits_for`` read from the database (the send service)."""
    return waits_for(notice, list(notices_of_call(notice.call)))


def notice_label(notice: Notice) -> str:
    """'change notice (amendment 2)', 'contract notice': the notice as the page names it."""
    label = str(notice.get_kind_display())
    if notice.amendment is not None:
        label += " " + _("(amendment %(number)s)") % {"number": notice.amendment.number}
    return label


def order_message(notice: Notice, previous: Notice) -> str:
    """Why ``notice`` waits for ``previous`` (``waits_for``), and what to do: the page shows it
    beside the notice, the send service refuses with it."""
    words = {"kind": notice_label(notice), "previous": notice_label(previous)}
    if previous.awaits_publisher:
        return (
            _(
                "The %(previous)s is sent but not yet published: send this %(kind)s once "
                "TenderNed has published it."
            )
            % words
        )
    return (
        _(
            "Send the %(previous)s first: this %(kind)s follows it and can be sent once "
            "TenderNed has published it."
        )
        % words
    )


def notice_for_amendment(amendment: Amendment) -> Notice | None:
    return Notice.objects.filter(amendment=amendment).first()


def final_awards(call: Call) -> list[Proposal]:
    """The awards that a result notice reports: awarded proposals with a contract.

    The one place that says when an award is final; once a standstill period is recorded
    it belongs here too.
    """
    return list(
        Proposal.objects.filter(call=call, status=Proposal.Status.AWARDED, contract__isnull=False)
        .select_related("company", "contract", "phase")
        .order_by("phase__order", "decided_at", "pk")
    )


# Countries of the European Economic Area (the statistics of received proposals by origin).
EEA = {
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE",
    "IS", "IT", "LI", "LT", "LU", "LV", "MT", "NL", "NO", "PL", "PT", "RO", "SE", "SI", "SK",
}  # fmt: skip
SIZES = {"micro": "t-micro", "small": "t-small", "medium": "t-med", "large": "t-large"}


def _received(**extra) -> Count:
    return Count("proposals", filter=Q(proposals__status__in=RECEIVED, **extra))


def _statistics(phase: Phase) -> dict[str, int]:
    """BT-759/760 of a phase: its proposals by the tenderers' size and origin, all received
    through the portal; nothing when a tenderer's size is unknown."""
    counts = {code: getattr(phase, code.replace("-", "_")) for code in SIZES.values()}
    if sum(counts.values()) != phase.tenders:  # type: ignore[attr-defined]
        return {}
    counts["t-oth-eea"] = phase.t_eea - phase.t_home  # type: ignore[attr-defined]
    counts["t-no-eea"] = phase.tenders - phase.t_eea  # type: ignore[attr-defined]
    counts["t-esubm"] = phase.tenders  # type: ignore[attr-defined]
    return counts


def _no_award_reason(phase: Phase) -> str:
    """Why a phase has no winner: no proposal came in, or every one was rejected; empty while
    proposals are still being decided (or some won)."""
    tenders, rejected = phase.tenders, phase.rejected  # type: ignore[attr-defined]
    if tenders == 0:
        return "no-rece"
    return "all-rej" if rejected == tenders else ""


def _party(ref: str, organisation: Organisation, *, email: str = "", url: str = "") -> Party:
    return Party(
        ref=ref,
        name=organisation.name,
        identifier=organisation.kvk_number or organisation.oin or organisation.vat_number,
        street=organisation.street_address,
        city=organisation.city,
        postal_code=organisation.postal_code,
        nuts=organisation.nuts_code,
        country=organisation.country,
        telephone=organisation.telephone,
        email=email,
        url=url or organisation.website,
        size=organisation.company_size,
    )


def _review_body(authority: Organisation) -> Party:
    return Party(
        ref="ORG-0002",
        name=authority.review_body_name,
        identifier=authority.review_body_identifier,
        city=authority.review_body_city,
        postal_code=authority.review_body_postal_code,
        nuts=authority.review_body_nuts_code,
        country="NL",
    )


def _criteria(phase: Phase) -> list[NoticeCriterion]:
    return [
        NoticeCriterion(
            name=criterion.name, description=criterion.description, weight=criterion.weight
        )
        for criterion in phase.criteria.all()
    ]


def _change_description(amendment: Amendment) -> str:
    lines = [amendment.reason]
    with translation.override("nl"):
        for change in amendment.described_changes():
            lines.append(f"{change.label}: {change.old} → {change.new}")
    return "\n".join(lines)


def notice_source(
    call: Call,
    *,
    kind: str,
    notice_id: uuid.UUID,
    folder_id: uuid.UUID,
    issued: datetime,
    changes: Notice | None = None,
    amendment: Amendment | None = None,
) -> NoticeSource:
    """What a notice of ``kind`` about ``call`` says, read in five queries."""
    call = (
        Call.objects.select_related("authority")
        .prefetch_related(
            Prefetch(
                "phases",
                queryset=Phase.objects.annotate(
                    tenders=_received(),
                    rejected=_received(proposals__status=Proposal.Status.REJECTED),
                    t_home=_received(proposals__company__country=call.authority.country),
                    t_eea=_received(proposals__company__country__in=EEA),
                    **{
                        code.replace("-", "_"): _received(proposals__company__company_size=size)
                        for size, code in SIZES.items()
                    },
                )
                .prefetch_related(
                    Prefetch("criteria", queryset=Criterion.objects.order_by("order", "pk"))
                )
                .order_by("order"),
            )
        )
        .get(pk=call.pk)
    )
    authority = call.authority
    buyer = _party("ORG-0001", authority, email=call.contact_email)
    awards = final_awards(call) if kind == Notice.Kind.RESULT else []
    winners: dict[int, Party] = {}
    per_phase: dict[int, list[Award]] = {}
    for index, proposal in enumerate(awards, start=1):
        company = proposal.company
        if company.pk not in winners:
            winners[company.pk] = _party(f"ORG-{len(winners) + 3:04d}", company)
        contract = proposal.contract
        per_phase.setdefault(proposal.phase_id, []).append(
            Award(
                tender_ref=f"TEN-{index:04d}",
                party_ref=winners[company.pk].ref,
                contract_ref=f"CON-{index:04d}",
                reference=proposal.submission_number or str(proposal.pk),
                amount=contract.amount,
                contract_date=datetime.combine(
                    contract.start_date, datetime.min.time(), tzinfo=issued.tzinfo
                ),
                decided_at=proposal.decided_at or issued,
                subcontracting=proposal.subcontracting,
                subcontracting_share=proposal.subcontracting_share,
            )
        )
    lots = []
    phases = list(call.phases.all())
    for phase in phases:
        lots.append(
            Lot(
                number=phase.order,
                name=phase.name,
                description=phase.interim_targets or f"{phase.name} ({phase.get_kind_display()})",
                budget=phase.budget,
                duration_months=phase.duration_months,
                deadline=phase.deadline or (call.deadline if phase.order == 1 else None),
                # Companies ask to take part in the partnership as a whole: one selection for
                # every phase.
                participation_deadline=call.participation_deadline,
                criteria=_criteria(phase),
                tenders=phase.tenders,  # type: ignore[attr-defined]  # annotated above
                awards=per_phase.get(phase.pk, []),
                closed=phase.deadline is not None and phase.deadline <= issued,
                statistics=_statistics(phase),
                no_award_reason=_no_award_reason(phase),
            )
        )
    change = None
    if changes is not None and amendment is not None:
        changed = set(amendment.changes)
        # The sections changed: the first phase's deadline, every lot's validity period (each
        # lot carries it), the procedure for the rest.
        numbers = {1} if "deadline" in changed else set()
        if "tender_validity" in changed:
            numbers |= {lot.number for lot in lots}
        change = Change(
            notice_id=str(changes.notice_id),
            notice_version=changes.version,
            description=_change_description(amendment),
            lots=[f"LOT-{number:04d}" for number in sorted(numbers)]
            + (["PROCEDURE"] if changed - {"deadline", "tender_validity"} else []),
        )
    call_url = absolute_url(call.get_absolute_url())
    central = authority.authority_tier == Organisation.AuthorityTier.CENTRAL_GOVERNMENT
    return NoticeSource(
        kind=kind,
        notice_id=str(notice_id),
        folder_id=str(folder_id),
        issued=issued,
        procedure=PROCEDURES.get(call.instrument, "open"),
        title=call.title,
        description=call.challenge,
        cpv=call.cpv_code,
        nuts=call.place_of_performance_nuts,
        call_url=call_url,
        documents_url=call_url + "#" + "documents",
        buyer=buyer,
        buyer_legal_type=BUYER_LEGAL_TYPES.get(authority.authority_tier, "body-pl"),
        buyer_activity=authority.main_activity,
        central_government=central,
        review_body=_review_body(authority),
        lots=lots,
        winners=list(winners.values()),
        change=change,
        min_candidates=call.min_invitations,
        tender_validity=call.tender_validity,
        tender_validity_unit=call.tender_validity_unit,
    )


def notice_download_url(notice: Notice) -> str:
    return reverse("notices:xml", kwargs={"pk": notice.call_id, "notice_pk": notice.pk})


def call_for_notices(pk: int) -> Call | None:
    return Call.objects.select_related("authority", "agent").filter(pk=pk).first()
