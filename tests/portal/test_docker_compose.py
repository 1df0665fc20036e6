"""docker-compose.yml, checked as a file (Docker does not run on the development machines)."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
APP_SERVICES = ("web", "worker", "beat")


def compose() -> dict:
    # safe_load resolves the `<<: *app` merge keys as compose does.
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_uploads_in_production_are_scanned_by_the_clamav_service():
    services = compose()["services"]
    clamav = services["clamav"]

    assert clamav["image"].startswith("clamav/clamav:")  # the official image
    assert clamav["image"].split(":")[1] not in {"", "latest"}  # a pinned release line
    assert clamav["healthcheck"]["test"][-1].endswith("clamdcheck.sh")
    assert any(volume.endswith(":/var/lib/clamav") for volume in clamav["volumes"])
    for name in APP_SERVICES:
        service = services[name]
        assert service["environment"]["CLAMD_HOST"] == "clamav", name
        assert service["environment"]["CLAMD_PORT"] == "3310", name
        # No upload is taken before clamd can scan it.
        assert service["depends_on"]["clamav"] == {"condition": "service_healthy"}, name


def test_every_service_that_holds_state_has_a_healthcheck_and_a_named_volume():
    document = compose()
    named = set(document["volumes"])
    for name in ("db", "redis", "clamav", "web", "worker"):
        assert "healthcheck" in document["services"][name], name
    used = {
        volume.split(":")[0]
        for service in document["services"].values()
        for volume in service.get("volumes", [])
    }
    assert used == named


def test_the_readme_says_which_volumes_to_back_up():
    readme = (ROOT / "README.md").read_text()
    section = readme[readme.index("### Backups") :]
    section = section[: section.index("\n#", 1)]
    for volume in ("pgdata", "media", "private"):
        assert f"`{volume}`" in section
    # Every volume is named there, so that an operator knows what the others are too.
    for volume in compose()["volumes"]:
        assert f"`{volume}`" in section, volume


def test_app_services_keep_their_database_connections_with_a_health_check():
    for name in APP_SERVICES:
        environment = compose()["services"][name]["environment"]
        assert environment["DATABASE_CONN_MAX_AGE"] == "60", name
        assert environment["DATABASE_CONN_HEALTH_CHECKS"] == "true", name
