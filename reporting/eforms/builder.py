"""The XML of an eForms notice, from what the portal holds about a call.

One procedure per call; each phase is a lot (``LOT-0001`` is phase 1), since each phase has its
own deadline, budget, criteria and awards. Three kinds of notice:

- **competition** (subtype 16, ``cn-standard``, Directive 2014/24/EU): an SBIR as an open
  procedure (``open``), an innovation partnership as ``innovation``;
- **change** (same subtype, with the eForms ``Changes`` section naming the notice it changes,
  the reason and what changed: the portal's amendment);
- **result** (subtype 29, ``can-standard``): per phase the final awards with their contracts.

Nothing is made up: a value the portal does not hold (a CPV code, an address, an identifier) is
left out and reported as a *gap* in words, so the officer can fill it in before sending. The
few fixed answers below are facts about how the portal works (tenders only through the portal,
no electronic auction, no framework agreement, exclusion and selection grounds in the call's
documents), each named where it is written.
"""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from lxml import etree

from . import CUSTOMIZATION_ID
from .catalogue import NAMESPACES
from .validation import Problem

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
LANGUAGE = "NLD"
# BT-10: three of the portal's codes for an authority's main activity (Organisation.MainActivity)
# are not those of the eForms list authority-activity (the SDK's rule BR-BT-00010-0052).
AUTHORITY_ACTIVITY = {"econ": "econ-aff", "env": "env-pro", "educ": "education"}
# BT-99: the time limits for review, as the Aanbestedingswet 2012 sets them (art. 2.127).
REVIEW_TERMS = (
    "Wie het niet eens is met de gunningsbeslissing, kan binnen de opschortende termijn van "
    "20 kalenderdagen na de dag van verzending daarvan een kort geding aanhangig maken "
    "(artikel 2.127 Aanbestedingswet 2012)."
)
COMPETITION_SUBTYPE = "16"
RESULT_SUBTYPE = "29"
ROOT_NAMESPACE = {
    "competition": "urn:oasis:names:specification:ubl:schema:xsd:ContractNotice-2",
    "result": "urn:oasis:names:specification:ubl:schema:xsd:ContractAwardNotice-2",
}
ROOT_ELEMENT = {"competition": "ContractNotice", "result": "ContractAwardNotice"}

# ISO 3166-1 alpha-2 (the portal) to alpha-3 (eForms), for the EU and EEA.
COUNTRIES = {
    "AT": "AUT", "BE": "BEL", "BG": "BGR", "CY": "CYP", "CZ": "CZE", "DE": "DEU", "DK": "DNK",
    "EE": "EST", "ES": "ESP", "FI": "FIN", "FR": "FRA", "GR": "GRC", "HR": "HRV", "HU": "HUN",
    "IE": "IRL", "IS": "ISL", "IT": "ITA", "LI": "LIE", "LT": "LTU", "LU": "LUX", "LV": "LVA",
    "MT": "MLT", "NL": "NLD", "NO": "NOR", "PL": "POL", "PT": "PRT", "RO": "ROU", "SE": "SWE",
    "SI": "SVN", "SK": "SVK", "CH": "CHE", "GB": "GBR",
}  # fmt: skip

# The authority's tier as the code list buyer-legal-type names it.
BUYER_LEGAL_TYPES = {
    "central_government": "cga",
    "province": "ra",
    "water_board": "ra",
    "municipality": "la",
    "other_public_body": "body-pl",
}


@dataclass
class Party:
    """An organisation in the notice: the buyer, the review body or a winner."""

    ref: str
    name: str
    identifier: str = ""
    street: str = ""
    city: str = ""
    postal_code: str = ""
    nuts: str = ""
    country: str = "NL"
    telephone: str = ""
    email: str = ""
    url: str = ""
    size: str = ""  # a company's size (economic-operator-size); winners only


@dataclass
class Criterion:
    name: str
    description: str
    weight: int


@dataclass
class Award:
    """A final award of a phase: the winner and its contract."""

    tender_ref: str
    party_ref: str
    contract_ref: str
    reference: str  # the proposal's submission number
    amount: Decimal
    contract_date: datetime
    decided_at: datetime
    subcontracting: str = ""  # yes, no or unknown (applicability); empty: not asked
    subcontracting_share: Decimal | None = None  # percent of the contract, when known


@dataclass
class Lot:
    """One phase of the call."""

    number: int
    name: str
    description: str
    budget: Decimal
    duration_months: int
    deadline: datetime | None
    participation_deadline: datetime | None
    criteria: list[Criterion]
    tenders: int = 0
    awards: list[Award] = field(default_factory=list)
    closed: bool = False
    # BT-759/760: the proposals received, by the tenderers' size and origin (statistics code:
    # count); empty when a tenderer's size is unknown.
    statistics: dict[str, int] = field(default_factory=dict)
    # BT-144: why a closed phase has no winner (non-award-justification): no proposals came in
    # (no-rece) or every one was rejected (all-rej); empty while proposals are being decided.
    no_award_reason: str = ""

    @property
    def ref(self) -> str:
        return f"LOT-{self.number:04d}"


@dataclass
class Change:
    """What a change notice says: the notice it changes, and why and what."""

    notice_id: str
    notice_version: str
    description: str
    lots: list[str] = field(default_factory=list)


@dataclass
class NoticeSource:
    """Everything a notice says, gathered from the portal (reporting.selectors.notices)."""

    kind: str  # competition, change or result
    notice_id: str
    folder_id: str
    issued: datetime
    procedure: str  # open or innovation
    title: str
    description: str
    cpv: str
    nuts: str
    call_url: str
    documents_url: str
    buyer: Party
    buyer_legal_type: str
    buyer_activity: str
    central_government: bool
    review_body: Party
    lots: list[Lot]
    winners: list[Party] = field(default_factory=list)
    change: Change | None = None
    min_candidates: int | None = None  # BT-50, innovation partnership
    tender_validity: int | None = None  # BT-98
    tender_validity_unit: str = "MONTH"
    version: str = "01"

    @property
    def subtype(self) -> str:
        return RESULT_SUBTYPE if self.kind == "result" else COMPETITION_SUBTYPE

    @property
    def document(self) -> str:
        return "result" if self.kind == "result" else "competition"


# --- Writing elements ---------------------------------------------------------------------------


def _tag(name: str) -> str:
    prefix, local = name.split(":")
    return f"{{{NAMESPACES[prefix]}}}{local}"


def sub(parent: etree._Element, name: str, text: Any = None, **attributes: str):
    element = etree.SubElement(parent, _tag(name), attrib=attributes)
    if text is not None:
        element.text = str(text)
    return element


def _date(moment: datetime) -> str:
    local = moment.astimezone(AMSTERDAM)
    offset = local.strftime("%z")
    return f"{local:%Y-%m-%d}{offset[:3]}:{offset[3:]}"


def _time(moment: datetime) -> str:
    local = moment.astimezone(AMSTERDAM)
    offset = local.strftime("%z")
    return f"{local:%H:%M:%S}{offset[:3]}:{offset[3:]}"


def _amount(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01'))}"


def _ref(parent, name: str, ref: str, scheme: str = "organization") -> None:
    identification = sub(sub(parent, name), "cac:PartyIdentification")
    sub(identification, "cbc:ID", ref, schemeName=scheme)


# --- The notice ----------------------------------------------------------------------------------


class Builder:
    def __init__(self, source: NoticeSource):
        self.source = source
        self.gaps: list[Problem] = []

    def gap(self, code: str, **params) -> None:
        """Something the portal lacks (``validation.DATA_MESSAGES`` has its words)."""
        problem = Problem("data", code, params)
        if problem not in self.gaps:
            self.gaps.append(problem)

    def build(self) -> etree._Element:
        source = self.source
        nsmap = {None: ROOT_NAMESPACE[source.document], **NAMESPACES}
        root = etree.Element(
            f"{{{ROOT_NAMESPACE[source.document]}}}{ROOT_ELEMENT[source.document]}", nsmap=nsmap
        )
        self._extensions(root)
        sub(root, "cbc:UBLVersionID", "2.3")
        sub(root, "cbc:CustomizationID", CUSTOMIZATION_ID)
        sub(root, "cbc:ID", source.notice_id, schemeName="notice-id")
        sub(root, "cbc:ContractFolderID", source.folder_id)
        sub(root, "cbc:IssueDate", _date(source.issued))
        sub(root, "cbc:IssueTime", _time(source.issued))
        sub(root, "cbc:VersionID", source.version)
        sub(root, "cbc:RegulatoryDomain", "32014L0024")
        if source.document == "result":
            sub(root, "cbc:NoticeTypeCode", "can-standard", listName="result")
        else:
            sub(root, "cbc:NoticeTypeCode", "cn-standard", listName="competition")
        sub(root, "cbc:NoticeLanguageCode", LANGUAGE)
        self._contracting_party(root)
        if source.document == "competition":
            terms = sub(root, "cac:TenderingTerms")
            # The exclusion grounds are in the call's documents (the UEA/ESPD).
            requirement = sub(
                sub(terms, "cac:TendererQualificationRequest"), "cac:SpecificTendererRequirement"
            )
            sub(
                requirement,
                "cbc:TendererRequirementTypeCode",
                "epo-procurement-document",
                listName="exclusion-grounds-source",
            )
            # A company may propose for every phase the call has (BT-31).
            sub(
                sub(terms, "cac:LotDistribution"),
                "cbc:MaximumLotsSubmittedNumeric",
                len(source.lots),
            )
        process = sub(root, "cac:TenderingProcess")
        sub(process, "cbc:ProcedureCode", source.procedure, listName="procurement-procedure-type")
        if source.document == "competition" and source.procedure != "innovation":
            # An innovation partnership cannot be accelerated (the SDK's rule BR-BT-00106-0053).
            justification = sub(process, "cac:ProcessJustification")
            sub(justification, "cbc:ProcessReasonCode", "false", listName="accelerated-procedure")
        self._project(sub(root, "cac:ProcurementProject"), source.title, source.description)
        for lot in source.lots:
            self._lot(root, lot)
        if source.document == "result":
            decided = [award.decided_at for lot in source.lots for award in lot.awards]
            if decided:
                sub(sub(root, "cac:TenderResult"), "cbc:AwardDate", _date(max(decided)))
            else:
                self.gap("no_final_award")
        return root

    # The eForms extension: changes, results, subtype, organisations.
    def _extensions(self, root) -> None:
        source = self.source
        extension = sub(
            sub(sub(sub(root, "ext:UBLExtensions"), "ext:UBLExtension"), "ext:ExtensionContent"),
            "efext:EformsExtension",
        )
        if source.change is not None:
            self._changes(extension, source.change)
        if source.document == "result":
            self._results(extension)
        subtype = sub(extension, "efac:NoticeSubType")
        sub(subtype, "cbc:SubTypeCode", source.subtype, listName="notice-subtype")
        organisations = sub(extension, "efac:Organizations")
        for party in [source.buyer, source.review_body, *source.winners]:
            self._organisation(organisations, party)

    def _changes(self, extension, change: Change) -> None:
        changes = sub(extension, "efac:Changes")
        sub(changes, "efbc:ChangedNoticeIdentifier", f"{change.notice_id}-{change.notice_version}")
        item = sub(changes, "efac:Change")
        sub(item, "efbc:ChangeDescription", change.description, languageID=LANGUAGE)
        # BT-141 is allowed only beside the sections it describes (BT-13716, the SDK's rule
        # BR-BT-00141-0022): the phases whose terms changed, else the procedure as a whole.
        for section in change.lots or ["PROCEDURE"]:
            sub(sub(item, "efac:ChangedSection"), "efbc:ChangedSectionIdentifier", section)
        reason = sub(changes, "efac:ChangeReason")
        sub(reason, "cbc:ReasonCode", "update-add", listName="change-corrig-justification")

    def _results(self, extension) -> None:
        source = self.source
        result = sub(extension, "efac:NoticeResult")
        awards = [award for lot in source.lots for award in lot.awards]
        total = sum((award.amount for award in awards), Decimal("0"))
        sub(result, "cbc:TotalAmount", _amount(total), currencyID="EUR")
        for lot in source.lots:
            lot_result = sub(result, "efac:LotResult")
            sub(lot_result, "cbc:ID", f"RES-{lot.number:04d}", schemeName="result")
            # A winner chosen; or none, the phase closed without one (and why); or none yet.
            if lot.awards:
                status = "selec-w"
            elif lot.closed and lot.no_award_reason:
                status = "clos-nw"
            else:
                status = "open-nw"
            sub(lot_result, "cbc:TenderResultCode", status, listName="winner-selection-status")
            if status == "clos-nw":
                reason = sub(lot_result, "efac:DecisionReason")
                sub(
                    reason,
                    "efbc:DecisionReasonCode",
                    lot.no_award_reason,
                    listName="non-award-justification",
                )
            for award in lot.awards:
                sub(
                    sub(lot_result, "efac:LotTender"),
                    "cbc:ID",
                    award.tender_ref,
                    schemeName="tender",
                )
            # Statistics of proposals received, once a winner is chosen or all were rejected
            # (none while undecided or when none came in: the SDK's rule BR-BT-00760-0106).
            if status == "selec-w" or (status == "clos-nw" and lot.no_award_reason == "all-rej"):
                statistics = sub(lot_result, "efac:ReceivedSubmissionsStatistics")
                sub(
                    statistics,
                    "efbc:StatisticsCode",
                    "tenders",
                    listName="received-submission-type",
                )
                sub(statistics, "efbc:StatisticsNumeric", lot.tenders)
                if lot.tenders and not lot.statistics:
                    self.gap("no_tenderer_sizes", number=lot.number)
                for code, count in lot.statistics.items():
                    statistics = sub(lot_result, "efac:ReceivedSubmissionsStatistics")
                    sub(
                        statistics,
                        "efbc:StatisticsCode",
                        code,
                        listName="received-submission-type",
                    )
                    sub(statistics, "efbc:StatisticsNumeric", count)
            for award in lot.awards:
                settled = sub(lot_result, "efac:SettledContract")
                sub(settled, "cbc:ID", award.contract_ref, schemeName="contract")
            sub(sub(lot_result, "efac:TenderLot"), "cbc:ID", lot.ref, schemeName="Lot")
        for lot in source.lots:
            for award in lot.awards:
                tender = sub(result, "efac:LotTender")
                sub(tender, "cbc:ID", award.tender_ref, schemeName="tender")
                total_element = sub(tender, "cac:LegalMonetaryTotal")
                sub(total_element, "cbc:PayableAmount", _amount(award.amount), currencyID="EUR")
                self._subcontracting(tender, award)
                party = sub(tender, "efac:TenderingParty")
                sub(party, "cbc:ID", f"TPA-{award.tender_ref[4:]}", schemeName="tendering-party")
                sub(sub(tender, "efac:TenderLot"), "cbc:ID", lot.ref, schemeName="Lot")
                sub(sub(tender, "efac:TenderReference"), "cbc:ID", award.reference)
        for lot in source.lots:
            for award in lot.awards:
                settled = sub(result, "efac:SettledContract")
                sub(settled, "cbc:ID", award.contract_ref, schemeName="contract")
                sub(settled, "cbc:IssueDate", _date(award.contract_date))
                _ref(settled, "cac:SignatoryParty", source.buyer.ref)
                sub(sub(settled, "efac:ContractReference"), "cbc:ID", award.reference)
                sub(sub(settled, "efac:LotTender"), "cbc:ID", award.tender_ref, schemeName="tender")
        for lot in source.lots:
            for award in lot.awards:
                party = sub(result, "efac:TenderingParty")
                sub(party, "cbc:ID", f"TPA-{award.tender_ref[4:]}", schemeName="tendering-party")
                tenderer = sub(party, "efac:Tenderer")
                sub(tenderer, "cbc:ID", award.party_ref, schemeName="organization")

    def _subcontracting(self, tender, award: Award) -> None:
        """BT-773: whether the winner subcontracts part of the contract, and what share."""
        if not award.subcontracting:
            self.gap("no_subcontracting", reference=award.reference)
            return
        term = sub(tender, "efac:SubcontractingTerm")
        if award.subcontracting == "yes" and award.subcontracting_share is not None:
            sub(term, "efbc:TermPercent", award.subcontracting_share.quantize(Decimal("0.1")))
        sub(term, "efbc:TermCode", award.subcontracting, listName="applicability")
        if award.subcontracting == "yes":
            known = "true" if award.subcontracting_share is not None else "false"
            sub(term, "efbc:PercentageKnownIndicator", known)
            sub(term, "efbc:ValueKnownIndicator", "false")

    def _organisation(self, organisations, party: Party) -> None:
        if not party.name:
            self.gap("no_review_body")
        label = party.name or "review_body"
        company = sub(sub(organisations, "efac:Organization"), "efac:Company")
        if party.url:
            sub(company, "cbc:WebsiteURI", party.url)
        if any(party is winner for winner in self.source.winners):
            if party.size:
                sub(company, "efbc:CompanySizeCode", party.size, listName="economic-operator-size")
            else:
                self.gap("no_company_size", name=label)
        identification = sub(company, "cac:PartyIdentification")
        sub(identification, "cbc:ID", party.ref, schemeName="organization")
        if party.name:
            sub(sub(company, "cac:PartyName"), "cbc:Name", party.name, languageID=LANGUAGE)
        address = sub(company, "cac:PostalAddress")
        if party.street:
            sub(address, "cbc:StreetName", party.street)
        if party.city:
            sub(address, "cbc:CityName", party.city)
        else:
            self.gap("no_city", name=label)
        if party.postal_code:
            sub(address, "cbc:PostalZone", party.postal_code)
        else:
            self.gap("no_postal_code", name=label)
        if party.nuts:
            sub(address, "cbc:CountrySubentityCode", party.nuts, listName="nuts")
        elif party.country.upper() == "NL":
            self.gap("no_organisation_nuts", name=label)
        country = COUNTRIES.get(party.country.upper())
        if country:
            sub(sub(address, "cac:Country"), "cbc:IdentificationCode", country, listName="country")
        else:
            self.gap("no_country", name=label)
        legal = sub(company, "cac:PartyLegalEntity")
        if party.identifier:
            sub(legal, "cbc:CompanyID", party.identifier)
        else:
            self.gap("no_identifier", name=label)
        if party is self.source.buyer and not party.telephone:
            self.gap("no_telephone", name=label)
        if party.telephone or party.email:
            contact = sub(company, "cac:Contact")
            if party.telephone:
                sub(contact, "cbc:Telephone", party.telephone)
            if party.email:
                sub(contact, "cbc:ElectronicMail", party.email)

    def _contracting_party(self, root) -> None:
        source = self.source
        party = sub(root, "cac:ContractingParty")
        kind = sub(party, "cac:ContractingPartyType")
        sub(kind, "cbc:PartyTypeCode", source.buyer_legal_type, listName="buyer-legal-type")
        if source.buyer_activity:
            activity = sub(party, "cac:ContractingActivity")
            sub(
                activity,
                "cbc:ActivityTypeCode",
                AUTHORITY_ACTIVITY.get(source.buyer_activity, source.buyer_activity),
                listName="authority-activity",
            )
        else:
            self.gap("no_main_activity")
        _ref(party, "cac:Party", source.buyer.ref)

    def _project(self, project, name: str, description: str, *, lot: Lot | None = None) -> None:
        source = self.source
        if lot is not None:
            sub(project, "cbc:ID", lot.number, schemeName="InternalID")
        sub(project, "cbc:Name", name, languageID=LANGUAGE)
        sub(project, "cbc:Description", description, languageID=LANGUAGE)
        # Research and development bought from companies: a service.
        sub(project, "cbc:ProcurementTypeCode", "services", listName="contract-nature")
        if lot is not None and source.document == "competition":
            total = sub(project, "cac:RequestedTenderTotal")
            sub(
                total,
                "cbc:EstimatedOverallContractAmount",
                _amount(lot.budget),
                currencyID="EUR",
            )
        if source.cpv:
            classification = sub(project, "cac:MainCommodityClassification")
            sub(classification, "cbc:ItemClassificationCode", source.cpv, listName="cpv")
        else:
            self.gap("no_cpv")
        # The place of performance only when the officer chose it: neither a region nor a
        # country is assumed (an empty one is a gap, said in words).
        if source.nuts:
            location = sub(sub(project, "cac:RealizedLocation"), "cac:Address")
            sub(location, "cbc:CountrySubentityCode", source.nuts, listName="nuts")
            sub(
                sub(location, "cac:Country"),
                "cbc:IdentificationCode",
                COUNTRIES.get(source.nuts[:2], "NLD"),
                listName="country",
            )
        else:
            self.gap("no_nuts")
        if lot is not None:
            period = sub(project, "cac:PlannedPeriod")
            sub(period, "cbc:DurationMeasure", lot.duration_months, unitCode="MONTH")

    def _lot(self, root, lot: Lot) -> None:
        source = self.source
        element = sub(root, "cac:ProcurementProjectLot")
        sub(element, "cbc:ID", lot.ref, schemeName="Lot")
        terms = sub(element, "cac:TenderingTerms")
        if source.document == "competition":
            sub(terms, "cbc:VariantConstraintCode", "not-allowed", listName="permission")
        # EZK co-finances from the national budget: no EU funds.
        sub(terms, "cbc:FundingProgramCode", "no-eu-funds", listName="eu-funded")
        if source.document == "competition":
            documents = sub(terms, "cac:CallForTendersDocumentReference")
            sub(documents, "cbc:ID", f"{source.folder_id[:8]}-{lot.number}")
            sub(documents, "cbc:DocumentType", "non-restricted-document")
            attachment = sub(sub(documents, "cac:Attachment"), "cac:ExternalReference")
            sub(attachment, "cbc:URI", source.documents_url)
            for code, listing in (
                ("none", "reserved-procurement"),
                ("epo-procurement-document", "selection-criteria-source"),
            ):
                requirement = sub(
                    sub(terms, "cac:TendererQualificationRequest"),
                    "cac:SpecificTendererRequirement",
                )
                sub(requirement, "cbc:TendererRequirementTypeCode", code, listName=listing)
            for code, listing in (
                ("no", "reserved-execution"),
                ("required" if source.central_government else "allowed", "einvoicing"),
                ("not-allowed", "ecatalog-submission"),
            ):
                requirement = sub(terms, "cac:ContractExecutionRequirement")
                sub(requirement, "cbc:ExecutionRequirementCode", code, listName=listing)
        self._awarding_terms(terms, lot)
        if source.document == "competition":
            recipient = sub(terms, "cac:TenderRecipientParty")
            sub(recipient, "cbc:EndpointID", source.call_url)
            sub(
                sub(recipient, "cac:PartyIdentification"),
                "cbc:ID",
                source.buyer.ref,
                schemeName="organization",
            )
        # BT-98 belongs to an open procedure (an SBIR): a partnership's tenders are negotiated.
        if source.document == "competition" and source.procedure == "open":
            if source.tender_validity:
                validity = sub(terms, "cac:TenderValidityPeriod")
                sub(
                    validity,
                    "cbc:DurationMeasure",
                    source.tender_validity,
                    unitCode=source.tender_validity_unit,
                )
            else:
                self.gap("no_tender_validity")
        appeal = sub(terms, "cac:AppealTerms")
        sub(
            sub(appeal, "cac:PresentationPeriod"),
            "cbc:Description",
            REVIEW_TERMS,
            languageID=LANGUAGE,
        )
        _ref(appeal, "cac:AppealInformationParty", source.review_body.ref)
        _ref(appeal, "cac:AppealReceiverParty", source.review_body.ref)
        if source.document == "competition":
            sub(sub(terms, "cac:Language"), "cbc:ID", LANGUAGE)
            post_award = sub(terms, "cac:PostAwardProcess")
            # Orders are contracts signed outside the portal; payments are bank transfers.
            sub(post_award, "cbc:ElectronicOrderUsageIndicator", "false")
            sub(post_award, "cbc:ElectronicPaymentUsageIndicator", "true")
        process = sub(element, "cac:TenderingProcess")
        if source.document == "competition":
            # Proposals are submitted only through the portal.
            sub(process, "cbc:SubmissionMethodCode", "required", listName="esubmission")
        if source.document == "competition" and source.procedure == "innovation":
            # The partnership runs in successive phases that may reduce the partners (BT-52).
            sub(process, "cbc:CandidateReductionConstraintIndicator", "true")
        # Research and development services fall outside the GPA.
        sub(process, "cbc:GovernmentAgreementConstraintIndicator", "false")
        if source.document == "competition":
            # An innovation partnership's tenders are due by invitation, after the selection
            # (BT-131 belongs to an open procedure: the SDK's rule BR-BT-00131-0105).
            if lot.deadline is not None and source.procedure != "innovation":
                period = sub(process, "cac:TenderSubmissionDeadlinePeriod")
                sub(period, "cbc:EndDate", _date(lot.deadline))
                sub(period, "cbc:EndTime", _time(lot.deadline))
            if lot.participation_deadline is not None:
                period = sub(process, "cac:ParticipationRequestReceptionPeriod")
                sub(period, "cbc:EndDate", _date(lot.participation_deadline))
                sub(period, "cbc:EndTime", _time(lot.participation_deadline))
            if lot.number == 1 and lot.deadline is None and lot.participation_deadline is None:
                self.gap("no_deadline")
        innovation = source.document == "competition" and source.procedure == "innovation"
        if innovation and source.min_candidates:
            shortlist = sub(process, "cac:EconomicOperatorShortList")
            # BT-661: the portal sets a minimum of candidates to invite, never a maximum.
            sub(shortlist, "cbc:LimitationDescription", "false")
            sub(shortlist, "cbc:MinimumQuantity", source.min_candidates)
        auction = sub(process, "cac:AuctionTerms")
        sub(auction, "cbc:AuctionConstraintIndicator", "false")
        for code, listing in (("none", "framework-agreement"), ("none", "dps-usage")):
            system = sub(process, "cac:ContractingSystem")
            sub(system, "cbc:ContractingSystemTypeCode", code, listName=listing)
        self._project(sub(element, "cac:ProcurementProject"), lot.name, lot.description, lot=lot)

    def _awarding_terms(self, terms, lot: Lot) -> None:
        if not lot.criteria:
            self.gap("no_criteria", number=lot.number)
            return
        criterion_element = sub(sub(terms, "cac:AwardingTerms"), "cac:AwardingCriterion")
        for criterion in lot.criteria:
            subordinate = sub(criterion_element, "cac:SubordinateAwardingCriterion")
            extension = sub(
                sub(
                    sub(sub(subordinate, "ext:UBLExtensions"), "ext:UBLExtension"),
                    "ext:ExtensionContent",
                ),
                "efext:EformsExtension",
            )
            parameter = sub(extension, "efac:AwardCriterionParameter")
            sub(parameter, "efbc:ParameterCode", "per-exa", listName="number-weight")
            sub(parameter, "efbc:ParameterNumeric", criterion.weight)
            # The portal's criteria judge the quality of a proposal, never its price alone.
            sub(
                subordinate,
                "cbc:AwardingCriterionTypeCode",
                "quality",
                listName="award-criterion-type",
            )
            sub(subordinate, "cbc:Name", criterion.name, languageID=LANGUAGE)
            sub(
                subordinate,
                "cbc:Description",
                criterion.description or criterion.name,
                languageID=LANGUAGE,
            )


def build_notice(source: NoticeSource) -> tuple[bytes, list[Problem]]:
    """The notice's XML (UTF-8) and the gaps: what the portal does not hold (as problems)."""
    builder = Builder(source)
    root = builder.build()
    xml = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return xml, builder.gaps
