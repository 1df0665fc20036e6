"""Stored files follow their rows: a replaced or deleted file leaves storage once the change is
committed (never before), and `manage.py orphan_files` finds and removes what escaped."""

import io
import uuid
from datetime import timedelta

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

import portal.files
from calls.models import CallDocument, ClarificationRelease
from portal.files import _file_fields, orphan_files
from proposals.models import Attachment, Deliverable, Proposal
from proposals.services.submission import attachment_add, proposal_withdraw
from reporting.models import Export
from reporting.services.exports import export_request
from reporting.services.jobs import job_begin, job_finish
from tests.calls.factories import draft_call, officer_of, published_call
from tests.conftest import login_verified
from tests.proposals.factories import PDF, complete_draft, pdf_upload


def storage_of(model, field="file"):
    return model._meta.get_field(field).storage


def stored_with_stem(storage, folder: str, stem: str) -> list[str]:
    """The files in `folder` whose name starts with `stem` (the storage may add a suffix)."""
    try:
        _folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return []
    return [f"{folder}/{name}" for name in files if name.startswith(stem)]


def unique_pdf() -> tuple[str, object]:
    stem = f"plan-{uuid.uuid4().hex[:12]}"
    return stem, pdf_upload(f"{stem}.pdf")


def orphans_listed(*args) -> str:
    out = io.StringIO()
    call_command("orphan_files", *args, stdout=out)
    return out.getvalue()


# --- Every file field is watched ---------------------------------------------------------------


@pytest.mark.django_db
def test_every_file_field_of_every_app_is_cleaned_up():
    from django_cleanup import cache

    watched = cache.cleanup_fields()
    fields = {f"{model._meta.label_lower}.{field.name}" for model, field in _file_fields()}
    assert {
        "calls.calldocument.file",
        "calls.clarificationrelease.pdf",
        "calls.participationrequest.document",
        "proposals.proposal.receipt",
        "proposals.attachment.file",
        "proposals.advice.pdf",
        "proposals.deliverable.file",
        "reporting.export.file",
        "reporting.parliamentreport.file",
    } <= fields
    for label in fields:
        model, name = label.rsplit(".", 1)
        assert name in watched[model], label


# --- Replacing and deleting through the pages --------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_ten_replacements_through_the_page_leave_exactly_one_file(client):
    draft = complete_draft()
    document = draft.phase.required_documents.first()
    storage = storage_of(Attachment)
    client.force_login(draft.person)
    stem = f"plan-{uuid.uuid4().hex[:12]}"
    for _ in range(10):
        response = client.post(
            reverse("proposals:edit", args=[draft.pk]),
            {
                "title": draft.title,
                "action": "save",
                f"doc_{document.pk}": pdf_upload(f"{stem}.pdf"),
            },
        )
        assert response.status_code == 302

    attachment = draft.attachments.get(required_document=document)
    folder = attachment.file.name.rsplit("/", 1)[0]
    assert stored_with_stem(storage, folder, stem) == [attachment.file.name]


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_replacement_keeps_the_old_file_and_leaves_an_orphan():
    draft = complete_draft()
    document = draft.phase.required_documents.first()
    storage = storage_of(Attachment)
    old = draft.attachments.get(required_document=document)

    stem, upload = unique_pdf()

    def replace_then_fail() -> None:
        with transaction.atomic():
            attachment_add(
                proposal=draft, actor=draft.person, upload=upload, required_document=document
            )
            raise RuntimeError("the request failed after the upload")

    with pytest.raises(RuntimeError):
        replace_then_fail()

    assert draft.attachments.get(required_document=document).pk == old.pk
    assert storage.exists(old.file.name)
    with storage.open(old.file.name) as stored:
        assert stored.read() == PDF
    # The new file was written before the rollback; it is an orphan now, and the command sees it.
    listed = orphans_listed("--older-than", "0")
    assert f"/{stem}" in listed
    assert old.file.name not in listed


@pytest.mark.django_db
def test_a_replacement_removes_the_old_file_only_when_it_commits(
    django_capture_on_commit_callbacks,
):
    draft = complete_draft()
    document = draft.phase.required_documents.first()
    storage = storage_of(Attachment)
    old = draft.attachments.get(required_document=document).file.name

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        attachment_add(
            proposal=draft, actor=draft.person, upload=unique_pdf()[1], required_document=document
        )
        assert storage.exists(old), "removed before the transaction committed"
    assert callbacks
    assert not storage.exists(old)
    assert storage.exists(draft.attachments.get(required_document=document).file.name)


@pytest.mark.django_db
def test_deleting_a_draft_removes_its_documents(django_capture_on_commit_callbacks):
    draft = complete_draft()
    storage = storage_of(Attachment)
    names = list(draft.attachments.values_list("file", flat=True))
    assert names
    assert all(storage.exists(name) for name in names)

    with django_capture_on_commit_callbacks(execute=True):
        proposal_withdraw(proposal=draft, actor=draft.person)

    assert not Proposal.objects.filter(pk=draft.pk).exists()
    assert not any(storage.exists(name) for name in names)


@pytest.mark.django_db
def test_an_officer_deleting_a_call_document_removes_its_file(django_capture_on_commit_callbacks):
    call = draft_call()
    client = login_verified(Client(), call.officer)
    client.post(
        reverse("calls:officer_documents", args=[call.pk]),
        {"title": "Eisen", "file": SimpleUploadedFile("eisen.pdf", PDF, "application/pdf")},
    )
    document = call.documents.get()
    storage = storage_of(CallDocument)
    assert storage.exists(document.file.name)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("calls:officer_document_delete", args=[call.pk, document.pk]),
        )

    assert not CallDocument.objects.filter(pk=document.pk).exists()
    assert not storage.exists(document.file.name)


@pytest.mark.django_db
def test_a_redelivered_deliverable_keeps_only_the_new_file(
    client, django_capture_on_commit_callbacks
):
    from proposals.services.decisions import deliverable_review
    from tests.proposals.test_company_pages import awarded_with_deliverable_for

    draft = complete_draft()
    _proposal, deliverable = awarded_with_deliverable_for(draft)
    client.force_login(draft.person)
    target = reverse("proposals:deliver", args=[deliverable.pk])
    storage = storage_of(Deliverable)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(target, {"file": pdf_upload("rapport.pdf")})
    deliverable.refresh_from_db()
    first = deliverable.file.name
    officer = officer_of(deliverable.contract.proposal.call.authority)
    deliverable_review(deliverable=deliverable, actor=officer, accept=False, remarks="Te kort.")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(target, {"file": pdf_upload("rapport-v2.pdf")})

    deliverable.refresh_from_db()
    assert deliverable.file.name != first
    assert storage.exists(deliverable.file.name)
    assert not storage.exists(first)


@pytest.mark.django_db
def test_an_export_made_again_keeps_only_its_last_file(django_capture_on_commit_callbacks):
    call = published_call()
    export, _new = export_request(actor=call.officer, kind=Export.Kind.CALLS, file_format="csv")
    storage = storage_of(Export)
    names = []
    for attempt in range(3):
        export.status = Export.Status.QUEUED
        export.save(update_fields=["status"])
        job = job_begin(Export, export.pk)
        with django_capture_on_commit_callbacks(execute=True):
            job_finish(
                job, filename="calls.csv", content=f"attempt {attempt}".encode(), row_count=1
            )
        names.append(Export.objects.get(pk=export.pk).file.name)

    # A freed name may be used again; whatever the names, only the last attempt's file is left.
    assert {name for name in names if storage.exists(name)} == {names[-1]}
    with storage.open(names[-1]) as stored:
        assert stored.read() == b"attempt 2"


@pytest.mark.django_db
def test_a_clarification_pdf_rendered_again_replaces_the_public_file(
    django_capture_on_commit_callbacks,
):
    from calls.tasks import render_clarification_pdf

    call = published_call()
    release = ClarificationRelease.objects.create(call=call, number=1, published_by=call.officer)
    storage = storage_of(ClarificationRelease, "pdf")
    with django_capture_on_commit_callbacks(execute=True):
        first = render_clarification_pdf(release.pk)
    with django_capture_on_commit_callbacks(execute=True):
        second = render_clarification_pdf(release.pk)

    assert first != second
    assert storage.exists(second)
    assert not storage.exists(first)


# --- Orphans -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_orphans_are_listed_by_default_and_removed_only_with_delete():
    draft = complete_draft()
    kept = draft.attachments.first().file.name
    private = storage_of(Attachment)
    public = storage_of(ClarificationRelease, "pdf")
    lost_private = private.save(f"proposals/lost-{uuid.uuid4().hex}.pdf", ContentFile(PDF))
    lost_public = public.save(f"calls/clarifications/lost-{uuid.uuid4().hex}.pdf", ContentFile(PDF))

    listed = orphans_listed("--older-than", "0")
    assert f"private\t{lost_private}\t{len(PDF)}" in listed
    assert f"default\t{lost_public}\t{len(PDF)}" in listed
    assert kept not in listed
    assert "Dry run: nothing removed" in listed
    assert private.exists(lost_private)
    assert public.exists(lost_public)

    removed = orphans_listed("--older-than", "0", "--delete")
    assert "orphan file(s) removed" in removed
    assert not private.exists(lost_private)
    assert not public.exists(lost_public)
    assert private.exists(kept)


@pytest.mark.django_db
def test_a_fresh_file_is_no_orphan_yet_its_row_may_still_be_committing():
    private = storage_of(Attachment)
    name = private.save(f"proposals/in-flight-{uuid.uuid4().hex}.pdf", ContentFile(PDF))

    assert name not in orphans_listed()
    orphans_listed("--delete")
    assert private.exists(name)

    with time_machine.travel(timezone.now() + timedelta(minutes=61)):
        assert name in orphans_listed()


@pytest.mark.django_db
def test_a_file_that_a_row_took_meanwhile_is_not_removed():
    draft = complete_draft()
    attachment = draft.attachments.first()
    private = storage_of(Attachment)
    name = private.save(f"proposals/late-{uuid.uuid4().hex}.pdf", ContentFile(PDF))
    found = [o for o in orphan_files(older_than=timedelta(0)) if o.name == name]
    assert found

    Attachment.objects.filter(pk=attachment.pk).update(file=name)
    assert portal.files.orphan_files_delete(orphans=found) == []
    assert private.exists(name)


def test_a_storage_inside_another_storages_folder_is_not_taken_for_orphans(tmp_path, monkeypatch):
    media = FileSystemStorage(location=tmp_path / "media")
    private = FileSystemStorage(location=tmp_path / "media" / "private")
    media.save("calls/clarifications/lost.pdf", ContentFile(PDF))
    private.save("proposals/document.pdf", ContentFile(PDF))
    monkeypatch.setattr(
        portal.files, "_managed_storages", lambda: {"default": media, "private": private}
    )
    monkeypatch.setattr(
        portal.files, "referenced_files", lambda: {"default": set(), "private": set()}
    )

    found = {(o.storage, o.name) for o in orphan_files(older_than=timedelta(0))}

    assert found == {
        ("default", "calls/clarifications/lost.pdf"),
        ("private", "proposals/document.pdf"),
    }
