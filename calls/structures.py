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
