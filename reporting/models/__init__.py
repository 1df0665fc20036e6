"""Reporting's jobs: reports for parliament and exports, each a record with its status and
progress that a page can show while a worker makes the file.

Every model is imported here, so that Django finds them and the rest of the code
imports them from `reporting.models`.
"""

from .jobs import STEP_LABELS, Export, Job, ParliamentReport, _private_storage
from .notices import NOTICE_TRANSITIONS, Notice
from .ocds import OcdsBulkFile, OcdsRecord, OcdsRelease

__all__ = [
    "NOTICE_TRANSITIONS",
    "STEP_LABELS",
    "Export",
    "Job",
    "Notice",
    "OcdsBulkFile",
    "OcdsRecord",
    "OcdsRelease",
    "ParliamentReport",
    "_private_storage",
]
