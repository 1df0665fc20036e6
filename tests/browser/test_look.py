"""The look, measured in Chromium: vertical rhythm, whole table rows, right-aligned money, a
header whose name and button do not touch, and a menu that collapses on a phone without
JavaScript. axe-core checks every state."""

from decimal import Decimal

import pytest

from tests.calls.factories import published_call

from .conftest import axe_violations
from .test_officer import log_in_as_officer

pytestmark = pytest.mark.django_db(transaction=True)

WIDE, PHONE = {"width": 1280, "height": 900}, {"width": 375, "height": 800}


def box(page, selector: str) -> dict:
    return page.locator(selector).first.bounding_box()


def style(page, selector: str, prop: str) -> str:
    return page.locator(selector).first.evaluate(
        "(element, prop) => getComputedStyle(element)[prop]", prop
    )


@pytest.fixture
def call_page(page):
    call = published_call(total_budget=Decimal("3000000.00"))
    page.set_viewport_size(WIDE)
    page.goto(call.get_absolute_url())
    return page


def test_headings_paragraphs_and_tables_keep_their_distance(call_page):
    page = call_page
    facts = "#facts-title"
    assert float(style(page, facts, "marginTop").removesuffix("px")) >= 24
    # The heading does not touch the line above it (badge, instrument, authority).
    above = page.locator("main h1 + p").first.bounding_box()
    assert box(page, facts)["y"] - (above["y"] + above["height"]) >= 24

    for selector in ("main .utrecht-paragraph", "main .utrecht-table"):
        assert float(style(page, selector, "marginBottom").removesuffix("px")) >= 16, selector

    # A phase's heading after the phases table has air between them.
    table = page.locator("main table").first.bounding_box()
    phase_heading = box(page, "[data-testid=phase-name]")
    assert phase_heading["y"] - (table["y"] + table["height"]) >= 24
    assert axe_violations(page) == []


def test_every_row_line_runs_through_the_first_column(call_page):
    page = call_page
    rows = page.locator("main table").first.locator("tbody tr")
    assert rows.count() == 2
    for index in range(rows.count()):
        cells = rows.nth(index).locator("th, td")
        widths = [
            cells.nth(i).evaluate("cell => getComputedStyle(cell).borderBottomWidth")
            for i in range(cells.count())
        ]
        assert widths[0] == widths[1] == "1px", widths
        first, second = cells.nth(0).bounding_box(), cells.nth(1).bounding_box()
        # The line under the row header is where the line under the next cell is.
        assert first["y"] + first["height"] == pytest.approx(second["y"] + second["height"])


def test_money_on_the_public_call_page_is_right_aligned(call_page):
    page = call_page
    table = page.locator("main table").first
    header = table.locator("thead th").nth(1)  # Budget
    amounts = table.locator("tbody tr td:nth-of-type(1)")  # the budgets, after the row header
    assert header.evaluate("cell => getComputedStyle(cell).textAlign") == "right"
    assert amounts.count() == 2
    for index in range(amounts.count()):
        cell = amounts.nth(index)
        assert cell.evaluate("cell => getComputedStyle(cell).textAlign") == "right"
        # The amount's last digit sits against the cell's right padding.
        gap = cell.evaluate(
            """cell => {
                const range = document.createRange();
                range.selectNodeContents(cell);
                const padding = parseFloat(getComputedStyle(cell).paddingRight);
                const content = range.getBoundingClientRect().right;
                return cell.getBoundingClientRect().right - padding - content;
            }"""
        )
        assert gap == pytest.approx(0, abs=1)
    criteria_weight = page.get_by_test_id("weight").first
    assert criteria_weight.evaluate("cell => getComputedStyle(cell).textAlign") == "right"


@pytest.mark.parametrize("viewport", [WIDE, PHONE], ids=["1280", "375"])
def test_the_name_does_not_touch_the_log_out_button(page, viewport):
    page.set_viewport_size(viewport)
    officer = log_in_as_officer(page)
    name = page.locator(".portal-user")
    button = page.locator(".portal-logout button")
    assert name.inner_text() == officer.full_name
    name_box, button_box = name.bounding_box(), button.bounding_box()
    same_line = abs(name_box["y"] - button_box["y"]) < button_box["height"]
    if same_line:
        assert button_box["x"] - (name_box["x"] + name_box["width"]) >= 12
    else:
        assert button_box["y"] - (name_box["y"] + name_box["height"]) >= 8


def test_on_a_phone_the_menu_is_one_closed_row_that_opens_from_the_keyboard(page):
    page.set_viewport_size(PHONE)
    log_in_as_officer(page)
    navigation = page.get_by_test_id("main-navigation")
    toggle = page.locator(".portal-nav__toggle")
    links = navigation.locator("a")

    assert toggle.is_visible()
    assert links.count() >= 8  # an officer's menu: home, calls, my calls, contracts, ...
    assert all(not links.nth(i).is_visible() for i in range(links.count()))
    assert navigation.bounding_box()["height"] <= 60  # one row, not four
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert axe_violations(page) == []

    # Keyboard only: Tab reaches the menu button, Enter opens it, Tab goes into the menu.
    page.locator("body").focus()
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('portal-nav__toggle')"):
            break
    else:
        pytest.fail("Tab never reached the menu button")
    page.keyboard.press("Enter")
    visible = [links.nth(i) for i in range(links.count()) if links.nth(i).is_visible()]
    assert len(visible) == links.count() // 2  # the menu's entries (the bar's stay hidden)
    tops = [link.bounding_box()["y"] for link in visible]
    assert tops == sorted(tops)
    assert len(set(tops)) == len(tops)  # one entry per line
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == visible[0].inner_text()
    assert axe_violations(page) == []

    toggle.focus()
    page.keyboard.press("Enter")
    assert all(not links.nth(i).is_visible() for i in range(links.count()))


def test_on_a_wide_screen_the_menu_is_one_bar_without_a_button(page):
    page.set_viewport_size(WIDE)
    log_in_as_officer(page)
    navigation = page.get_by_test_id("main-navigation")
    visible = [link for link in navigation.get_by_role("link").all() if link.is_visible()]

    assert not page.locator(".portal-nav__toggle").is_visible()
    assert len(visible) >= 8
    assert len({round(link.bounding_box()["y"]) for link in visible}) == 1  # one row
    assert axe_violations(page) == []


def test_the_menu_works_without_javascript(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, java_script_enabled=False, viewport=PHONE
    )
    page = context.new_page()
    try:
        page.goto("/calls/")
        toggle = page.locator(".portal-nav__toggle")
        calls_link = page.locator(".portal-nav__menu").get_by_role("link", name="Oproepen")
        assert not calls_link.is_visible()
        toggle.click()
        assert calls_link.is_visible()
    finally:
        context.close()


def test_english_pages_with_dutch_content_are_axe_clean(page):
    call = published_call(title="Slimme sluizen voor de vaarwegen")
    page.goto("/")
    page.get_by_role("button", name="English").click()
    page.goto(call.get_absolute_url())
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_test_id("call-title").get_attribute("lang") == "nl"
    assert axe_violations(page) == []
    page.set_viewport_size(PHONE)
    assert axe_violations(page) == []
