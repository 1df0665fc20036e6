"""Open data with its history: every change to a call that OCDS covers, stored as a release.

A release is written once and never changed (``save``, ``update`` and ``delete`` raise
``ImmutableRecord``, as for the opening record): a record compiles the releases of one ocid
in date order, so changing an old release would rewrite history that others may already have
downloaded. Its ``release_id`` is made from
the ocid and the event (``…-amendment-12``), so the same event recorded twice (a task sent
twice by the outbox) is the same release, and two events at once are two releases.

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
