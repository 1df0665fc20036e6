"""On a phone (375 px) a wide table scrolls inside its own box: the page itself never scrolls
sideways, not even because of a table's visually hidden header ("Actions")."""

import pytest
from django.urls import reverse

from portal.models import Membership, Role, TeamRole
from tests.factories import CompanyFactory, person_with_role
from tests.proposals.test_assessment_pages import build_committee

from .test_selection import act_as

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 375, "height": 800}


def page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_phase_page_and_the_team_page_fit_a_phone(page, live_server, language):
    page.set_viewport_size(PHONE)
    setting = build_committee(3, members=3)
    act_as(page, live_server, setting["officer"], language)
    page.goto(reverse("proposals:officer_phase", args=[setting["phase"].pk]))
    assert page.get_by_test_id("members").is_visible()
    assert page_width(page) <= PHONE["width"]
    # The members' table itself is wider than the phone: it scrolls in its box.
    assert (
        page.evaluate("document.querySelector('[data-testid=members]').scrollWidth")
        > PHONE["width"]
    )

    company = CompanyFactory(name="Slimme Sluizen B.V.")
    admin = person_with_role(Role.APPLICANT, organisation=company)
    Membership.objects.filter(user=admin).update(team_role=TeamRole.ADMINISTRATOR)
    colleague = person_with_role(Role.APPLICANT, organisation=company)
    act_as(page, live_server, admin, language)
    page.goto(reverse("identity:team"))
    assert page.get_by_text(colleague.full_name).first.is_visible()
    assert page_width(page) <= PHONE["width"]
