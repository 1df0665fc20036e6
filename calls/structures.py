"""The starting structure of a new call per instrument; the officer adjusts it.

SBIR follows RVO's three criteria (impact, technological feasibility, economic perspective),
with economic perspective weighing more in the prototype phase.
"""

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
