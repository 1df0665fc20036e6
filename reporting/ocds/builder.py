"""Published calls as OCDS 1.1 release packages.

One contracting process per phase: a phase is its own competition (its own deadline, budget,
criteria, committee and awards), so each phase gets its own ocid,
`<OCDS_OCID_PREFIX>-call-<call id>-phase-<order>`. A later phase points to the phase before it
in `relatedProcesses` with the relationship `framework` (scheme `ocid`): in the codelist that
means "this process follows on from the related process, and the suppliers that may take part
are listed in the awards of the related process", which is exactly how a prototype phase
follows a feasibility phase (only its awarded companies may apply). `prior` would say the later
phase renews or replaces the earlier one, and `planning` that the earlier one was a planning
process; neither is true.

Each release is a snapshot of the phase as it is now; its `date` is the last change to what it
shows and its `id` is derived from that date, so the id stays the same until the data changes.

What is left out on purpose (personal data and what is not yet public):
- no natural persons: no assessor or chair names (the committee appears as one review body),
  no officers, no contact person's name or e-mail; the buyer's contact point links to the
  call's page, where the authority publishes its current contact for the call;
- no tenderers: the number of proposals received is given after the deadline, names only of
  the companies that were awarded (suppliers), never of draft, withdrawn or rejected ones;
- no proposal content, scores, motivations or documents of companies.

Money stays Decimal here; it becomes a JSON number only when the package is written.
"""

import json
from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from calls.models import Call, Phase
from portal.models import Organisation
from portal.origin import site_url
from proposals.models import Contract, Deliverable

from ..selectors.opendata import CallData, contract_of, load_calls

OCDS_VERSION = "1.1"
CURRENCY = "EUR"
LICENSE = "https://creativecommons.org/publicdomain/zero/1.0/"
LANGUAGE = "nl"

# Deliverables as contract milestones (milestoneType codelist).
MILESTONE_TYPES = {
    Deliverable.Kind.FEASIBILITY_REPORT: "reporting",
    Deliverable.Kind.PROGRESS_REPORT: "reporting",
    Deliverable.Kind.FINAL_REPORT: "reporting",
    Deliverable.Kind.PROTOTYPE: "delivery",
}
CONTRACT_STATUS = {
    Contract.Status.ACTIVE: "active",
    # contractStatus "terminated": signed and in force, now come to a close (done or stopped).
    Contract.Status.COMPLETED: "terminated",
    Contract.Status.TERMINATED: "terminated",
}


def publisher() -> dict:
    """The packages' publisher, from the settings (OCDS_PUBLISHER_*)."""
    details = {
        "name": settings.OCDS_PUBLISHER_NAME,
        "uri": settings.OCDS_PUBLISHER_URI or absolute("/"),
    }
    if settings.OCDS_PUBLISHER_SCHEME and settings.OCDS_PUBLISHER_UID:
        details["scheme"] = settings.OCDS_PUBLISHER_SCHEME
        details["uid"] = settings.OCDS_PUBLISHER_UID
    return details


def ocid_prefix() -> str:
    return settings.OCDS_OCID_PREFIX


def ocid_of(call_id: int, phase_order: int) -> str:
    return f"{ocid_prefix()}-call-{call_id}-phase-{phase_order}"


def phase_position(ocid: str) -> int:
    """The phase's order from its ocid (…-phase-2 is 2); 0 for an ocid of another shape."""
    _head, _sep, order = ocid.rpartition("-phase-")
    return int(order) if order.isdigit() and len(order) < 5 else 0


def absolute(path: str) -> str:
    if path.startswith(("http://", "https://")):
        return path
    return site_url() + path


def moment(value: datetime) -> str:
    """ISO 8601 with the time zone, in the portal's own zone: 2026-03-01T17:00:00+01:00."""
    return timezone.localtime(value).isoformat(timespec="seconds")


def _day(value: date, at: time) -> str:
    return moment(datetime.combine(value, at, tzinfo=ZoneInfo(settings.TIME_ZONE)))


def day_start(value: date) -> str:
    return _day(value, time(0, 0, 0))


def day_end(value: date) -> str:
    return _day(value, time(23, 59, 59))


def money(amount: Decimal) -> dict:
    return {"amount": amount, "currency": CURRENCY}


# --- Parties ------------------------------------------------------------------------------------


def party_id(organisation: Organisation) -> str:
    """A KvK number makes an organisation recognisable across publishers (org-id NL-KVK)."""
    if organisation.kvk_number:
        return f"NL-KVK-{organisation.kvk_number}"
    return f"{ocid_prefix()}-organisation-{organisation.pk}"


def reference(organisation: Organisation) -> dict:
    return {"id": party_id(organisation), "name": organisation.name}


class Parties:
    """The release's parties, each once, with its roles in the order they were given."""

    def __init__(self) -> None:
        self._parties: dict[str, dict] = {}

    def add(self, organisation: Organisation, *roles: str, **extra) -> dict:
        key = party_id(organisation)
        if key not in self._parties:
            party = {"id": key, "name": organisation.name, "roles": []}
            if organisation.kvk_number:
                party["identifier"] = {
                    "scheme": "NL-KVK",
                    "id": organisation.kvk_number,
                    "legalName": organisation.name,
                }
            self._parties[key] = party
        return self._merge(key, roles, extra)

    def add_body(self, key: str, name: str, *roles: str) -> dict:
        self._parties.setdefault(key, {"id": key, "name": name, "roles": []})
        return self._merge(key, roles, {})

    def _merge(self, key: str, roles, extra: dict) -> dict:
        party = self._parties[key]
        party["roles"] += [role for role in roles if role not in party["roles"]]
        party.update(extra)
        return {"id": key, "name": party["name"]}

    def as_list(self) -> list[dict]:
        return list(self._parties.values())


# --- One release per phase ----------------------------------------------------------------------


def _tender_status(call: Call, phase: Phase, now: datetime) -> str:
    """tenderStatus codelist, from the call's state and this phase's proposals."""
    if call.status == Call.Status.CANCELLED:
        return "cancelled"
    if phase.awarded_count:
        return "complete"
    deadline = _deadline(call, phase)
    if deadline is None:
        return "planned"  # a later phase gets its deadline once the earlier one is decided
    if phase.order == 1 and call.status in (Call.Status.AWARDED, Call.Status.COMPLETED):
        # Deciding the first phase is what marks a call awarded. With proposals received and
        # none awarded it was unsuccessful; without any in the portal it was decided outside
        # it (calls recorded afterwards), and the portal's own state is what we know.
        return "unsuccessful" if phase.tenders else "complete"
    # Past the deadline with nothing left to decide and no award (none received, or all
    # rejected), or the call ended without this phase awarding anything.
    if (now >= deadline and not phase.undecided) or call.status == Call.Status.COMPLETED:
        return "unsuccessful"
    return "active"


def _tenders_known(call: Call, phase: Phase, deadline: datetime | None, now: datetime) -> bool:
    """The number of proposals received is public once no more can come in."""
    if deadline is not None and now >= deadline:
        return True
    if phase.awarded_count:
        return True
    return phase.order == 1 and call.status in (
        Call.Status.CLOSED,
        Call.Status.UNDER_ASSESSMENT,
        Call.Status.AWARDED,
        Call.Status.COMPLETED,
    )


def _deadline(call: Call, phase: Phase) -> datetime | None:
    return phase.deadline or (call.deadline if phase.order == 1 else None)


def _procurement_method(call: Call, phase: Phase) -> str:
    """method codelist: who may take part."""
    if call.instrument == Call.Instrument.INNOVATION_PARTNERSHIP:
        return "selective"  # tenders only by invitation after the requests to participate
    if phase.order > 1:
        return "selective"  # only the companies awarded in the previous phase
    return "open"


def _documents(call: Call) -> list[dict]:
    documents = [
        {
            "id": "call-page",
            "documentType": "tenderNotice",
            "title": call.title,
            "url": absolute(call.get_absolute_url()),
            "datePublished": moment(call.publication_date),
            "format": "text/html",
            "language": LANGUAGE,
        }
    ]
    documents += [
        {
            "id": f"document-{document.pk}",
            "documentType": "biddingDocuments",
            "title": document.title,
            "url": absolute(
                reverse("calls:document", kwargs={"pk": call.pk, "document_pk": document.pk})
            ),
            "datePublished": moment(document.uploaded_at),
            "format": "application/pdf",
            "language": LANGUAGE,
        }
        for document in call.documents.all()
    ]
    documents += [
        {
            "id": f"clarifications-{release.number}",
            "documentType": "clarifications",
            "title": _("Clarifications (nota van inlichtingen) %(number)d")
            % {"number": release.number},
            "url": absolute(
                reverse("calls:clarification_pdf", kwargs={"pk": call.pk, "number": release.number})
            ),
            "datePublished": moment(release.published_at),
            "format": "application/pdf",
            "language": LANGUAGE,
        }
        for release in call.clarification_releases.all()
    ]
    return documents


def _tender(call: Call, phase: Phase, phases: int, now: datetime) -> dict:
    deadline = _deadline(call, phase)
    tender: dict = {
        "id": f"{call.reference}-{phase.order}",
        "title": f"{call.title} – {phase.name}",
        "description": call.challenge,
        "status": _tender_status(call, phase, now),
        "procuringEntity": reference(call.authority),
        "value": money(phase.budget),
        "procurementMethod": _procurement_method(call, phase),
        "procurementMethodDetails": _("%(instrument)s, phase %(order)d of %(count)d: %(phase)s")
        % {
            "instrument": call.get_instrument_display(),
            "order": phase.order,
            "count": phases,
            "phase": phase.get_kind_display(),
        },
        "mainProcurementCategory": "services",  # research and development services
        "awardCriteria": "ratedCriteria",
        "submissionMethod": ["electronicSubmission"],
        "submissionMethodDetails": absolute(call.get_absolute_url()),
        "documents": _documents(call),
    }
    criteria = list(phase.criteria.all())
    if criteria:
        tender["awardCriteriaDetails"] = "; ".join(
            f"{criterion.name} ({criterion.weight}%)" for criterion in criteria
        )
    if phase.order > 1:
        tender["eligibilityCriteria"] = _(
            "Only companies whose proposal for the previous phase was awarded may apply."
        )
    period: dict = {}
    if phase.order == 1:
        period["startDate"] = moment(call.publication_date)
        tender["enquiryPeriod"] = {
            "startDate": moment(call.publication_date),
            "endDate": moment(call.questions_deadline),
        }
        tender["hasEnquiries"] = bool(call.clarification_releases.all())
    if deadline is not None:
        period["endDate"] = moment(deadline)
    if period:
        tender["tenderPeriod"] = period
    if _tenders_known(call, phase, deadline, now):
        tender["numberOfTenderers"] = phase.tenders
    advice = _advice(phase)
    if advice is not None:
        tender["milestones"] = [
            {
                "id": f"advice-{advice.pk}",
                "title": _("Assessment committee's advice signed"),
                "type": "assessment",
                "dueDate": moment(advice.signed_at),
                "dateMet": moment(advice.signed_at),
                "status": "met",
            }
        ]
    amendments = list(call.amendments.all())
    if amendments:
        tender["amendments"] = [
            {
                "id": str(amendment.number),
                "date": moment(amendment.created_at),
                "rationale": amendment.reason,
            }
            for amendment in amendments
        ]
    return tender


def _committee(phase: Phase):
    try:
        return phase.committee
    except Phase.committee.RelatedObjectDoesNotExist:
        return None


def _advice(phase: Phase):
    committee = _committee(phase)
    if committee is None:
        return None
    try:
        return committee.advice
    except type(committee).advice.RelatedObjectDoesNotExist:
        return None


def _milestones(contract: Contract, payments: list) -> list[dict]:
    """Each deliverable a milestone; each deliverable's amount a payment milestone.

    The payment schedule is the deliverables' amounts in due-date order: a payment milestone
    is met once the payments made on the contract add up to the schedule up to it.
    """
    paid_steps = []  # (cumulative amount paid, when)
    running = Decimal("0.00")
    for payment in payments:
        running += payment.paid
        paid_steps.append((running, payment.created_at))
    milestones = []
    scheduled = Decimal("0.00")
    today = timezone.localdate()
    for deliverable in contract.deliverables.all():
        milestone = {
            "id": f"deliverable-{deliverable.pk}",
            "title": deliverable.name,
            "type": MILESTONE_TYPES.get(deliverable.kind, "delivery"),
            "description": deliverable.get_kind_display(),
            "dueDate": day_end(deliverable.due_date),
            "status": "scheduled",
        }
        if deliverable.status == Deliverable.Status.ACCEPTED:
            milestone["status"] = "met"
            if deliverable.reviewed_at:
                milestone["dateMet"] = moment(deliverable.reviewed_at)
        elif deliverable.status == Deliverable.Status.CANCELLED or (
            deliverable.due_date < today and deliverable.status != Deliverable.Status.DELIVERED
        ):
            # Cancelled: its contract ended before it was accepted; it will not be met.
            milestone["status"] = "notMet"
        milestones.append(milestone)
        if deliverable.amount <= 0:
            continue
        payment = {
            "id": f"payment-{deliverable.pk}",
            "title": _("Payment on acceptance: %(name)s") % {"name": deliverable.name},
            "type": "payment",
            "description": _("EUR %(amount)s once this deliverable is accepted")
            % {"amount": deliverable.amount},
            "dueDate": day_end(deliverable.due_date),
            "status": "scheduled",
        }
        if deliverable.status == Deliverable.Status.CANCELLED:
            # Never paid: it stays out of the amounts the payments made are matched with.
            payment["status"] = "notMet"
            milestones.append(payment)
            continue
        scheduled += deliverable.amount
        met = next((when for total, when in paid_steps if total >= scheduled), None)
        if met is not None:
            payment["status"] = "met"
            payment["dateMet"] = moment(met)
        milestones.append(payment)
    return milestones


def _purchase(plan, award: dict) -> dict:
    """An innovation partnership's purchase at the end (art. 2.126a Aw): the authority buys the
    result at the agreed levels without a new tender. A contract of its own under the partner's
    award: what was bought, for how much, signed on the day of the purchase."""
    return {
        "id": f"purchase-{plan.pk}",
        "awardID": award["id"],
        "title": _("Purchase of the result of the innovation partnership"),
        "description": plan.purchase_description,
        "status": "active",
        "value": money(plan.purchase_amount),
        "dateSigned": day_start(plan.purchased_on),
    }


def _release(item: CallData, phase: Phase, previous: Phase | None, now: datetime) -> dict:
    call = item.call
    ocid = ocid_of(call.pk, phase.order)
    parties = Parties()
    buyer = parties.add(
        call.authority,
        "buyer",
        "procuringEntity",
        contactPoint={
            "name": _("Contact for this call: see the call's page"),
            "url": absolute(call.get_absolute_url()),
        },
    )
    for application in item.cofinancing:
        parties.add(application.round.fund.owner, "funder")
    committee = _committee(phase)
    if committee is not None:
        parties.add_body(
            f"{ocid_prefix()}-committee-{committee.pk}",
            _("Assessment committee, %(reference)s phase %(order)d")
            % {"reference": call.reference, "order": phase.order},
            "reviewBody",
        )
    dates = [call.publication_date, call.updated_at]
    dates += [amendment.created_at for amendment in call.amendments.all()]
    dates += [release.published_at for release in call.clarification_releases.all()]
    dates += [application.decided_at for application in item.cofinancing]
    advice = _advice(phase)
    if advice is not None:
        dates.append(advice.signed_at)

    awards, contracts = [], []
    for proposal in item.awarded:
        if proposal.phase_id != phase.pk:
            continue
        supplier = parties.add(proposal.company, "supplier")
        contract = contract_of(proposal)
        award = {
            "id": f"award-{proposal.pk}",
            "title": proposal.title,
            "status": "active",
            "suppliers": [supplier],
        }
        if proposal.decided_at:
            award["date"] = moment(proposal.decided_at)
            dates.append(proposal.decided_at)
        if contract is None:
            awards.append(award)
            continue
        award["value"] = money(contract.amount)
        award["contractPeriod"] = {
            "startDate": day_start(contract.start_date),
            "endDate": day_end(contract.end_date),
        }
        awards.append(award)
        payments = item.payments.get(contract.pk, [])
        transactions = []
        for payment in payments:
            payer = parties.add(payment.fund.owner, "payer")
            parties.add(proposal.company, "payee")
            transactions.append(
                {
                    "id": f"transaction-{payment.pk}",
                    "date": moment(payment.created_at),
                    "value": money(payment.paid),
                    "payer": payer,
                    "payee": supplier,
                }
            )
            dates.append(payment.created_at)
        for deliverable in contract.deliverables.all():
            dates += [d for d in (deliverable.delivered_at, deliverable.reviewed_at) if d]
        dates.append(contract.created_at)
        entry = {
            "id": f"contract-{contract.pk}",
            "awardID": award["id"],
            "title": proposal.title,
            "status": CONTRACT_STATUS.get(contract.status, "active"),
            "period": award["contractPeriod"],
            "value": money(contract.amount),
            "milestones": _milestones(contract, payments),
        }
        if transactions:
            entry["implementation"] = {"transactions": transactions}
        contracts.append(entry)
        contracts += [_purchase(plan, award) for plan in getattr(contract, "purchases", [])]

    released = max(d for d in dates if d is not None)
    release: dict = {
        "ocid": ocid,
        "id": f"{ocid}-{released.astimezone(ZoneInfo('UTC')):%Y%m%dT%H%M%SZ}",
        "date": moment(released),
        "tag": _tags(call, awards, contracts),
        "initiationType": "tender",
        "language": LANGUAGE,
        "parties": parties.as_list(),
        "buyer": buyer,
        "planning": {
            "budget": {
                "description": _("Total budget of the call, all phases together"),
                "amount": money(call.total_budget),
            }
        },
        "tender": _tender(call, phase, len(item.phases), now),
    }
    if awards:
        release["awards"] = awards
    if contracts:
        release["contracts"] = contracts
    if previous is not None:
        release["relatedProcesses"] = [
            {
                "id": f"phase-{previous.order}",
                "relationship": ["framework"],
                "title": f"{call.title} – {previous.name}",
                "scheme": "ocid",
                "identifier": ocid_of(call.pk, previous.order),
                "uri": absolute(reverse("opendata:call", kwargs={"pk": call.pk})),
            }
        ]
    return release


def _tags(call: Call, awards: list, contracts: list) -> list[str]:
    """releaseTag codelist: what this snapshot holds."""
    tags = ["tender"]
    if call.amendments.all():
        tags.append("tenderAmendment")
    if call.status == Call.Status.CANCELLED:
        tags.append("tenderCancellation")
    if awards:
        tags.append("award")
    if contracts:
        tags.append("contract")
    if any(
        contract.get("implementation")
        or any(milestone["status"] == "met" for milestone in contract.get("milestones", []))
        for contract in contracts
    ):
        tags.append("implementation")
    if any(contract["status"] == "terminated" for contract in contracts):
        tags.append("contractTermination")
    return tags


def releases_of(item: CallData, *, now: datetime | None = None) -> list[dict]:
    """One release per phase of the call, in phase order."""
    now = now or timezone.now()
    releases, previous = [], None
    for phase in item.phases:
        releases.append(_release(item, phase, previous, now))
        previous = phase
    return releases


def release_package(items: list[CallData], *, uri: str, now: datetime | None = None) -> dict:
    """A release package of these calls' releases; `uri` is where this package is found.

    Written in the portal's default language (Dutch), whatever the visitor's language, so that
    the published data is the same for everyone.
    """
    with translation.override(settings.LANGUAGE_CODE):
        releases = [release for item in items for release in releases_of(item, now=now)]
    # The last change to anything in the package (OCDS: for a package made on demand).
    published = max(
        (datetime.fromisoformat(release["date"]) for release in releases),
        default=now or timezone.now(),
    )
    return {
        "uri": absolute(uri),
        "version": OCDS_VERSION,
        "publishedDate": moment(published),
        "publisher": publisher(),
        "license": LICENSE,
        "publicationPolicy": absolute(reverse("opendata:index")),
        "releases": releases,
    }


def package_for(calls, *, uri: str, now: datetime | None = None) -> dict:
    """The release package of these calls (a queryset of open data calls)."""
    return release_package(load_calls(calls), uri=uri, now=now)


def _number(value):
    if isinstance(value, Decimal):
        # Amounts have at most 14 digits, two after the point (portal.money): a double holds them
        # exactly as written (json prints the shortest text that reads back the same).
        return float(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def package_json(package: dict) -> bytes:
    return json.dumps(package, ensure_ascii=False, indent=1, default=_number).encode()
