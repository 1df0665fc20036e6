"""Uploads: a PDF that could run, launch or unpack something, or that is also HTML or a ZIP
archive, is refused with a clear message (portal.pdfcheck); a plain PDF is stored."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    TextStringObject,
)

from portal.exceptions import DomainError
from tests.proposals.factories import complete_draft
from tests.proposals.test_submission import upload_for

pytestmark = pytest.mark.django_db


def _write(writer: PdfWriter) -> bytes:
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def plain_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": "Projectplan"})
    return _write(writer)


def with_javascript() -> bytes:
    """Document-level JavaScript in the names tree, run when the file opens."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    action = writer._add_object(
        DictionaryObject(
            {
                NameObject("/S"): NameObject("/JavaScript"),
                NameObject("/JS"): TextStringObject("app.alert('hallo');"),
            }
        )
    )
    tree = DictionaryObject(
        {NameObject("/Names"): ArrayObject([TextStringObject("begroeting"), action])}
    )
    writer._root_object[NameObject("/Names")] = DictionaryObject(
        {NameObject("/JavaScript"): writer._add_object(tree)}
    )
    return _write(writer)


def with_launch_action() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    launch = DictionaryObject(
        {
            NameObject("/S"): NameObject("/Launch"),
            NameObject("/F"): TextStringObject("calc.exe"),
        }
    )
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(launch)
    return _write(writer)


def with_page_javascript_in_additional_actions() -> bytes:
    writer = PdfWriter()
    page = writer.add_blank_page(width=595, height=842)
    action = DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("this.print();"),
        }
    )
    page[NameObject("/AA")] = DictionaryObject({NameObject("/O"): action})
    return _write(writer)


def with_embedded_file() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_attachment("factuur.exe", b"MZ\x90\x00 not a real program")
    return _write(writer)


def with_file_attachment_annotation() -> bytes:
    writer = PdfWriter()
    page = writer.add_blank_page(width=595, height=842)
    annotation = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/FileAttachment"),
            NameObject("/Rect"): ArrayObject([FloatObject(0)] * 4),
        }
    )
    page[NameObject("/Annots")] = ArrayObject([writer._add_object(annotation)])
    return _write(writer)


def with_hidden_name_escape() -> bytes:
    """/J#61vaScript is /JavaScript to a reader; the raw bytes do not show it."""
    data = with_javascript()
    return data.replace(b"/JavaScript", b"/J#61vaScript").replace(b"/JS ", b"/J#53 ")


def html_polyglot() -> bytes:
    """Starts as a PDF (libmagic says application/pdf), but a browser sniffs HTML."""
    return b"%PDF-1.7\n%<html><script>alert(document.cookie)</script>\n" + plain_pdf()[9:]


def html_appended() -> bytes:
    return plain_pdf() + b"\n<html><body><script>alert(1)</script></body></html>\n"


def zip_polyglot() -> bytes:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("payload.txt", "not a PDF at all")
    return plain_pdf() + archive.getvalue()


def as_upload(data: bytes, name: str = "plan.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


@pytest.mark.parametrize(
    ("make", "said"),
    [
        (with_javascript, "JavaScript"),
        (with_launch_action, "starts a program"),
        (with_page_javascript_in_additional_actions, "JavaScript"),
        (with_embedded_file, "embedded files"),
        (with_file_attachment_annotation, "embedded files"),
        (with_hidden_name_escape, "JavaScript"),
        (html_polyglot, "HTML"),
        (html_appended, "HTML"),
        (zip_polyglot, "ZIP"),
    ],
    ids=lambda value: getattr(value, "__name__", None),
)
def test_active_content_is_refused_and_nothing_is_stored(make, said, settings):
    settings.LANGUAGE_CODE = "en"
    # The PDF check on its own: where a ClamAV daemon runs (CI), its heuristics refuse some of
    # these files first, as a virus (the scan comes first), which is a refusal too.
    settings.CLAMD_SOCKET = ""
    settings.CLAMD_HOST = ""
    proposal = complete_draft()
    before = proposal.attachments.count()

    with pytest.raises(DomainError) as refused:
        upload_for(proposal, as_upload(make()))

    assert refused.value.code == "active_content"
    assert said in str(refused.value.message)
    assert proposal.attachments.count() == before


def test_a_plain_pdf_is_stored():
    proposal = complete_draft()
    attachment = upload_for(proposal, as_upload(plain_pdf(), "schoon.pdf"))
    assert attachment.pk is not None
    assert attachment.content_type == "application/pdf"


def test_the_company_page_says_why_a_pdf_is_refused(client):
    proposal = complete_draft()
    client.force_login(proposal.person)
    document = proposal.phase.required_documents.first()
    page_url = reverse("proposals:edit", kwargs={"pk": proposal.pk})
    response = client.post(
        page_url,
        {"title": proposal.title, f"doc_{document.pk}": as_upload(with_javascript()), "save": "1"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "JavaScript" in response.content.decode()
    names = set(proposal.attachments.values_list("original_name", flat=True))
    assert "plan.pdf" not in names
