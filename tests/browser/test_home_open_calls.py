"""The home page with open calls on it passes axe in both languages."""

import pytest

from tests.calls.factories import published_call

from .conftest import axe_violations

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_home_page_with_open_calls_passes_axe(page, live_server, language):
    published_call(title="Slimme sluizen")
    published_call(title="Circulaire viaducten", title_en="Circular viaducts")
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    page.goto("/")

    cards = page.get_by_test_id("open-call")
    assert cards.count() == 2
    assert axe_violations(page) == []
