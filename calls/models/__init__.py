"""Calls for innovation: what an authority asks for, in which phases, judged on what.

Every model is imported here, so that Django finds them and the rest of the code
imports them from `calls.models`.
"""

from .call import (
    CALL_TRANSITIONS,
    CONTEST_INSTRUMENTS,
    Call,
    Criterion,
    Follower,
    Mission,
    Phase,
    Prize,
    Question,
    RequiredDocument,
)
from .clarifications import ClarificationQuestion, ClarificationRelease
from .documents import (
    Amendment,
    AmendmentChange,
    CallDocument,
    amendment_value,
    call_document_path,
    private_storage,
    validity_value,
)
from .mandates import Mandate
from .participation import (
    PARTICIPATION_TRANSITIONS,
    ParticipationRequest,
    participation_document_path,
)
from .selection import CriterionAnswer, ExclusionAnswer, ExclusionGround, SelectionCriterion

__all__ = [
    "CALL_TRANSITIONS",
    "CONTEST_INSTRUMENTS",
    "PARTICIPATION_TRANSITIONS",
    "Amendment",
    "AmendmentChange",
    "Call",
    "CallDocument",
    "ClarificationQuestion",
    "ClarificationRelease",
    "Criterion",
    "CriterionAnswer",
    "ExclusionAnswer",
    "ExclusionGround",
    "Follower",
    "Mandate",
    "Mission",
    "ParticipationRequest",
    "Phase",
    "Prize",
    "Question",
    "RequiredDocument",
    "SelectionCriterion",
    "amendment_value",
    "call_document_path",
    "participation_document_path",
    "private_storage",
    "validity_value",
]
