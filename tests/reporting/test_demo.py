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
