"""Serving stored files through views, after the view has checked who may read them."""

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from django.utils.cache import patch_cache_control
from django.utils.text import get_valid_filename


def safe_filename(name: str, fallback: str = "document") -> str:
    """A file name that cannot break out of the header or name a path."""
    cleaned = get_valid_filename(name.replace("\\", "/").rsplit("/", 1)[-1]) if name else ""
    return cleaned or fallback


def file_response(
    stored: FieldFile,
    *,
    filename: str,
    content_type: str = "application/pdf",
    as_attachment: bool = False,
    private: bool = True,
) -> FileResponse:
    """The stored file as a download; a file missing from storage is a 404, not a 500.

    Private files (proposal documents, receipts, advice) must not stay in shared caches.
    """
    try:
        handle = stored.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    response = FileResponse(
        handle,
        as_attachment=as_attachment,
        filename=safe_filename(filename),
        content_type=content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    if private:
        patch_cache_control(response, private=True, no_store=True)
    return response
