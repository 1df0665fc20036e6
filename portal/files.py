"""Stored files: serving them after a permission check, and finding those no row refers to."""

import os
import posixpath
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.apps import apps
from django.conf import DEFAULT_STORAGE_ALIAS, STATICFILES_STORAGE_ALIAS, settings
from django.core.files.storage import (
    DefaultStorage,
    Storage,
    storages,
)
from django.db import models
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from django.utils import timezone
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


# --- Orphans: stored files that no row refers to ---------------------------------------------
# django-cleanup removes a file once the row that held it is deleted or given another file and
# that transaction commits. Files still escape: a transaction that wrote a file and was then
# rolled back, a worker killed between storing and committing, files from before the cleanup.
# These functions find them, for `manage.py orphan_files`.


@dataclass(frozen=True)
class StoredFile:
    storage: str  # the alias in settings.STORAGES
    name: str
    size: int
    modified: datetime


def _storage_aliases() -> list[str]:
    """The storages that hold uploads and generated files (not the static files)."""
    return [alias for alias in settings.STORAGES if alias != STATICFILES_STORAGE_ALIAS]


def _file_fields() -> Iterator[tuple[type[models.Model], models.FileField]]:
    for model in apps.get_models():
        if model._meta.proxy:
            continue
        for field in model._meta.local_concrete_fields:
            if isinstance(field, models.FileField):
                yield model, field


def _alias_of(field: models.FileField) -> str | None:
    if isinstance(field.storage, DefaultStorage):
        return DEFAULT_STORAGE_ALIAS
    # A callable storage (storages["private"]) was called when the model was defined; call it
    # again to learn which alias it stands for.
    storage_callable = getattr(field, "_storage_callable", None)
    current = storage_callable() if callable(storage_callable) else field.storage
    for alias in _storage_aliases():
        if storages[alias] is current:
            return alias
    return None  # a storage of its own that this portal does not manage


def _managed_storages() -> dict[str, Storage]:
    """Per alias, the storage that the FileFields of that alias really write to.

    That is the instance made when the model was defined; it is storages[alias] unless
    STORAGES changed since (which only tests do).
    """
    managed = {alias: storages[alias] for alias in _storage_aliases()}
    for _model, field in _file_fields():
        alias = _alias_of(field)
        if alias is not None and not isinstance(field.storage, DefaultStorage):
            managed[alias] = field.storage
    return managed


def referenced_files() -> dict[str, set[str]]:
    """Per storage alias, the names that some FileField of some row refers to."""
    referenced: dict[str, set[str]] = {alias: set() for alias in _storage_aliases()}
    for model, field in _file_fields():
        alias = _alias_of(field)
        if alias is None:
            continue
        names = (
            model._base_manager.exclude(**{f"{field.name}__isnull": True})
            .exclude(**{field.name: ""})
            .values_list(field.name, flat=True)
        )
        referenced[alias].update(names.iterator())
    return referenced


def _root_of(storage: Storage) -> str | None:
    try:
        return os.path.realpath(storage.path(""))
    except NotImplementedError:
        return None  # not on the file system (e.g. in memory)


def _walk(storage: Storage, folder: str = "", *, skip: frozenset[str]) -> Iterator[str]:
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return  # a storage that never received a file has no folder yet
    for name in files:
        yield posixpath.join(folder, name) if folder else name
    for sub in folders:
        path = posixpath.join(folder, sub) if folder else sub
        # Another storage kept inside this one's folder holds its own files, not orphans.
        if _root_of(storage) is not None and os.path.realpath(storage.path(path)) in skip:
            continue
        yield from _walk(storage, path, skip=skip)


def orphan_files(*, older_than: timedelta) -> list[StoredFile]:
    """Stored files that no row refers to, last changed longer than `older_than` ago.

    The age keeps an upload in flight safe: its file is stored before its row commits.
    """
    cutoff = timezone.now() - older_than
    referenced = referenced_files()
    orphans = []
    managed = _managed_storages()
    roots = {alias: _root_of(storage) for alias, storage in managed.items()}
    for alias, storage in managed.items():
        others = frozenset(root for other, root in roots.items() if root and other != alias)
        for name in sorted(_walk(storage, skip=others)):
            if name in referenced[alias]:
                continue
            modified = storage.get_modified_time(name)
            if modified > cutoff:
                continue
            orphans.append(
                StoredFile(storage=alias, name=name, size=storage.size(name), modified=modified)
            )
    return orphans


def orphan_files_delete(*, orphans: list[StoredFile]) -> list[StoredFile]:
    """Remove the given orphans, unless a row has come to refer to one meanwhile."""
    still_referenced = referenced_files()
    managed = _managed_storages()
    deleted = []
    for orphan in orphans:
        if orphan.name in still_referenced[orphan.storage]:
            continue
        managed[orphan.storage].delete(orphan.name)
        deleted.append(orphan)
    return deleted
