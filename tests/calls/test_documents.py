"""Call documents: checked like proposal uploads (extension, declared type, content, clamd),
stored privately and served by a view that shows a draft's documents only to its officers."""

import os

import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from calls.models import CallDocument
from calls.services.lifecycle import call_document_add
from portal.exceptions import DomainError
from portal.models import Role
from portal.uploads import clamd_configured
from tests.conftest import login_verified
from tests.factories import person_with_role

from .factories import draft_call, published_call

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


def add(call, name="eisen.pdf", content=PDF, content_type="application/pdf"):
    return call_document_add(
        call=call,
        actor=call.officer,
        title="Programma van eisen",
        file=SimpleUploadedFile(name, content, content_type),
    )


def refusal(call, **kwargs) -> str:
    with pytest.raises(DomainError) as refused:
        add(call, **kwargs)
    assert not CallDocument.objects.exists()
    return refused.value.code


def test_documents_are_stored_privately_not_in_media_root():
    call = draft_call()
    document = add(call)
    assert document.file.storage is storages["private"]
    assert storages["private"].exists(document.file.name)
    assert not storages["default"].exists(document.file.name)
    with storages["private"].open(document.file.name) as stored:
        assert stored.read() == PDF


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"name": "eisen.exe"}, "extension"),
        ({"name": "eisen.docx"}, "extension"),
        ({"content": b"MZ\x90\x00 a program"}, "content_mismatch"),
        ({"content_type": "application/msword"}, "declared_mismatch"),
        ({"content": b""}, "empty"),
    ],
)
def test_bad_documents_are_refused_with_the_reason(kwargs, code):
    assert refusal(draft_call(), **kwargs) == code


def test_an_oversized_document_is_refused(settings):
    settings.UPLOAD_MAX_SIZE = 1024
    assert refusal(draft_call(), content=PDF + b"0" * 2048) == "too_large"


def test_an_unreachable_virus_scanner_refuses_rather_than_storing_unscanned(settings):
    settings.CLAMD_SOCKET = "/nonexistent/clamd.sock"
    settings.CLAMD_HOST = ""
    assert refusal(draft_call()) == "scan_unavailable"


def test_the_eicar_test_file_is_caught_by_clamd():
    if not clamd_configured():
        if os.environ.get("CI"):
            pytest.fail("CI must scan uploads with a real clamd (CLAMD_SOCKET)")
        pytest.skip("no ClamAV daemon configured (scripts/start-clamd.sh)")
    assert refusal(draft_call(), name="eicar.pdf", content=EICAR) == "virus"


def test_the_upload_page_shows_the_refusal_at_the_file_field():
    call = draft_call()
    client = login_verified(Client(), call.officer)
    response = client.post(
        reverse("calls:officer_documents", args=[call.pk]),
        {"title": "Bijlage", "file": SimpleUploadedFile("a.pdf", PDF, "image/png")},
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["file"]
    assert not CallDocument.objects.exists()


def person(who: str, call):
    return {
        "anonymous": lambda: None,
        "company": lambda: person_with_role(Role.APPLICANT),
        "other_officer": lambda: person_with_role(Role.PROCUREMENT_OFFICER),
        "ministry_staff": lambda: person_with_role(Role.MINISTRY_STAFF),
        "owner": lambda: call.officer,
    }[who]()


def download(who: str, call, document):
    user = person(who, call)
    client = login_verified(Client(), user) if user else Client()
    return client.get(reverse("calls:document", args=[call.pk, document.pk]))


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 404),
        ("company", 404),
        ("other_officer", 404),
        ("ministry_staff", 404),
        ("owner", 200),
    ],
)
def test_a_drafts_documents_are_for_its_officers_only(who, status):
    call = draft_call()
    document = add(call)
    response = download(who, call, document)
    assert response.status_code == status
    if status == 200:
        assert b"".join(response.streaming_content) == PDF
        assert "no-store" in response["Cache-Control"]
        assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("who", ["anonymous", "company", "other_officer", "owner"])
def test_a_published_calls_documents_are_for_everyone(who):
    call = published_call()
    document = add(call)
    response = download(who, call, document)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert "no-store" not in response.get("Cache-Control", "")


def test_a_document_of_another_call_is_not_found():
    call, other = published_call(), published_call()
    document = add(other)
    response = Client().get(reverse("calls:document", args=[call.pk, document.pk]))
    assert response.status_code == 404
