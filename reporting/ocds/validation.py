"""Validate release packages against the OCDS 1.1.5 schema kept in this repository, offline.

Three layers, each able to fail on its own (record packages: `validate_record_package`, against
`record-package-schema.json`, the versioned release against the schema reporting/ocds/merge.py
derives from the release schema):

1. JSON Schema (draft-04): the package against `release-package-schema.json`, whose
   `releases` items resolve to the local `release-schema.json` (never fetched from the web).
   `date-time` and `uri` formats are checked too, strictly (RFC 3339 with a time zone).
2. Codelists: every field the schema marks with a `codelist` must hold a code of that list,
   open or closed; deprecated codes count as wrong. The schema itself says which fields these
   are (tag, roles, tender and award and contract status, milestone type and status, method,
   award criteria, submission method, relationship, document type, currency, ...).
3. References: every organisation a release names (buyer, procuring entity, suppliers,
   payers, payees) is one of its parties, and release ids are unique within an ocid.

`validate_package(package)` returns a list of readable error strings: empty means valid.
"""

import csv
import json
import re
from collections.abc import Iterator
from datetime import datetime
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

from jsonschema import Draft4Validator, FormatChecker, ValidationError, validators
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

SCHEMA_DIR = Path(__file__).resolve().parent / "schema" / "1.1.5"

RFC3339 = re.compile(
    r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$", re.IGNORECASE
)


@cache
def codelist(name: str) -> frozenset[str]:
    """The codes of one codelist file, e.g. `codelist("partyRole.csv")`, without deprecated ones."""
    with (SCHEMA_DIR / "codelists" / name).open(encoding="utf-8", newline="") as handle:
        return frozenset(
            row["Code"] for row in csv.DictReader(handle) if not (row.get("Deprecated") or "")
        )


def _check_codelist(validator, name, instance, schema) -> Iterator[ValidationError]:
    values = instance if isinstance(instance, list) else [instance]
    codes = codelist(name)
    for value in values:
        if isinstance(value, str) and value not in codes:
            yield ValidationError(f"{value!r} is not a code of the {name} codelist")


def _format_checker() -> FormatChecker:
    checker = FormatChecker(formats=())

    @checker.checks("date-time")
    def is_datetime(value) -> bool:
        return not isinstance(value, str) or bool(RFC3339.match(value))

    @checker.checks("uri")
    def is_uri(value) -> bool:
        if not isinstance(value, str):
            return True
        parts = urlsplit(value)
        return bool(parts.scheme and (parts.netloc or parts.scheme in {"mailto", "urn"}))

    return checker


def _load(name: str) -> dict:
    with (SCHEMA_DIR / name).open(encoding="utf-8") as handle:
        return json.load(handle)


OCDSValidator = validators.extend(Draft4Validator, {"codelist": _check_codelist})


@cache
def package_validator() -> Draft4Validator:
    package_schema = _load("release-package-schema.json")
    release_schema = _load("release-schema.json")
    # Without their "$schema", jsonschema keeps this validator class (with the codelist check)
    # when it follows a $ref, instead of switching to the plain Draft4Validator it names.
    for schema in (package_schema, release_schema):
        schema.pop("$schema", None)
    # The package refers to the release schema by its web address: serve that from disk.
    registry = Registry().with_resources(
        [
            (release_schema["id"], Resource(contents=release_schema, specification=DRAFT4)),
            (package_schema["id"], Resource(contents=package_schema, specification=DRAFT4)),
        ]
    )
    return OCDSValidator(package_schema, registry=registry, format_checker=_format_checker())


@cache
def record_package_validator() -> Draft4Validator:
    """The record package schema; a record's releases and compiled release resolve to the
    release schema, its versioned release to the schema merge.py derives from it."""
    from .merge import versioned_release_schema

    package_schema = _load("record-package-schema.json")
    release_schema = _load("release-schema.json")
    versioned_schema = versioned_release_schema()
    for schema in (package_schema, release_schema):
        schema.pop("$schema", None)
    registry = Registry().with_resources(
        [
            (schema["id"], Resource(contents=schema, specification=DRAFT4))
            for schema in (package_schema, release_schema, versioned_schema)
        ]
    )
    return OCDSValidator(package_schema, registry=registry, format_checker=_format_checker())


def _where(error: ValidationError) -> str:
    return "/".join(str(part) for part in error.absolute_path) or "(package)"


def _reference_errors(package: dict) -> list[str]:
    errors = []
    seen: set[tuple[str, str]] = set()
    for index, release in enumerate(package.get("releases") or []):
        if not isinstance(release, dict):
            continue
        key = (release.get("ocid"), release.get("id"))
        if key in seen:
            errors.append(f"releases/{index}: release id {key[1]!r} repeats within {key[0]!r}")
        seen.add(key)
        party_ids = {party.get("id") for party in release.get("parties") or []}
        for path, reference in _organisation_references(release):
            if reference.get("id") not in party_ids:
                errors.append(
                    f"releases/{index}/{path}: organisation {reference.get('id')!r} "
                    "is not one of the release's parties"
                )
    return errors


def _organisation_references(release: dict) -> Iterator[tuple[str, dict]]:
    if release.get("buyer"):
        yield "buyer", release["buyer"]
    tender = release.get("tender") or {}
    if tender.get("procuringEntity"):
        yield "tender/procuringEntity", tender["procuringEntity"]
    for a, award in enumerate(release.get("awards") or []):
        for s, supplier in enumerate(award.get("suppliers") or []):
            yield f"awards/{a}/suppliers/{s}", supplier
    for c, contract in enumerate(release.get("contracts") or []):
        transactions = (contract.get("implementation") or {}).get("transactions") or []
        for t, transaction in enumerate(transactions):
            for side in ("payer", "payee"):
                if transaction.get(side):
                    yield f"contracts/{c}/implementation/transactions/{t}/{side}", transaction[side]


def validate_package(package: dict) -> list[str]:
    """Every way the package departs from OCDS 1.1.5, as readable lines; [] when valid."""
    errors = [
        f"{_where(error)}: {error.message}"
        for error in sorted(package_validator().iter_errors(package), key=str)
    ]
    if isinstance(package, dict):
        errors += _reference_errors(package)
    return errors


def validate_record_package(package: dict) -> list[str]:
    """Every way the record package departs from OCDS 1.1.5, as readable lines; [] when valid.

    Besides the schema: each compiled release names only its own parties, each record's
    linked releases are in date order, and no ocid has two records.
    """
    errors = [
        f"{_where(error)}: {error.message}"
        for error in sorted(record_package_validator().iter_errors(package), key=str)
    ]
    if not isinstance(package, dict):
        return errors
    records = [record for record in package.get("records") or [] if isinstance(record, dict)]
    compiled = [record.get("compiledRelease") or {} for record in records]
    errors += [
        error.replace("releases/", "records/", 1).replace("/", "/compiledRelease/", 1)
        for error in _reference_errors({"releases": compiled})
    ]
    seen = set()
    for index, record in enumerate(records):
        if record.get("ocid") in seen:
            errors.append(f"records/{index}: ocid {record.get('ocid')!r} has two records")
        seen.add(record.get("ocid"))
        try:
            dates = [datetime.fromisoformat(item["date"]) for item in record.get("releases") or []]
        except (KeyError, TypeError, ValueError):
            continue  # the schema reports it
        if dates != sorted(dates):
            errors.append(f"records/{index}/releases: not in date order")
    return errors
