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


@pytest.mark.parametrize("language", ["nl", "en"])
def test_on_a_phone_a_tables_caption_and_the_chairs_tick_are_in_view(page, live_server, language):
    from tests.proposals.test_assessment_pages import assign, cleared, scored

    page.set_viewport_size(PHONE)
    setting = build_committee(2, members=3)
    chair, members = setting["chair"], setting["members"]
    y, z = setting["proposals"]
    for seat in (chair, *members):
        cleared(seat, [y, z])
    scored(setting, assign(setting, members[0], y), (8, 8, 8))
    assign(setting, members[1], z)

    # The legend of "who assesses which proposal" wraps within the phone's width, though the
    # table itself is wider and scrolls in its box.
    act_as(page, live_server, setting["officer"], language)
    page.goto(reverse("proposals:officer_phase", args=[setting["phase"].pk]))
    table = page.get_by_test_id("assignments")
    assert table.evaluate("table => table.scrollWidth") > PHONE["width"]
    box = table.locator("caption").bounding_box()
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= PHONE["width"]
    assert page_width(page) <= PHONE["width"]

    # The chair's tick is the ranking's first column: in view without scrolling the table.
    act_as(page, live_server, chair.user, language)
    page.goto(reverse("proposals:advice", args=[chair.pk]))
    tick = page.locator(f"#select-{y.pk}")
    box = tick.bounding_box()
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= PHONE["width"]
