"""The demo's identity: verified companies, one unverified squatter, and Viaduct Circulair's
person reachable through the eHerkenning mock."""

from django.urls import reverse

from portal.identity.demo.companies import UNVERIFIED, VIADUCT
from portal.models import Organisation, TeamRole, User


def test_the_demo_verifies_its_companies_and_leaves_one_to_take_back(demo_world, client, settings):
    settings.EHERKENNING_MODE = "mock"

    unverified = Organisation.objects.filter(kind="company", verified_at__isnull=True)
    assert list(unverified.values_list("name", "kvk_number")) == [(UNVERIFIED[0], UNVERIFIED[1])]
    viaduct = Organisation.objects.get(name=VIADUCT)
    assert viaduct.verifications.get().method == "eherkenning"
    lotte = User.objects.get(email="ondernemer@viaductcirculair.example")
    assert lotte.memberships.get(organisation=viaduct).team_role == TeamRole.ADMINISTRATOR

    response = client.post(
        reverse("identity:eherkenning_mock"),
        {
            "country": "NL",
            "kvk_number": viaduct.kvk_number,
            "acting_subject_id": "viaduct",
            "level_of_assurance": "urn:etoegang:core:assurance-class:loa3",
        },
    )

    assert response["Location"] == reverse("dashboard")
    assert int(client.session["_auth_user_id"]) == lotte.pk
