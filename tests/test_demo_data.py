import pytest
from django.core.management import call_command
from django.utils import timezone

from calls.models import Call
from portal.models import Membership, Organisation, Role, User


def load():
    call_command("demo_data", "--force", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_demo_data_loads_the_source_letters_world_and_can_run_again(demo_world):
    counts = (Organisation.objects.count(), User.objects.count(), Call.objects.count())
    load()
    assert (Organisation.objects.count(), User.objects.count(), Call.objects.count()) == counts

    names = set(Organisation.objects.values_list("name", flat=True))
    for name in ["Rijkswaterstaat", "Provincie Zuid-Holland", "ZonMw"]:
        assert name in names
    for role in Role.values:
        assert Membership.objects.filter(role=role).exists(), role
    assert User.objects.filter(is_staff=True).exists()


def test_demo_has_the_four_named_trajectories_and_calls_open_now(demo_world):
    titles = set(Call.objects.values_list("title", flat=True))
    assert "SBIR Circulaire Viaducten" in titles
    assert any("vaarwegen" in t for t in titles)
    assert any("binnensporten" in t for t in titles)
    assert any("beschermingsmiddelen" in t for t in titles)
    open_now = Call.objects.filter(status=Call.Status.PUBLISHED, deadline__gt=timezone.now())
    assert open_now.count() >= 1
    assert open_now.filter(instrument=Call.Instrument.INNOVATION_PARTNERSHIP).exists()
    viaducts = Call.objects.get(title="SBIR Circulaire Viaducten")
    assert [p.planned_awards for p in viaducts.phases.all()] == [10, 3]


@pytest.mark.django_db
def test_a_test_without_the_demo_finds_an_empty_database():
    # The demo of the tests before is rolled back before this one starts.
    assert not Call.objects.exists()
    assert not Organisation.objects.exists()
