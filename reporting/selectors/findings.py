"""A notice's problems as the officer reads them: in words, with where each is fixed.

A stored problem (``reporting.eforms.validation.Problem``) says *what* is wrong; this says
*where the portal holds the value*: the publication details on the notices page, the call's
form (or an amendment once the call is published), the authority's details (kept by the
portal's administrator), a company's details or its proposal, or nowhere yet (the portal
cannot supply it). The XPath and rule number stay a technical detail beside the words.
Identical words are shown once, with every place in the technical detail.
"""

import re
from dataclasses import dataclass, field
from datetime import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from lxml import etree

from calls.models import Call, Phase
from calls.services.lifecycle import call_may_amend
from portal.permissions import can

from ..eforms.validation import (
    describe,
    lot_number,
    parties_of,
    party_at,
    problem_field,
    technical,
)
from ..models import Notice

# Where a value is fixed.
DETAILS, CALL, PHASE, AUTHORITY, COMPANY, PROPOSAL, PORTAL = (
    "details",
    "call",
    "phase",
    "authority",
    "company",
    "proposal",
    "portal",
)
PLACES = (DETAILS, CALL, PHASE, AUTHORITY, COMPANY, PROPOSAL, PORTAL)
# The question the pages where a value is fixed ask (their views' ``can``).
MANAGE_CALL = "calls.manage_call"

# What the portal lacks (the builder's gaps), by code: where it is fixed, and for the
# publication details the form field (its id on the notices page).
DATA_PLACES = {
    "no_cpv": (DETAILS, "cpv_code"),
    "no_nuts": (DETAILS, "place_of_performance_nuts"),
    "no_deadline": (CALL, "deadline"),
    "no_criteria": (CALL, ""),
    "no_tender_validity": (CALL, "tender_validity"),
    "no_review_body": (AUTHORITY, ""),
    "no_main_activity": (AUTHORITY, ""),
    "no_company_size": (COMPANY, ""),
    "no_tenderer_sizes": (COMPANY, ""),
    "no_subcontracting": (PROPOSAL, ""),
    "no_final_award": (PORTAL, ""),
}
# The gaps about one organisation of the notice: the authority's (or its review body's) are
# the authority's details, a winner's the company's.
ORGANISATION_GAPS = {
    "no_city",
    "no_country",
    "no_identifier",
    "no_postal_code",
    "no_organisation_nuts",
    "no_telephone",
}
# Business terms by their BT number: where the portal holds them (for the call's form, the
# call's field when the hint depends on it: whether an amendment may change it).
TERM_PLACES = {
    "BT-262": (DETAILS, "cpv_code"),
    "BT-263": (DETAILS, "cpv_code"),
    "BT-26": (DETAILS, "cpv_code"),
    "BT-5071": (DETAILS, "place_of_performance_nuts"),
    "BT-5141": (DETAILS, "place_of_performance_nuts"),
    "BT-727": (DETAILS, "place_of_performance_nuts"),
    "BT-21": (CALL, "title"),
    "BT-24": (CALL, "challenge"),
    "BT-27": (CALL, ""),
    "BT-36": (CALL, ""),
    "BT-50": (CALL, ""),
    "BT-98": (CALL, "tender_validity"),
    "OPA-98": (CALL, "tender_validity"),  # BT-98's number (its unit is an attribute)
    "BT-131": (PHASE, ""),
    "BT-1311": (CALL, "participation_deadline"),  # the call's, the same for every phase
    "BT-13": (CALL, "questions_deadline"),
    "BT-539": (CALL, ""),
    "BT-540": (CALL, ""),
    "BT-541": (CALL, ""),
    "BT-734": (CALL, ""),
    "BT-10": (AUTHORITY, ""),
    "BT-11": (AUTHORITY, ""),
    "BT-165": (COMPANY, ""),
    "BT-759": (COMPANY, ""),
    "BT-760": (COMPANY, ""),
    "BT-773": (PROPOSAL, ""),
    "BT-553": (PROPOSAL, ""),
    "BT-555": (PROPOSAL, ""),
    "BT-730": (PROPOSAL, ""),
    "BT-731": (PROPOSAL, ""),
}


@dataclass
class Finding:
    """One point shown to the officer: the words, where it is fixed (``place``, one of the
    names above, with the sentence ``where``), and the technical detail (rule, XPath),
    collapsed on the page. ``form_field`` is the publication details' form field (``details``);
    ``phase`` the phase's number (``phase``). ``url`` is the page where it is fixed, only when
    the portal holds the value, it may still change, and the reader may open that page;
    ``link`` is the same for the notices page itself (``#id_<field>`` when ``url`` is that
    page)."""

    words: str
    where: str
    place: str = PORTAL
    form_field: str = ""
    phase: int | None = None
    url: str = ""
    link: str = ""
    link_label: str = ""
    technical: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class FixPage:
    """The page where a value is fixed and the question its view asks (``can``): a reader
    who may not open the page gets no address for it."""

    url_name: str
    kwargs: dict
    permission: str
    obj: object
    fragment: str = ""
    this_page: bool = False  # the notices page: the page links the fragment alone

    def url_for(self, user) -> str:
        if user is None or not can(user, self.permission, self.obj):
            return ""
        url = reverse(self.url_name, kwargs=self.kwargs)
        return f"{url}#{self.fragment}" if self.fragment else url

    def link_for(self, url: str) -> str:
        return f"#{self.fragment}" if url and self.this_page and self.fragment else url


# Rules that follow from how the portal reports a call, not from its data: nothing to fix.
PORTAL_RULES = {"BR-BT-00131-0105", "BR-OPT-00322-0053"}
# Rules about the order of dates (a deadline after the notice's date): the value is there.
DATE_ORDER_RULES = {"BR-BT-00131-0151", "BR-BT-01311-0156"}


class CallPhases:
    """The call's phases by their number, read once (and only when a finding needs them)."""

    def __init__(self, call: Call):
        self.call = call
        self._by_order: dict[int, Phase] | None = None

    def get(self, order: int) -> Phase | None:
        if self._by_order is None:
            self._by_order = {phase.order: phase for phase in self.call.phases.all()}
        return self._by_order.get(order)


def _bt(field_id: str) -> str:
    match = re.match(r"^((?:BT|OPA)-\d+)", field_id or "")
    return match.group(1) if match else ""


def _organisation_place(call: Call, name: str, party: str = "") -> str:
    if party in ("buyer", "review_body"):
        return AUTHORITY
    if party == "winner":
        return COMPANY
    authority = call.authority
    if name in ("review_body", authority.name, authority.review_body_name):
        return AUTHORITY
    return COMPANY


def _place(call: Call, problem: dict) -> tuple[str, str]:
    """Where the value of ``problem`` is fixed, and the form field on the notices page."""
    source, code = problem.get("source"), problem.get("code", "")
    params = dict(problem.get("params") or {})
    if source == "data":
        if code in ORGANISATION_GAPS:
            return _organisation_place(call, params.get("name", ""), params.get("party", "")), ""
        return DATA_PLACES.get(code, (PORTAL, ""))
    if source == "rules" and code in PORTAL_RULES:
        return PORTAL, ""
    if source in ("terms", "rules"):
        if params.get("party"):
            return _organisation_place(call, "", params["party"]), ""
        place = TERM_PLACES.get(_bt(problem_field(problem)))
        if place and place[0] == PHASE:
            # A deadline: the first phase's is the call's, a later phase's its own (its
            # order is the lot's place in the notice).
            number = lot_number(params.get("location", "")) or 1
            return (CALL, "deadline") if number == 1 else (PHASE, str(number))
        if place:
            return place
    return PORTAL, ""


Where = tuple[str, FixPage | None, str]


def _not_open() -> Where:
    return (
        _(
            "The call is no longer open, so the portal cannot change this: only an open call "
            "can be amended. If the notice must still be published, ask TenderNed how to "
            "correct it there."
        ),
        None,
        "",
    )


def _call_where(call: Call, call_field: str, problem: dict) -> Where:
    """A value of the call's form (``call_field``, "" when not one field): edited while a
    draft, amended while open if an amendment may change it (``call_may_amend``, the amend
    page's own question), otherwise out of the portal's reach."""
    # The call's form and the amendment give the field its id: the link goes to it.
    anchor = f"id_{call_field}" if call_field else ""
    if call.is_draft:
        return (
            _("Fill it in on the call's form (Edit the call)."),
            FixPage("calls:officer_edit", {"pk": call.pk}, MANAGE_CALL, call, fragment=anchor),
            _("Edit the call"),
        )
    if call_field == "tender_validity" and call_may_amend(call) and not call.is_open:
        # It binds the companies to what they submitted: never set after the deadline.
        return (
            _(
                "The deadline has passed: the proposals bind the companies as they were "
                "submitted, so their validity period can no longer change."
            ),
            None,
            "",
        )
    # A term without a field of its own (criteria, value, duration) is frozen once published.
    if call_field and call_may_amend(call, call_field):
        if call_field == "deadline" and problem.get("code") in DATE_ORDER_RULES:
            where = _("Amend the call to give it a later deadline, then prepare the notice again.")
        else:
            where = _(
                "The call is published: its terms change only with an amendment; the change "
                "notice then carries the new value."
            )
        return (
            where,
            FixPage("calls:officer_amend", {"pk": call.pk}, MANAGE_CALL, call, fragment=anchor),
            _("Amend the call"),
        )
    if call_may_amend(call):
        return (
            _(
                "An amendment cannot change this part of a published call, so the portal cannot "
                "change it now. TenderNed or TED may refuse the notice on this point."
            ),
            None,
            "",
        )
    return _not_open()


def _phase_where(call: Call, phase: Phase | None, number: str, problem: dict) -> Where:
    """A later phase's deadline: set on the call's phases page while a draft, on the phase's
    page while the call is under way (the page's and its service's own condition). Said as
    what is wrong: a phase without a deadline gets one; a deadline on or before the notice's
    date can only be extended."""
    lacks = phase is None or phase.deadline is None
    if call.is_draft:
        return (
            _("Give phase %(number)s its deadline on the call's phases page.") % {"number": number}
            if lacks
            else _("Give phase %(number)s a later deadline on the call's phases page.")
            % {"number": number},
            FixPage("calls:officer_phases", {"pk": call.pk}, MANAGE_CALL, call),
            _("Phases of the call"),
        )
    if phase is None or not call.is_under_way:
        return _("The call has ended: its phases' deadlines can no longer change."), None, ""
    fix = FixPage(
        "proposals:officer_phase", {"phase_pk": phase.pk}, MANAGE_CALL, call, fragment="deadline"
    )
    label = _("Go to phase %(number)s") % {"number": number}
    if lacks:
        return (
            _(
                "Give phase %(number)s its deadline on the phase's page (a later phase may "
                "get it once the call runs), then prepare the notice again. Until then "
                "TenderNed or TED may refuse the notice."
            )
            % {"number": number},
            fix,
            label,
        )
    if _passed(phase.deadline):
        return (
            _(
                "Phase %(number)s's deadline has passed, and a notice cannot announce a deadline "
                "that has passed. The portal can only extend it, on the phase's page, which lets "
                "companies apply again until the new date."
            )
            % {"number": number},
            fix,
            label,
        )
    return (
        _("Extend phase %(number)s's deadline on the phase's page, then prepare the notice again.")
        % {"number": number},
        fix,
        label,
    )


def _passed(moment: datetime | None) -> bool:
    return moment is not None and moment <= timezone.now()


def _where(call: Call, place: str, form_field: str, problem: dict, phases: CallPhases) -> Where:
    """The sentence saying where to fix it, the page (if the portal has one) and its label.
    Each page with the question its view asks: ``calls.manage_call`` for the call's pages,
    the notices page and the phase's page."""
    params = dict(problem.get("params") or {})
    if place == DETAILS:
        if call.has_ended:
            return _("The call has ended: its publication details can no longer change."), None, ""
        return (
            _(
                "Fill it in under “Publication details” on this page, then prepare the notice "
                "again."
            ),
            FixPage(
                "notices:officer",
                {"pk": call.pk},
                MANAGE_CALL,
                call,
                fragment=f"id_{form_field}" if form_field else "details-title",
                this_page=True,
            ),
            _("Go to the field"),
        )
    if place == CALL:
        return _call_where(call, form_field, problem)
    if place == PHASE:
        return _phase_where(call, phases.get(int(form_field or 0)), form_field, problem)
    if place == AUTHORITY:
        return (
            _(
                "Your authority's details are kept by the portal's administrator (the portal "
                "has no page for officers to change them yet): ask the administrator to add it, "
                "then prepare the notice again."
            ),
            None,
            "",
        )
    if place == COMPANY:
        name = params.get("organisation") or params.get("name") or ""
        if name and name not in ("review_body",):
            return (
                _(
                    "The company keeps this on its company details page: ask %(name)s to "
                    "fill it in, then prepare the notice again."
                )
                % {"name": name},
                None,
                "",
            )
        return (
            _(
                "The companies keep this on their company details page: ask them to fill it "
                "in, then prepare the notice again."
            ),
            None,
            "",
        )
    if place == PROPOSAL:
        return (
            _(
                "The company says this when it submits its proposal; the portal cannot add it "
                "afterwards. The notice cannot supply it for this proposal."
            ),
            None,
            "",
        )
    if problem.get("source") == "rules" and problem.get("code") in PORTAL_RULES:
        return (
            _(
                "This follows from how the portal reports the call, not from your data: it is "
                "not something you can fix here. TenderNed or TED may refuse the notice on this "
                "point."
            ),
            None,
            "",
        )
    if problem.get("source") == "schema" or problem.get("code") == "not_checked":
        return (
            _("This is a fault in the portal, not in your data: tell the portal's administrator."),
            None,
            "",
        )
    return (
        _(
            "The portal cannot supply this value yet; it is not something you can fix on this "
            "page. TenderNed or TED may refuse the notice on this point."
        ),
        None,
        "",
    )


def findings(
    call: Call, problems: list[dict], *, user, phases: CallPhases | None = None
) -> list[Finding]:
    """``problems`` in words with where each is fixed; identical points once. ``user`` is the
    reader: a page's address is given only if they may open it. ``phases``: the call's, read
    once for all its notices."""
    phases = phases if phases is not None else CallPhases(call)
    shown: dict[tuple[str, str], Finding] = {}
    for problem in problems:
        words = describe(problem)
        place, form_field = _place(call, problem)
        where, page, label = _where(call, place, form_field, problem, phases)
        finding = shown.get((words, where))
        if finding is None:
            url = page.url_for(user) if page is not None else ""
            finding = shown[words, where] = Finding(
                words=words,
                where=where,
                place=place,
                form_field=form_field if place == DETAILS else "",
                phase=int(form_field) if place == PHASE and form_field else None,
                url=url,
                link=page.link_for(url) if page is not None else "",
                link_label=label if url else "",
            )
        detail = technical(problem)
        if detail and detail not in finding.technical:
            finding.technical.append(detail)
    return list(shown.values())


def _with_parties(notice: Notice, problems: list[dict]) -> list[dict]:
    """Reports stored before rules named the organisation they are about: found from the XML."""
    lacking = [
        problem
        for problem in problems
        if problem.get("source") == "rules"
        and "party" not in (problem.get("params") or {})
        and "efac:Organization[" in (problem.get("params") or {}).get("location", "")
    ]
    if not lacking or not notice.xml:
        return problems
    parties = parties_of(etree.fromstring(notice.xml.encode("utf-8")))
    return [
        {
            **problem,
            "params": {**problem["params"], **party_at(problem["params"]["location"], parties)},
        }
        if any(problem is each for each in lacking)
        else problem
        for problem in problems
    ]


def notice_findings(
    notice: Notice, call: Call, *, user, phases: CallPhases | None = None
) -> dict[str, list[Finding]]:
    """The notice's blocking problems and its remaining business-rule findings, for the page
    and the API alike (``user``: the reader, ``phases``: see ``findings``)."""
    phases = phases if phases is not None else CallPhases(call)
    blocking = notice.blocking_problems
    rules = [
        problem
        for problem in notice.problems
        if problem.get("source") == "rules" and problem not in blocking
    ]
    return {
        "blocking": findings(call, _with_parties(notice, blocking), user=user, phases=phases),
        "rules": findings(call, _with_parties(notice, rules), user=user, phases=phases),
    }
