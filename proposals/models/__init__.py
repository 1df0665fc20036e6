"""Proposals per phase and their documents, assessment by a committee, and the contracts
of awarded proposals.

Every model is imported here, so that Django finds them and the rest of the code
imports them from `proposals.models`.
"""

from .assessment import (
    Advice,
    Assessment,
    Assignment,
    Committee,
    CommitteeMember,
    ConflictDeclaration,
    ConsensusScore,
    CriterionScore,
    DeputyDecision,
)
from .contract import CONTRACT_TRANSITIONS, Contract, Deliverable
from .decision import (
    DECISION_TRANSITIONS,
    OBJECTION_TRANSITIONS,
    REASSESSMENT_TRANSITIONS,
    Decision,
    Objection,
    ObjectionDocument,
    PrizeWithholding,
    Reassessment,
)
from .letter import DecisionLetter, LetterSequence
from .opening import ImmutableRecord, Opening, OpeningEntry
from .partnership import (
    PLAN_TRANSITIONS,
    ROUND_TRANSITIONS,
    InterimTarget,
    NegotiationRound,
    PhasePlan,
    TargetReport,
    TenderVersion,
)
from .proposal import PROPOSAL_TRANSITIONS, Attachment, Proposal, opened_q, private_storage

__all__ = [
    "CONTRACT_TRANSITIONS",
    "DECISION_TRANSITIONS",
    "OBJECTION_TRANSITIONS",
    "PLAN_TRANSITIONS",
    "PROPOSAL_TRANSITIONS",
    "REASSESSMENT_TRANSITIONS",
    "ROUND_TRANSITIONS",
    "Advice",
    "Assessment",
    "Assignment",
    "Attachment",
    "Committee",
    "CommitteeMember",
    "ConflictDeclaration",
    "ConsensusScore",
    "Contract",
    "CriterionScore",
    "Decision",
    "DecisionLetter",
    "Deliverable",
    "DeputyDecision",
    "ImmutableRecord",
    "InterimTarget",
    "LetterSequence",
    "NegotiationRound",
    "Objection",
    "ObjectionDocument",
    "Opening",
    "OpeningEntry",
    "PhasePlan",
    "PrizeWithholding",
    "Proposal",
    "Reassessment",
    "TargetReport",
    "TenderVersion",
    "opened_q",
    "private_storage",
]
