"""Proposal uploads are checked by the portal's shared upload checks (portal/uploads.py)."""

from portal.uploads import (  # noqa: F401  (the names proposals' code and tests use)
    ALLOWED_TYPES,
    PDF_ONLY,
    CheckedFile,
    VirusFound,
    check_upload,
    clamd_configured,
    scan,
)
