"""The open data of the demo: valid OCDS, with the awards of Circulaire Viaducten's phases."""

from reporting.ocds.validation import validate_package
from tests.reporting.test_opendata import ALL, package_from


def test_the_demo_data_validates(demo_world, client):
    package = package_from(client.get(ALL))
    assert validate_package(package) == []
    titles = {r["tender"]["title"].split(" – ")[0] for r in package["releases"]}
    assert "SBIR Circulaire Viaducten" in titles
    viaducts = [r for r in package["releases"] if r["tender"]["title"].startswith("SBIR Circ")]
    assert [len(r.get("awards", [])) for r in viaducts] == [10, 3]


def test_the_demo_has_a_history_an_amended_call_and_awards(demo_world, client):
    from reporting.models import OcdsRelease
    from reporting.ocds.validation import validate_record_package

    amended = OcdsRelease.objects.filter(call__status="published", tags=["tenderAmendment"])
    assert amended.exists()
    ocid = amended.first().ocid
    record_package = package_from(client.get(f"/open-data/history/records/{ocid}.json"))
    assert validate_record_package(record_package) == []
    (record,) = record_package["records"]
    assert [r["tag"] for r in record["releases"]][:2] == [["tender"], ["tenderAmendment"]]
    assert record["compiledRelease"]["tender"]["amendments"]

    viaducts = OcdsRelease.objects.filter(
        call__title="SBIR Circulaire Viaducten", ocid__endswith="-phase-1"
    )
    assert viaducts.filter(tags=["award"]).count() == 10
    every = package_from(client.get("/open-data/history/records.json"))
    assert validate_record_package(every) == []
    history = package_from(client.get("/open-data/history/releases.json"))
    assert validate_package(history) == []
