"""The OCDS merge routine (reporting/ocds/merge.py) on releases written by hand: arrays of
objects with an id merge by id, other arrays and literals are replaced, null removes."""

import pytest

from reporting.ocds.merge import compiled_release, versioned_release

OCID = "ocds-abc123-call-1-phase-1"


def release(number: int, date: str, tag: list[str], **fields) -> dict:
    return {"ocid": OCID, "id": f"{OCID}-{number}", "date": date, "tag": tag, **fields}


FIRST = release(
    1,
    "2026-01-05T10:00:00+01:00",
    ["tender"],
    initiationType="tender",
    parties=[{"id": "A", "name": "Gemeente", "roles": ["buyer"]}],
    tender={
        "id": "T",
        "title": "Oud",
        "value": {"amount": 100, "currency": "EUR"},
        "submissionMethod": ["electronicSubmission", "written"],
        "documents": [{"id": "d1", "title": "Oproep"}],
    },
)
SECOND = release(
    2,
    "2026-02-01T10:00:00+01:00",
    ["tenderAmendment"],
    parties=[
        {"id": "A", "roles": ["buyer", "procuringEntity"]},
        {"id": "B", "name": "EZK", "roles": ["funder"]},
    ],
    tender={
        "title": "Nieuw",
        "submissionMethod": ["electronicSubmission"],
        "documents": [{"id": "d2", "title": "Nota"}],
        "amendments": [{"id": "1", "rationale": "Meer tijd"}],
    },
)
THIRD = release(
    3,
    "2026-03-01T10:00:00+01:00",
    ["award"],
    tender={"value": None},
    awards=[{"id": "a1", "status": "active", "suppliers": [{"id": "S", "name": "Bedrijf"}]}],
)


def test_the_compiled_release_has_the_latest_value_of_each_field():
    compiled = compiled_release([THIRD, FIRST, SECOND])  # any order: merged by date
    assert compiled["id"] == f"{OCID}-2026-03-01T10:00:00+01:00"
    assert compiled["date"] == THIRD["date"]
    assert compiled["tag"] == ["compiled"]
    # Objects in an array with an id merge by id: A keeps its name and gets the new roles.
    assert compiled["parties"] == [
        {"id": "A", "name": "Gemeente", "roles": ["buyer", "procuringEntity"]},
        {"id": "B", "name": "EZK", "roles": ["funder"]},
    ]
    tender = compiled["tender"]
    assert tender["title"] == "Nieuw"
    assert tender["id"] == "T"
    # A list of strings is replaced whole, not merged.
    assert tender["submissionMethod"] == ["electronicSubmission"]
    # Documents have ids: both are kept.
    assert [d["id"] for d in tender["documents"]] == ["d1", "d2"]
    # null removes the field.
    assert "value" not in tender
    assert compiled["awards"][0]["suppliers"] == [{"id": "S", "name": "Bedrijf"}]


def test_releases_of_the_same_date_merge_in_the_order_stored():
    later = release(4, FIRST["date"], ["tenderUpdate"], tender={"title": "Zelfde dag"})
    assert compiled_release([FIRST, later])["tender"]["title"] == "Zelfde dag"


def test_the_versioned_release_keeps_each_value_with_its_release():
    versioned = versioned_release([FIRST, SECOND, THIRD])
    assert versioned["ocid"] == OCID
    assert not {"id", "date", "tag"} & set(versioned)
    titles = versioned["tender"]["title"]
    assert [(v["releaseID"], v["value"]) for v in titles] == [
        (f"{OCID}-1", "Oud"),
        (f"{OCID}-2", "Nieuw"),
    ]
    assert titles[1]["releaseTag"] == ["tenderAmendment"]
    assert titles[1]["releaseDate"] == SECOND["date"]
    # An unchanged value gets no new entry: the tender id was given once.
    assert [v["value"] for v in versioned["tender"]["id"]] == ["T"]
    # A removed object: each of its values gets a null entry.
    assert versioned["tender"]["value"]["amount"] == [
        {
            "releaseID": f"{OCID}-1",
            "releaseDate": FIRST["date"],
            "releaseTag": ["tender"],
            "value": 100,
        },
        {
            "releaseID": f"{OCID}-3",
            "releaseDate": THIRD["date"],
            "releaseTag": ["award"],
            "value": None,
        },
    ]
    # Objects in arrays keep their id as is; their other fields are versioned.
    (party_a, party_b) = versioned["parties"]
    assert party_a["id"] == "A"
    assert [v["value"] for v in party_a["roles"]] == [["buyer"], ["buyer", "procuringEntity"]]
    assert party_b["name"][0]["releaseID"] == f"{OCID}-2"
    # A list of strings is one versioned value.
    assert [v["value"] for v in versioned["tender"]["submissionMethod"]] == [
        ["electronicSubmission", "written"],
        ["electronicSubmission"],
    ]


def test_a_record_needs_a_release():
    with pytest.raises(ValueError, match="at least one release"):
        compiled_release([])
    with pytest.raises(ValueError, match="at least one release"):
        versioned_release([])
