"""Active content in PDF files: what a reader could run, launch or unpack is refused.

libmagic only says a file starts like a PDF. This module parses it (pypdf) and looks at every
object, including those in compressed object streams, for JavaScript (/JS, /JavaScript in an
action or the names tree), launch and embedded-go-to actions, embedded files (/EmbeddedFiles,
/EmbeddedFile, file attachment annotations), rich media (Flash, video with scripts) and XFA
forms (which carry scripts); automatic actions (/OpenAction, /AA) are refused when they lead
to one of those. It also refuses polyglots: a file must start with ``%PDF-``, may not carry
HTML in the part a browser sniffs nor after its last ``%%EOF``, and may not also be a ZIP
archive. The raw bytes are searched too, so an object no cross-reference table points to
does not escape.
"""

import io
import re
import zipfile

from django.utils.translation import gettext as _
from pypdf import PdfReader
from pypdf.errors import PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

DANGEROUS_ACTIONS = {"/JavaScript", "/Launch", "/GoToE", "/ImportData", "/RichMediaExecute"}
DANGEROUS_KEYS = {"/JS", "/JavaScript", "/EmbeddedFiles", "/EF", "/RichMediaContent", "/XFA"}
DANGEROUS_TYPES = {"/EmbeddedFile", "/RichMedia", "/FileAttachment"}
# Names as they appear in the bytes (a name may hide behind #xx escapes; the parser sees
# through those, this search catches what the parser cannot reach).
RAW_NAMES = re.compile(
    rb"/(JavaScript|JS|Launch|EmbeddedFiles?|RichMedia\w*|XFA|GoToE|ImportData)(?![A-Za-z0-9])"
)
HTML = re.compile(rb"<\s*(!doctype\s+html|html|script|body|iframe|svg|object|embed)\b", re.I)
BROWSER_SNIFF_BYTES = 1024


def _problem(kind: str) -> str:
    return {
        "javascript": _("it contains JavaScript"),
        "launch": _("it contains an action that starts a program or opens another file"),
        "embedded": _("it contains embedded files"),
        "richmedia": _("it contains rich media or an XFA form"),
        "html": _("it also contains HTML"),
        "zip": _("it is also a ZIP archive"),
        "header": _("it does not start as a PDF file"),
        "unreadable": _("it cannot be read as a PDF file (damaged or password-protected)"),
    }[kind]


def _kind_of_name(name: str) -> str:
    if name in ("/JavaScript", "/JS"):
        return "javascript"
    if name in ("/Launch", "/GoToE", "/ImportData"):
        return "launch"
    if name.startswith(("/EmbeddedFile", "/FileAttachment")) or name == "/EF":
        return "embedded"
    return "richmedia"


def _walk(value, seen: set) -> str | None:
    """The kind of active content in this object or what it holds directly, if any."""
    if isinstance(value, IndirectObject):
        return None  # every indirect object is visited on its own
    if isinstance(value, ArrayObject):
        for item in value:
            if found := _walk(item, seen):
                return found
        return None
    if not isinstance(value, DictionaryObject) or id(value) in seen:
        return None
    seen.add(id(value))
    for key in value:
        if key in DANGEROUS_KEYS:
            return _kind_of_name(key)
    for key in ("/S", "/Type", "/Subtype"):
        name = value.get(key)
        if isinstance(name, NameObject) and (name in DANGEROUS_ACTIONS or name in DANGEROUS_TYPES):
            return _kind_of_name(name)
    for item in value.values():
        if found := _walk(item, seen):
            return found
    return None


def _parsed_problem(data: bytes) -> str | None:
    reader = PdfReader(io.BytesIO(data), strict=False)
    if reader.is_encrypted and not reader.decrypt(""):
        return "unreadable"
    numbers = {(num, gen) for gen, objects in reader.xref.items() for num in objects}
    numbers |= {(num, 0) for num in reader.xref_objStm}
    seen: set = set()
    for num, gen in sorted(numbers):
        try:
            value = reader.get_object(IndirectObject(num, gen, reader))
        except (PyPdfError, ValueError, KeyError, TypeError, OSError):
            continue
        if found := _walk(value, seen):
            return found
    if found := _walk(reader.trailer, seen):
        return found
    return None


def pdf_active_content(data: bytes) -> str | None:
    """Why this PDF is refused (a sentence part: "it contains JavaScript"), or None."""
    if not data.startswith(b"%PDF-"):
        return _problem("header")
    tail = data[data.rfind(b"%%EOF") + 5 :] if b"%%EOF" in data else b""
    if HTML.search(data[:BROWSER_SNIFF_BYTES]) or HTML.search(tail):
        return _problem("html")
    if zipfile.is_zipfile(io.BytesIO(data)):
        return _problem("zip")
    if match := RAW_NAMES.search(data):
        return _problem(_kind_of_name("/" + match.group(1).decode()))
    try:
        kind = _parsed_problem(data)
    except (PyPdfError, ValueError, KeyError, TypeError, OSError, RecursionError):
        # Without streams the raw search above saw everything; with them, what cannot be
        # parsed cannot be checked.
        kind = "unreadable" if b"stream" in data else None
    return _problem(kind) if kind else None
