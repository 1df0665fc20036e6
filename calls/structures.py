"""The starting structure of a new call per instrument; the officer adjusts it.

SBIR follows RVO's three criteria (impact, technological feasibility, economic perspective),
with economic perspective weighing more in the prototype phase.
"""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .models import Call, Phase

SBIR_FEASIBILITY_CRITERIA = [
    (_("Impact"), _("Contribution to solving the challenge and to the public task."), 40),
    (_("Technological feasibility"), _("Soundness of the approach and the team."), 40),
    (_("Economic perspective"), _("Market potential and route to a product."), 20),
]
SBIR_PROTOTYPE_CRITERIA = [
    (_("Impact"), _("Contribution to solving the challenge and to the public task."), 30),
    (_("Technological feasibility"), _("Results of the feasibility study; the R&D plan."), 30),
    (_("Economic perspective"), _("Business plan and route to the market."), 40),
]
PARTNERSHIP_CRITERIA = [
    (_("Quality of the solution"), _("How well the solution meets the requirements."), 40),
    (_("Degree of innovation"), _("What is new compared with what the market offers."), 20),
    (_("Plan of approach"), _("Phasing, interim targets and risk management."), 20),
    (_("Price"), _("Total cost of development and purchase."), 20),
]
CONTEST_CRITERIA = [
    (_("Originality"), _("How new and surprising the idea is."), 40),
    (_("Feasibility"), _("Whether it can be made to work."), 30),
    (_("Impact"), _("What it contributes to the challenge."), 30),
]

# (kind, name, criteria, required documents, interim targets?)
STRUCTURES = {
    Call.Instrument.SBIR: [
        (
            Phase.Kind.FEASIBILITY,
            _("Phase 1: feasibility study"),
            SBIR_FEASIBILITY_CRITERIA,
            [_("Project plan"), _("Executive summary")],
        ),
        (
            Phase.Kind.PROTOTYPE,
            _("Phase 2: R&D and prototype"),
            SBIR_PROTOTYPE_CRITERIA,
            [_("Project plan"), _("Business plan")],
        ),
    ],
    Call.Instrument.INNOVATION_PARTNERSHIP: [
        (Phase.Kind.RD, _("R&D phase 1"), PARTNERSHIP_CRITERIA, [_("Tender")]),
        (Phase.Kind.RD, _("R&D phase 2"), PARTNERSHIP_CRITERIA, [_("Progress report")]),
        (Phase.Kind.PURCHASE, _("Purchase phase"), PARTNERSHIP_CRITERIA, []),
    ],
    Call.Instrument.PRIZE_COMPETITION: [
        (Phase.Kind.SINGLE_ROUND, _("Competition"), CONTEST_CRITERIA, [_("Entry")]),
    ],
    Call.Instrument.HACKATHON: [
        (Phase.Kind.SINGLE_ROUND, _("Hackathon"), CONTEST_CRITERIA, [_("Pitch")]),
    ],
}

# What a company declares when it submits, per instrument: a new call starts with this text
# in Dutch and English, and its officers may change it while it is a draft.
DECLARATIONS = {
    Call.Instrument.SBIR: _(
        "We declare that the information in this proposal is complete and true, and that we "
        "accept the conditions of this SBIR call, including its rules and the model contract "
        "for the research and development."
    ),
    Call.Instrument.INNOVATION_PARTNERSHIP: _(
        "We declare that the information in this tender is complete and true, that none of the "
        "grounds for exclusion applies to us, and that we accept the conditions of this "
        "innovation partnership as set out in the procurement documents."
    ),
    Call.Instrument.PRIZE_COMPETITION: _(
        "We declare that the information in this entry is complete and true, that the entry is "
        "our own work, and that we accept the rules of this prize competition."
    ),
    Call.Instrument.HACKATHON: _(
        "We declare that the information in this entry is complete and true, that the entry is "
        "our own work, and that we accept the rules of this hackathon."
    ),
}


def standard_declaration(instrument: str, language: str) -> str:
    """The instrument's standard declaration in one language (nl or en)."""
    with translation.override(language):
        return str(DECLARATIONS[Call.Instrument(instrument)])


def declaration_text(call: Call, language: str | None = None) -> str:
    """The declaration a company accepts when it submits to this call, in the language given
    (else the active one): the call's own text, else the instrument's standard text."""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    if language.startswith("en"):
        return (
            call.declaration_en or call.declaration or standard_declaration(call.instrument, "en")
        )
    return call.declaration or standard_declaration(call.instrument, settings.LANGUAGE_CODE)


# --- Innovation partnership, stage 1: the standard selection ---------------------------------
# The exclusion grounds of the Uniform European Procurement Document (UEA/ESPD, art. 57 of
# Directive 2014/24; art. 2.86 and 2.87 Aw): (code, kind, name).
EXCLUSION_GROUNDS = [
    ("criminal_organisation", "mandatory", _("Participation in a criminal organisation")),
    ("corruption", "mandatory", _("Corruption")),
    ("fraud", "mandatory", _("Fraud")),
    ("terrorism", "mandatory", _("Terrorist offences or offences linked to terrorist activities")),
    ("money_laundering", "mandatory", _("Money laundering or terrorist financing")),
    ("child_labour", "mandatory", _("Child labour and other forms of trafficking in human beings")),
    ("taxes", "mandatory", _("Breach of obligations to pay taxes")),
    (
        "social_security",
        "mandatory",
        _("Breach of obligations to pay social security contributions"),
    ),
    ("bankruptcy", "discretionary", _("Bankruptcy, insolvency or liquidation")),
    ("misconduct", "discretionary", _("Grave professional misconduct")),
    ("conflict_of_interest", "discretionary", _("Conflict of interest due to the participation")),
    (
        "distortion",
        "discretionary",
        _("Agreements with other operators aimed at distorting competition"),
    ),
    (
        "deficient_performance",
        "discretionary",
        _("Significant deficiencies in the performance of an earlier contract"),
    ),
    (
        "misrepresentation",
        "discretionary",
        _("Misrepresentation, withheld information or undue influence on the procedure"),
    ),
]
# (category, description, minimum level, evidence): a starting point the officer adjusts.
SELECTION_CRITERIA = [
    (
        "suitability",
        _("Registration in the trade register (KvK) or an equivalent professional register."),
        _("Registered at the moment of the request."),
        _("An extract of the trade register of at most six months old."),
    ),
    (
        "financial",
        _("Annual turnover in the field of the partnership, over the last three financial years."),
        _("An average of at least € 250,000 per year."),
        _("The annual accounts or a statement by the accountant."),
    ),
    (
        "technical",
        _("Experience with comparable development work (references)."),
        _("At least two comparable projects in the last five years."),
        _("A list of references: client, year, scope and a contact person."),
    ),
]
