"""The chair's advice a page at a time: the ticks survive paging (without JavaScript), the
signature takes the selection of every page, the signed snapshot holds the whole ranking, the
pages cost the same queries for few or many proposals, and only the chair pages."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from proposals.models import Advice
from proposals.services.assessment import code_of_conduct_accept, consensus_record
from proposals.views import chair as chair_views

from .test_assessment_pages import assign, build_committee, cleared, url

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def two_per_page(monkeypatch):
    monkeypatch.setattr(chair_views, "ADVICE_PAGE_SIZE", 2)


def eligible_committee(n: int, *, planned: int = 2) -> dict:
    """n proposals, each with a consensus on every criterion (all eligible), ranked by
    score: proposals[0] first. The chair may sign (members accepted the code)."""
    setting = build_committee(n, members=1)
    setting["phase"].planned_awards = planned
    setting["phase"].save()
    chair = setting["chair"]
    cleared(chair, setting["proposals"])
    for seat in setting["members"]:
        code_of_conduct_accept(member=seat, actor=seat.user)
    for index, proposal in enumerate(setting["proposals"]):
        for criterion in setting["criteria"]:
            consensus_record(
                proposal=proposal,
                actor=chair.user,
                criterion_id=criterion.pk,
                score=max(10 - index, 1),
                motivation="Besproken",
            )
    return setting


def ticked(html: str, proposal) -> bool:
    box = f'id="select-{proposal.pk}" value="{proposal.pk}"'
    return f'{box} aria-describedby="ranked-{proposal.pk}" checked' in html


def carried(html: str, proposal) -> bool:
    return f'type="hidden" name="selected" value="{proposal.pk}"' in html


def shown(html: str, proposal) -> bool:
    return f'data-testid="row-{proposal.pk}"' in html


def test_the_ticks_survive_paging_and_the_signature_takes_every_page(verified_client):
    setting = eligible_committee(5)
    first, second, third, fourth, fifth = setting["proposals"]
    client = verified_client(setting["chair"].user)
    address = url("advice", seat_pk=setting["chair"].pk)

    page = client.get(address).text
    assert shown(page, first)
    assert shown(page, second)
    assert not shown(page, third)
    assert 'data-testid="page-buttons"' in page
    assert 'name="goto" value="2"' in page

    # Tick the first on page 1, then go to page 2: it goes along as a hidden field.
    page = client.post(address, {"selected": [first.pk], "page": "1", "goto": "2"})
    assert page.status_code == 200
    html = page.text
    assert shown(html, third)
    assert shown(html, fourth)
    assert not shown(html, first)
    assert carried(html, first)
    assert 'data-testid="error-summary"' not in html  # paging checks nothing
    assert f'data-testid="ticked-{first.pk}"' in html  # listed as ticked
    assert not Advice.objects.exists()

    # Tick the third on page 2 and go back to page 1: the first is ticked, the third carried.
    html = client.post(
        address, {"selected": [first.pk, third.pk], "page": "2", "goto": "1", "remarks": "Eens"}
    ).text
    assert ticked(html, first)
    assert not carried(html, first)
    assert carried(html, third)
    assert "Eens" in html  # the remarks go along too

    # Untick the first on page 1 (it is not posted) and go to page 3: only the third is left.
    html = client.post(address, {"selected": [third.pk], "page": "1", "goto": "3"}).text
    assert shown(html, fifth)
    assert carried(html, third)
    assert not carried(html, first)
    assert f'data-testid="ticked-{first.pk}"' not in html

    # Three ticked over three pages while two awards are planned: refused, on the same page.
    refused = client.post(
        address,
        {"selected": [first.pk, third.pk, fifth.pk], "page": "3", "confirmed": "1"},
    )
    assert 'data-testid="error-summary"' in refused.text
    assert shown(refused.text, fifth)
    assert carried(refused.text, first)
    assert not Advice.objects.exists()

    # The confirmation names the selection of both pages, with their ranks.
    asked = client.post(address, {"selected": [first.pk, third.pk], "page": "3"})
    assert 'data-testid="confirm-summary"' in asked.text
    assert f"1. {first.submission_number}" in asked.text
    assert f"3. {third.submission_number}" in asked.text
    # "Change" returns to the page the chair was on, with both ticks.
    revised = client.post(
        address, {"selected": [first.pk, third.pk], "page": "3", "revise": "1"}
    ).text
    assert shown(revised, fifth)
    assert carried(revised, first)
    assert carried(revised, third)

    signed = client.post(address, {"selected": [first.pk, third.pk], "page": "3", "confirmed": "1"})
    assert signed["Location"] == address
    advice = Advice.objects.get()
    assert set(advice.selected.all()) == {first, third}
    # The snapshot holds the whole ranking, not the page the chair signed on.
    assert [row["proposal"] for row in advice.ranking] == [p.pk for p in setting["proposals"]]
    assert [row["rank"] for row in advice.ranking] == [1, 2, 3, 4, 5]

    # The signed advice a page at a time too, by plain links.
    html = client.get(address).text
    assert f'data-testid="signed-row-{first.pk}"' in html
    assert f'data-testid="signed-row-{fifth.pk}"' not in html
    html = client.get(address, {"page": 3}).text
    assert f'data-testid="signed-row-{fifth.pk}"' in html
    assert f'data-testid="advice-{fifth.pk}">' in html


def test_only_eligible_ticks_are_carried(verified_client):
    setting = eligible_committee(3)
    first = setting["proposals"][0]
    unscored = build_committee(1)["proposals"][0]  # of another call
    client = verified_client(setting["chair"].user)
    address = url("advice", seat_pk=setting["chair"].pk)
    html = client.post(address, {"selected": [unscored.pk, "x", first.pk], "goto": "2"}).text
    assert carried(html, first)
    assert f'value="{unscored.pk}"' not in html


def test_paging_the_advice_costs_the_same_queries_for_few_or_many_proposals(
    verified_client, django_assert_num_queries
):
    def paged(setting) -> tuple[int, str]:
        client = verified_client(setting["chair"].user)
        address = url("advice", seat_pk=setting["chair"].pk)
        data = {"selected": [setting["proposals"][0].pk], "page": "1", "goto": "2"}
        with CaptureQueriesContext(connection) as queries:
            response = client.post(address, data)
        assert response.status_code == 200
        return len(queries.captured_queries), response.text

    few, _html = paged(eligible_committee(3))
    many = eligible_committee(9)
    client = verified_client(many["chair"].user)
    with django_assert_num_queries(few):
        response = client.post(
            url("advice", seat_pk=many["chair"].pk),
            {"selected": [many["proposals"][0].pk], "page": "1", "goto": "2"},
        )
    assert response.text.count('data-testid="row-') == 2


def test_only_the_chair_pages_the_advice(verified_client):
    setting = eligible_committee(3)
    member = setting["members"][0]
    other = eligible_committee(1)
    data = {"selected": [setting["proposals"][0].pk], "goto": "2"}
    # A member through their own seat, a chair through another committee's chair seat, the
    # officer through the chair's seat: not found; nothing is signed.
    assert (
        verified_client(member.user).post(url("advice", seat_pk=member.pk), data).status_code == 404
    )
    assert (
        verified_client(other["chair"].user)
        .post(url("advice", seat_pk=setting["chair"].pk), data)
        .status_code
        == 404
    )
    assert (
        verified_client(setting["officer"])
        .post(url("advice", seat_pk=setting["chair"].pk), data)
        .status_code
        == 404
    )
    assert not Advice.objects.exists()


def test_the_gaps_name_the_first_missing_assessments_and_count_the_rest(
    verified_client, monkeypatch
):
    from proposals.selectors import assessment as assessment_selectors

    monkeypatch.setattr(assessment_selectors, "GAPS_NAMED", 1)
    setting = eligible_committee(3)
    member = setting["members"][0]
    cleared(member, setting["proposals"])
    for proposal in setting["proposals"]:
        assign(setting, member, proposal)  # none assessed
    client = verified_client(setting["chair"].user)
    html = client.get(url("advice", seat_pk=setting["chair"].pk)).text
    assert 'data-testid="gaps"' in html
    assert html.count("heeft nog geen scores ingediend voor") == 1
    assert "En er ontbreken nog 2 beoordelingen." in html
    # Signing is refused while they are missing.
    address = url("advice", seat_pk=setting["chair"].pk)
    client.post(address, {"selected": [setting["proposals"][0].pk], "confirmed": "1"})
    assert not Advice.objects.exists()
