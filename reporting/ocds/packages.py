"""Packages of the stored releases (reporting.OcdsRelease): release packages and record
packages, as OCDS 1.1 defines them.

A record package holds one record per ocid: its releases (linked: the address of the release
package of that ocid with the release id as fragment, its date and tags, oldest first), the
compiled release and the versioned release (reporting/ocds/merge.py).
"""

import re
from datetime import datetime
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone

from .builder import LICENSE, OCDS_VERSION, absolute, moment, publisher
from .merge import compiled_release, versioned_release


def _head(uri: str, dates: list[str]) -> dict:
    published = max((datetime.fromisoformat(value) for value in dates), default=None)
    return {
        "uri": absolute(uri),
        "version": OCDS_VERSION,
        "publishedDate": moment(published or timezone.now()),
        "publisher": publisher(),
        "license": LICENSE,
        "publicationPolicy": absolute(reverse("opendata:index")),
    }


def stored_release_package(releases: list[dict], *, uri: str) -> dict:
    """A release package of stored releases, in the order given."""
    return {**_head(uri, [release["date"] for release in releases]), "releases": releases}


def ocid_releases_url(ocid: str) -> str:
    return absolute(f"{reverse('opendata:history')}?{urlencode({'ocid': ocid})}")


def record(ocid: str, releases: list[dict]) -> dict:
    """The record of one ocid from its releases (oldest first)."""
    package = ocid_releases_url(ocid)
    return {
        "ocid": ocid,
        "releases": [
            {"url": f"{package}#{release['id']}", "date": release["date"], "tag": release["tag"]}
            for release in releases
        ],
        "compiledRelease": compiled_release(releases),
        "versionedRelease": versioned_release(releases),
    }


def record_package(by_ocid: dict[str, list[dict]], *, uri: str) -> dict:
    """A record package: one record per ocid, in the order given."""
    records = [record(ocid, releases) for ocid, releases in by_ocid.items() if releases]
    dates = [release["date"] for releases in by_ocid.values() for release in releases]
    return {
        **_head(uri, dates),
        "packages": [ocid_releases_url(ocid) for ocid in by_ocid],
        "records": records,
    }


OCID = re.compile(r"^ocds-[A-Za-z0-9]+(-[A-Za-z0-9]+)+$")


def valid_ocid(value: str) -> bool:
    """Whether the text has the shape of an ocid ("ocds-", the prefix, then the process)."""
    return len(value) <= 200 and bool(OCID.match(value))
