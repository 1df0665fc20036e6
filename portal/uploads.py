"""Checking uploaded files (proposals, call documents, requests to participate).

The extension, the type the browser declares and the type libmagic detects from the bytes
must agree; a program renamed to .pdf is refused. A PDF with active content (JavaScript,
launch actions, embedded files) or that is also HTML or a ZIP archive is refused
(portal.pdfcheck). When CLAMD_HOST or CLAMD_SOCKET is set,
every file is scanned before it is stored, and a file that cannot be scanned is refused.
"""

import hashlib
import socket
import struct
from dataclasses import dataclass
from pathlib import PurePath

import magic
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from portal.exceptions import DomainError
from portal.pdfcheck import pdf_active_content

# extension -> the MIME types libmagic may report for it
ALLOWED_TYPES = {
    "pdf": {"application/pdf"},
    "docx": {
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    },
    "xlsx": {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
    "png": {"image/png"},
    "jpg": {"image/jpeg"},
    "jpeg": {"image/jpeg"},
}
PDF_ONLY = ("pdf",)
# Browsers declare these when they do not know; then only extension and content must agree.
VAGUE_DECLARED_TYPES = {"", "application/octet-stream", "binary/octet-stream"}


@dataclass(frozen=True)
class CheckedFile:
    name: str
    content_type: str
    size: int
    sha256: str


class VirusFound(DomainError):
    pass


def check_upload(upload: UploadedFile, *, allowed: tuple[str, ...] = PDF_ONLY) -> CheckedFile:
    """Refuse anything but a clean file of an allowed type; returns what was established."""
    name = PurePath(upload.name or "").name
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    max_size = settings.UPLOAD_MAX_SIZE
    size = upload.size or 0
    if size == 0:
        raise DomainError(_("The file “%(name)s” is empty.") % {"name": name}, code="empty")
    if size > max_size:
        raise DomainError(
            _("The file “%(name)s” is larger than %(mb)d MB.")
            % {"name": name, "mb": max_size // (1024 * 1024)},
            code="too_large",
        )
    if extension not in allowed:
        raise DomainError(
            _("Files of type “.%(ext)s” are not accepted here; upload %(allowed)s.")
            % {"ext": extension, "allowed": ", ".join(f".{a}" for a in allowed)},
            code="extension",
        )
    # Scan first: a virus is reported as a virus, whatever it pretends to be.
    scan(upload, name=name)
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    detected = magic.from_buffer(head, mime=True)
    expected = ALLOWED_TYPES[extension]
    if detected not in expected:
        raise DomainError(
            _("The file “%(name)s” is not really a .%(ext)s file (its content is %(type)s).")
            % {"name": name, "ext": extension, "type": detected},
            code="content_mismatch",
        )
    if extension == "pdf":
        problem = pdf_active_content(upload.read())
        upload.seek(0)
        if problem:
            raise DomainError(
                _(
                    "The file “%(name)s” was refused because %(problem)s. Save or print it "
                    "as a plain PDF without scripts, attachments or forms, and upload it again."
                )
                % {"name": name, "problem": problem},
                code="active_content",
            )
    declared = (upload.content_type or "").split(";")[0].strip().lower()
    if declared not in VAGUE_DECLARED_TYPES and declared not in expected:
        raise DomainError(
            _("The file “%(name)s” was sent as %(type)s, which does not match its content.")
            % {"name": name, "type": declared},
            code="declared_mismatch",
        )
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedFile(name=name, content_type=detected, size=size, sha256=digest.hexdigest())


def clamd_configured() -> bool:
    return bool(settings.CLAMD_SOCKET or settings.CLAMD_HOST)


def _clamd_connection() -> socket.socket:
    if settings.CLAMD_SOCKET:
        connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        connection.settimeout(settings.CLAMD_TIMEOUT)
        connection.connect(settings.CLAMD_SOCKET)
    else:
        connection = socket.create_connection(
            (settings.CLAMD_HOST, settings.CLAMD_PORT), timeout=settings.CLAMD_TIMEOUT
        )
    return connection


def scan(upload: UploadedFile, *, name: str) -> None:
    """Stream the file to clamd (INSTREAM); raise VirusFound, or DomainError if it can't."""
    if not clamd_configured():
        return
    try:
        with _clamd_connection() as connection:
            connection.sendall(b"zINSTREAM\0")
            for chunk in upload.chunks(chunk_size=64 * 1024):
                connection.sendall(struct.pack("!L", len(chunk)) + chunk)
            connection.sendall(struct.pack("!L", 0))
            reply = b""
            while not reply.endswith(b"\0"):
                data = connection.recv(4096)
                if not data:
                    break
                reply += data
    except OSError as error:
        raise DomainError(
            _("The file could not be checked for viruses right now. Please try again later."),
            code="scan_unavailable",
        ) from error
    finally:
        upload.seek(0)
    answer = reply.rstrip(b"\0").decode(errors="replace")
    if answer.endswith("FOUND"):
        raise VirusFound(
            _("The file “%(name)s” contains a virus or malware and was not stored.")
            % {"name": name},
            code="virus",
        )
    if not answer.endswith("OK"):
        raise DomainError(
            _("The file could not be checked for viruses right now. Please try again later."),
            code="scan_unavailable",
        )
