"""Records: the releases of one ocid merged into a compiled and a versioned release.

OCDS 1.1's merge routine, written for the releases this portal stores, and driven by the
release schema (``dereferenced-release-schema.json``) as the standard prescribes:

- the releases are merged oldest first (by ``date``, then by the order they were stored);
- ``id``, ``date`` and ``tag`` of a release (``omitWhenMerged``) are not merged: the compiled
  release gets its own (``tag`` ``["compiled"]``, the newest release's date, ``id``
  ``<ocid>-<date>``), and in the versioned release they say where each value came from;
- an object is merged field by field; a field set to ``null`` is removed (compiled);
- an array of objects whose schema items have an ``id`` (parties, awards, contracts,
  milestones, documents, amendments, transactions, ...) is merged by ``id``: an object with a
  known id is merged into the one before, a new one is appended. Every other array (strings
  such as ``roles``, or a list the schema marks ``wholeListMerge``) is replaced whole;
- in the versioned release every other field becomes a list of versioned values
  (``releaseID``, ``releaseDate``, ``releaseTag``, ``value``), with a new entry only when the
  value changed; the ``id`` of an object in an array is kept as it is; ``ocid`` too.
"""

import copy
import json
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

SCHEMA_DIR = Path(__file__).resolve().parent / "schema" / "1.1.5"
OMIT_WHEN_MERGED = ("id", "date", "tag")


@cache
def release_schema() -> dict:
    with (SCHEMA_DIR / "dereferenced-release-schema.json").open(encoding="utf-8") as handle:
        return json.load(handle)


def _types(schema: dict | None) -> list:
    if not schema:
        return []
    kind = schema.get("type", [])
    return kind if isinstance(kind, list) else [kind]


def _properties(schema: dict | None) -> dict:
    return (schema or {}).get("properties") or {}


def merged_by_id(schema: dict | None, value: Any) -> bool:
    """Whether this array is merged object by object (by ``id``) rather than replaced."""
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        return False
    if schema is None:
        # A field the schema does not know: merge by id when every object has one.
        return bool(value) and all("id" in item for item in value)
    if "array" not in _types(schema) or schema.get("wholeListMerge"):
        return False
    items = schema.get("items") or {}
    item_types = _types(items)
    if item_types and "object" not in item_types:
        return False
    return "id" in _properties(items)


def _is_object(schema: dict | None, value: Any) -> bool:
    return isinstance(value, dict) and (
        schema is None or "object" in _types(schema) or not _types(schema)
    )


# --- Compiled release ---------------------------------------------------------------------------


def _compile_object(output: dict, incoming: dict, schema: dict | None) -> None:
    properties = _properties(schema)
    for key, value in incoming.items():
        field_schema = properties.get(key) if schema is not None else None
        if value is None:
            output.pop(key, None)
        elif merged_by_id(field_schema, value):
            _compile_array(output.setdefault(key, []), value, (field_schema or {}).get("items"))
        elif _is_object(field_schema, value):
            target = output.get(key)
            if not isinstance(target, dict):
                target = output[key] = {}
            _compile_object(target, value, field_schema)
        else:
            output[key] = copy.deepcopy(value)


def _compile_array(output: list, incoming: list, item_schema: dict | None) -> None:
    index = {item.get("id"): item for item in output}
    for item in incoming:
        known = index.get(item.get("id"))
        if known is None:
            known = {}
            output.append(known)
            index[item.get("id")] = known
        _compile_object(known, item, item_schema)


def _ordered(releases: list[dict]) -> list[dict]:
    # sorted() is stable: releases of the same date stay in the order they were stored.
    return sorted(releases, key=lambda release: datetime.fromisoformat(release["date"]))


def compiled_release(releases: list[dict]) -> dict:
    """The current state of the process: the releases merged, newest value of each field."""
    ordered = _ordered(releases)
    if not ordered:
        raise ValueError("A record needs at least one release")
    output: dict = {}
    schema = release_schema()
    for release in ordered:
        body = {key: value for key, value in release.items() if key not in OMIT_WHEN_MERGED}
        _compile_object(output, body, schema)
    latest = ordered[-1]
    return {
        "ocid": latest["ocid"],
        "id": f"{latest['ocid']}-{latest['date']}",
        "date": latest["date"],
        "tag": ["compiled"],
        **{key: value for key, value in output.items() if key != "ocid"},
    }


# --- Versioned release --------------------------------------------------------------------------


def _versioned_value(release: dict, value: Any) -> dict:
    return {
        "releaseID": release["id"],
        "releaseDate": release["date"],
        "releaseTag": list(release.get("tag") or []),
        "value": copy.deepcopy(value),
    }


def _version_null(output: dict | list, release: dict) -> None:
    """A field set to null that held an object (or objects): each value in it becomes null."""
    items = output if isinstance(output, list) else [output]
    for item in items:
        for key, held in item.items():
            if key == "id" and isinstance(output, list):
                continue
            if isinstance(held, dict | list) and not _is_history(held):
                _version_null(held, release)
            elif held and held[-1]["value"] is not None:
                held.append(_versioned_value(release, None))


def _is_history(held: Any) -> bool:
    return isinstance(held, list) and all(
        isinstance(item, dict) and "releaseID" in item for item in held
    )


def _version_field(output: dict, key: str, value: Any, schema: dict | None, release: dict) -> None:
    held = output.get(key)
    if value is None and held is not None and not _is_history(held):
        _version_null(held, release)
        return
    if merged_by_id(schema, value):
        _version_array(output.setdefault(key, []), value, (schema or {}).get("items"), release)
    elif _is_object(schema, value):
        target = output.get(key)
        if not isinstance(target, dict):
            target = output[key] = {}
        _version_object(target, value, schema, release)
    else:
        history = output.setdefault(key, [])
        if not history or history[-1]["value"] != value:
            history.append(_versioned_value(release, value))


def _version_object(output: dict, incoming: dict, schema: dict | None, release: dict) -> None:
    properties = _properties(schema)
    for key, value in incoming.items():
        _version_field(output, key, value, properties.get(key) if schema else None, release)


def _version_array(output: list, incoming: list, item_schema: dict | None, release: dict) -> None:
    index = {item.get("id"): item for item in output}
    for item in incoming:
        known = index.get(item.get("id"))
        if known is None:
            known = {"id": item.get("id")}
            output.append(known)
            index[item.get("id")] = known
        rest = {key: value for key, value in item.items() if key != "id"}
        _version_object(known, rest, item_schema, release)


def versioned_release(releases: list[dict]) -> dict:
    """Every value each field had, with the release that gave it, oldest first."""
    ordered = _ordered(releases)
    if not ordered:
        raise ValueError("A record needs at least one release")
    output: dict = {"ocid": ordered[-1]["ocid"]}
    schema = release_schema()
    properties = _properties(schema)
    for release in ordered:
        for key, value in release.items():
            if key in OMIT_WHEN_MERGED or key == "ocid":
                continue
            _version_field(output, key, value, properties.get(key), release)
    return output


# --- The versioned release's schema -------------------------------------------------------------


def _versioned_leaf(schema: dict) -> dict:
    value = {key: item for key, item in schema.items() if key not in ("title", "description")}
    return {
        "type": "array",
        "items": {
            "type": "object",
            "properties": {
                "releaseDate": {"type": "string", "format": "date-time"},
                "releaseID": {"type": "string"},
                "releaseTag": {"type": "array", "items": {"type": "string"}},
                "value": value,
            },
            "required": ["releaseDate", "releaseID", "value"],
        },
    }


def _versioned_object(schema: dict, *, plain_id: bool) -> dict:
    properties = {}
    for key, field in _properties(schema).items():
        if plain_id and key == "id":
            properties[key] = field
        else:
            properties[key] = _versioned_field(field)
    return {"type": "object", "properties": properties}


def _versioned_field(schema: dict) -> dict:
    types = _types(schema)
    if "array" in types and _id_items(schema):
        return {
            "type": "array",
            "items": _versioned_object(schema["items"], plain_id=True),
        }
    if "object" in types and _properties(schema):
        return _versioned_object(schema, plain_id=False)
    return _versioned_leaf(schema)


def _id_items(schema: dict) -> bool:
    """An array of objects with an id, merged by id (the shape merged_by_id checks)."""
    if schema.get("wholeListMerge"):
        return False
    items = schema.get("items") or {}
    item_types = _types(items)
    return (not item_types or "object" in item_types) and "id" in _properties(items)


@cache
def versioned_release_schema() -> dict:
    """The schema of a versioned release, derived from the release schema (OCDS 1.1.5's
    ``versioned-release-validation-schema.json`` has the same structure)."""
    schema = release_schema()
    properties = {
        key: _versioned_field(field)
        for key, field in _properties(schema).items()
        if key not in OMIT_WHEN_MERGED and key != "ocid"
    }
    properties["ocid"] = _properties(schema)["ocid"]
    return {
        "id": "https://standard.open-contracting.org/schema/1__1__5/"
        "versioned-release-validation-schema.json",
        "type": "object",
        "properties": properties,
        "required": ["ocid"],
    }
