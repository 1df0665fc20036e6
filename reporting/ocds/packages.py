"""Packages of the stored releases (reporting.OcdsRelease): release packages and record
packages, as OCDS 1.1 defines them.

A record package holds one record per ocid: its releases (linked: the address of the release
package of that ocid with the release id as fragment, its date and tags, oldest first), the
compiled release and the versioned release (reporting/ocds/merge.py), as compiled into
``OcdsRecord`` each time a release of the ocid is stored.
"""

import json
import re
from datetime import datetime
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone

from .builder import LICENSE, OCDS_VERSION, absolute, moment, publisher


def package_head(uri: str, dates: list[str]) -> dict:
    published = max((datetime.fromisoformat(value) for value in dates), default=None)
    return {
        "uri": absolute(uri),
        "version": OCDS_VERSION,
        "publishedDate": moment(published or timezone.now()),
        "publisher": publisher(),
        "license": LICENSE,
        "publicationPolicy": absolute(reverse("opendata:index")),
    }


def stored_release_package(rows: list[tuple[datetime, str]], *, uri: str) -> dict:
    """A release package of stored releases (rows of date and JSON text as stored), in the
    order given; its releases are JSON text, written as they are."""
    return {
        **package_head(uri, [moment(date) for date, _text in rows]),
        "releases": [text for _date, text in rows],
    }


def ocid_releases_url(ocid: str) -> str:
    return absolute(f"{reverse('opendata:history')}?{urlencode({'ocid': ocid})}")


def record_links(ocid: str, releases: list[dict]) -> list[dict]:
    """A record's releases ({"id", "date", "tag"}), linked to the release package of its ocid."""
    package = ocid_releases_url(ocid)
    return [
        {"url": f"{package}#{release['id']}", "date": release["date"], "tag": release["tag"]}
        for release in releases
    ]


def stored_record_text(ocid: str, releases: list[dict], compiled: str, versioned: str) -> str:
    """The record as JSON, from a stored record: its compiled and versioned release are the
    JSON text as stored (never parsed), the links are made for the address asked."""
    links = json.dumps(record_links(ocid, releases), ensure_ascii=False)
    return (
        f'{{"ocid": {json.dumps(ocid)}, "releases": {links}, '
        f'"compiledRelease": {compiled}, "versionedRelease": {versioned}}}'
    )


def stored_record_package(rows: list[tuple], *, uri: str) -> dict:
    """A record package of stored records (rows of ocid, date, releases, compiled and
    versioned text), in the order given; its records are JSON text."""
    return {
        **package_head(uri, [moment(date) for _ocid, date, *_rest in rows]),
        "packages": [ocid_releases_url(ocid) for ocid, *_rest in rows],
        "records": [
            stored_record_text(ocid, releases, compiled, versioned)
            for ocid, _date, releases, compiled, versioned in rows
        ],
    }


OCID = re.compile(r"^ocds-[A-Za-z0-9]+(-[A-Za-z0-9]+)+$")


def valid_ocid(value: str) -> bool:
    """Whether the text has the shape of an ocid ("ocds-", the prefix, then the process)."""
    return len(value) <= 200 and bool(OCID.match(value))
