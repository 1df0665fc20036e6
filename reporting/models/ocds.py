"""Open data with its history: every change to a call that OCDS covers, stored as a release.

A release is written once and never changed (``save``, ``update`` and ``delete`` raise
``ImmutableRecord``, as for the opening record): a record compiles the releases of one ocid
in date order, so changing an old release would rewrite history that others may already have
downloaded. Its ``release_id`` is made from
the ocid and the event (``…-amendment-12``), so the same event recorded twice (a task sent
twice by the outbox) is the same release, and two events at once are two releases.

Each ocid's record (its releases linked, the compiled and the versioned release) is compiled
when one of its releases is stored and kept in ``OcdsRecord``: a page of records is then read,
not merged, however long the histories grow.

The bulk files (one gzipped JSON Lines file per year) are built by a Celery task; their row
says which releases went in, so the periodic task rebuilds only a year that changed.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from calls.models import Call
from proposals.models.opening import ImmutableModel


class OcdsRelease(ImmutableModel):
    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="ocds_releases")
    ocid = models.CharField(_("ocid"), max_length=200)
    release_id = models.CharField(_("release id"), max_length=300, unique=True)
    date = models.DateTimeField(_("date"))
    tags = models.JSONField(_("tags"), default=list)
    data = models.JSONField(_("release"))
    created_at = models.DateTimeField(_("stored at"), auto_now_add=True)

    class Meta:
        verbose_name = _("OCDS release")
        verbose_name_plural = _("OCDS releases")
        ordering = ["date", "pk"]
        indexes = [
            models.Index(fields=["ocid", "date"], name="ocdsrelease_ocid_date"),
            models.Index(fields=["-date", "-id"], name="ocdsrelease_newest"),
        ]

    def __str__(self) -> str:
        return self.release_id


class OcdsRecord(models.Model):
    """One ocid's record, compiled from all its stored releases each time one is stored.

    Unlike a release it changes (with every new release of its ocid); it is derived data,
    rebuilt from the releases by ``ocds_record_compile`` (and ``ocds_backfill``). ``latest`` is
    the ocid's newest release: the current state of the process, as the release packages of
    /open-data/releases.json serve it.
    """

    ocid = models.CharField(_("ocid"), max_length=200, unique=True)
    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="ocds_records")
    # The phase's order, from the ocid (…-phase-2): the packages list a call's phases in order.
    position = models.PositiveSmallIntegerField(_("phase"), default=0)
    latest = models.ForeignKey(
        OcdsRelease, on_delete=models.PROTECT, related_name="+", verbose_name=_("newest release")
    )
    date = models.DateTimeField(_("date of the newest release"))
    # The releases, oldest first: [{"id", "date", "tag"}] (linked when the record is served).
    releases = models.JSONField(_("releases"), default=list)
    compiled = models.JSONField(_("compiled release"), default=dict)
    versioned = models.JSONField(_("versioned release"), default=dict)
    compiled_at = models.DateTimeField(_("compiled at"), auto_now=True)

    class Meta:
        verbose_name = _("OCDS record")
        verbose_name_plural = _("OCDS records")
        ordering = ["-date", "ocid"]
        indexes = [
            models.Index(fields=["-date", "ocid"], name="ocdsrecord_newest"),
            models.Index(fields=["call", "position", "ocid"], name="ocdsrecord_call"),
        ]

    def __str__(self) -> str:
        return self.ocid


class OcdsBulkFile(models.Model):
    """One year's releases as a gzipped JSON Lines file in the private storage."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    path = models.CharField(_("file"), max_length=255)
    releases = models.PositiveIntegerField(_("releases"))
    last_release = models.PositiveBigIntegerField(_("last release included"))
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    built_at = models.DateTimeField(_("built at"))

    class Meta:
        verbose_name = _("OCDS bulk file")
        verbose_name_plural = _("OCDS bulk files")
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}: {self.path}"
