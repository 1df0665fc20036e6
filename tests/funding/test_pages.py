"""The ministry's money pages and the authority targets: figures, speed, and who sees what."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from calls.models import Call
from calls.services.lifecycle import call_publish
from funding.models import Account, AuthorityTarget, FundingRound, Transaction
from funding.services.cofinancing import cofinancing_apply, cofinancing_approve, commitment_pay
from funding.services.ledger import fund_appropriate
from portal.models import Role
from proposals.models import Contract
from tests.calls.factories import draft_call, mission, officer_of, published_call
from tests.factories import (
    AuthorityFactory,
    CompanyFactory,
    MinistryFactory,
    person_with_role,
)
from tests.funding.factories import co_financed, ezk_fund
from tests.proposals.factories import complete_draft, submitted_proposals

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("funding:dashboard")
TARGETS = reverse("funding:targets")


@pytest.fixture
def staff():
    return person_with_role(Role.MINISTRY_STAFF, organisation=MinistryFactory(name="EZK"))


@pytest.fixture
def fund(staff):
    return ezk_fund(staff)


def commit(fund, staff, *, requested="400000.00", call=None) -> Account:
    """An approved co-financing application: money committed from the fund to a call."""
    now = timezone.now()
    funding_round = FundingRound.objects.create(
        status=FundingRound.Status.OPEN,
        mission_required=False,
        fund=fund,
        name="Ronde",
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=1),
    )
    call = call or draft_call()
    application = cofinancing_apply(
        funding_round=funding_round,
        call=call,
        actor=call.officer,
        trajectory_cost="1000000.00",
        requested=requested,
        motivation="Past bij de missie.",
    )
    cofinancing_approve(application=application, actor=staff)
    return Account.objects.get(application=application)


def others(authority=None):
    """Everyone who is not ministry staff: (name, user, needs the second factor)."""
    return [
        ("applicant", person_with_role(Role.APPLICANT, organisation=CompanyFactory()), False),
        ("officer", officer_of(authority), True),
    ]


# --- Budget dashboard --------------------------------------------------------------------


def test_dashboard_shows_each_fund_with_its_amounts_chart_and_breakdowns(
    client, verified_client, staff, fund
):
    energy_call = draft_call(title="Slimme warmtenetten")
    energy_call.missions.add(mission("energy"))
    account = commit(fund, staff, requested="400000.00", call=energy_call)
    commitment_pay(account=account, amount="150000.00", actor=staff, description="Mijlpaal 1")
    commit(fund, staff, requested="100000.00", call=draft_call(instrument=Call.Instrument.SBIR))

    response = verified_client(staff).get(DASHBOARD)

    assert response.status_code == 200
    html = response.content.decode()
    # Committed 500.000 minus 150.000 paid; paid 150.000; available 1.000.000.
    assert "350.000,00" in html
    assert "150.000,00" in html
    assert "1.000.000,00" in html
    assert "1.500.000,00" in html
    # The chart is inline SVG drawn on the server, with a text alternative.
    assert f'id="fund-chart-{fund.pk}"' in html
    assert f'<title id="fund-chart-{fund.pk}-title">' in html
    assert f'<desc id="fund-chart-{fund.pk}-desc">' in html
    assert "<script" not in html.split("</header>")[-1]
    assert 'data-testid="per-year"' in html
    assert str(timezone.now().year) in html
    # Only the per-year table speaks of a year; the others show what is committed today.
    for testid, heading in (("per-year", "Verplicht in het jaar"), ("per-mission", "Verplicht")):
        table = html.split(f'data-testid="{testid}"')[1].split("</thead>")[0]
        assert f">{heading}</th>" in table
    assert energy_call.authority.name in html
    assert mission("energy").name_nl in html
    assert reverse("funding:transactions", args=[fund.code]) in html


def test_dashboard_amounts_per_breakdown_are_sums_of_commitments_and_payments(
    verified_client, staff, fund
):
    call = draft_call()
    call.missions.add(mission("energy"), mission("health-care"))
    account = commit(fund, staff, requested="200000.00", call=call)
    commitment_pay(
        account=account, amount="50000.00", actor=staff, description="Mijlpaal 1", call=call
    )

    response = verified_client(staff).get(DASHBOARD)

    def figures(key):
        return {row["label"]: (row["committed"], row["paid"]) for row in response.context[key]}

    held_and_paid = (Decimal("150000.00"), Decimal("50000.00"))
    assert figures("per_mission") == {
        str(mission("energy")): held_and_paid,
        str(mission("health-care")): held_and_paid,
    }
    assert figures("per_authority") == {call.authority.name: held_and_paid}
    assert list(figures("per_instrument").values()) == [held_and_paid]
    # Per year the flows: 200,000 committed and 50,000 of it paid in this year.
    assert figures("per_year") == {
        timezone.localdate().year: (Decimal("200000.00"), Decimal("50000.00"))
    }


def test_dashboard_is_for_ministry_staff_only(client, verified_client, staff, fund):
    response = client.get(DASHBOARD)
    assert response.status_code == 302
    assert reverse("login") in response.url
    for _name, user, needs_second_factor in others():
        client.logout()
        if needs_second_factor:
            verified_client(user)
        else:
            client.force_login(user)
        assert client.get(DASHBOARD).status_code == 403


def test_dashboard_needs_the_second_factor(client, staff, fund):
    client.force_login(staff)
    assert client.get(DASHBOARD).status_code != 200


def _transactions(fund, staff, count):
    for number in range(count):
        fund_appropriate(fund=fund, amount="10.00", actor=staff, description=f"Aanvulling {number}")


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_dashboard_queries_do_not_grow_with_the_transactions(verified_client, staff, fund):
    client = verified_client(staff)
    commit(fund, staff, requested="1000.00")
    _transactions(fund, staff, 10)
    few = _queries(client, DASHBOARD)
    _transactions(fund, staff, 190)
    commit(fund, staff, requested="1000.00")
    assert _queries(client, DASHBOARD) == few


# --- The supported trajectories on the dashboard -----------------------------------------


def test_dashboard_lists_each_funds_trajectories_with_their_funnel(verified_client, staff, fund):
    other = ezk_fund(
        staff,
        code="ezk-kabinet",
        name="EZK kabinetsperiode",
        amount="10000000.00",
        period_start=date(2018, 1, 1),
    )
    furthest = co_financed(
        fund, staff, title="Slimme dijken", requested="300000.00", funnel=(4, 2, 1)
    )
    co_financed(fund, staff, title="Stille bruggen", requested="200000.00", funnel=(1, 0, 0))
    elsewhere = co_financed(other, staff, title="Schone zorg", requested="500000.00")
    account = Account.objects.get(application__call=furthest)
    commitment_pay(
        account=account, amount="60000.00", actor=staff, description="Mijlpaal", call=furthest
    )

    response = verified_client(staff).get(DASHBOARD)

    groups = {group["fund"].code: group for group in response.context["trajectories"]}
    one_off = groups["ezk-2021"]
    assert [row["trajectory"].call.title for row in one_off["rows"]] == [
        "Slimme dijken",
        "Stille bruggen",
    ]
    assert [(row["granted"], row["paid"]) for row in one_off["rows"]] == [
        (Decimal("300000.00"), Decimal("60000.00")),
        (Decimal("200000.00"), Decimal("0.00")),
    ]
    assert one_off["steps"] == [
        ("Ingediende voorstellen", 5),
        ("Gegund in fase 1", 2),
        ("Gegund in fase 2", 1),
    ]
    assert [row["trajectory"].call for row in groups["ezk-kabinet"]["rows"]] == [elsewhere]
    html = response.content.decode()
    row = html.split(f'data-testid="trajectory-{furthest.pk}"')[1].split("</tr>")[0]
    assert 'data-testid="responses">4<' in row
    assert 'data-testid="feasibility">2<' in row
    assert 'data-testid="prototype">1<' in row
    assert "300.000,00" in row
    assert "60.000,00" in row
    assert furthest.get_absolute_url() in row
    drill_down = reverse("funding:transactions", args=[fund.code]) + f"?call={furthest.pk}"
    assert drill_down in row
    # The funnel is drawn too, with its numbers in words for those who cannot see it.
    assert f'id="funnel-{fund.pk}"' in html
    assert "Ingediende voorstellen: 5; Gegund in fase 1: 2; Gegund in fase 2: 1" in html


def test_dashboard_shows_a_page_of_trajectories_per_fund_with_totals_of_all(
    verified_client, staff, fund, monkeypatch
):
    from funding.views import ministry

    monkeypatch.setattr(ministry, "TRAJECTORIES_PER_PAGE", 2)
    client = verified_client(staff)
    for number in range(2):
        co_financed(fund, staff, title=f"Traject {number}", requested="1000.00", funnel=(2, 1, 0))
    few = _queries(client, DASHBOARD)
    for number in range(2, 5):
        co_financed(fund, staff, title=f"Traject {number}", requested="1000.00", funnel=(2, 1, 0))
    assert _queries(client, DASHBOARD) == few

    (group,) = client.get(DASHBOARD).context["trajectories"]
    assert [row["trajectory"].call.title for row in group["rows"]] == ["Traject 0", "Traject 1"]
    assert (group["count"], group["granted"]) == (5, Decimal("5000.00"))
    assert group["steps"][0][1] == 10  # the funnel of all five, not of the page
    last = client.get(DASHBOARD, {f"{fund.code}_page": 3})
    (group,) = last.context["trajectories"]
    assert [row["trajectory"].call.title for row in group["rows"]] == ["Traject 4"]
    assert f"{fund.code}_page=2" in last.content.decode()


def test_a_call_without_approved_cofinancing_is_no_trajectory(verified_client, staff, fund):
    now = timezone.now()
    funding_round = FundingRound.objects.create(
        status=FundingRound.Status.OPEN,
        mission_required=False,
        fund=fund,
        name="Ronde",
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=1),
    )
    waiting = draft_call(title="Wacht op besluit")
    cofinancing_apply(
        funding_round=funding_round,
        call=waiting,
        actor=waiting.officer,
        trajectory_cost="100000.00",
        requested="50000.00",
        motivation="Past bij de missie.",
    )

    response = verified_client(staff).get(DASHBOARD)

    assert response.context["trajectories"] == []
    assert "EZK cofinanciert nog geen traject." in response.content.decode()


def test_the_trajectories_cost_the_same_queries_for_2_or_8(verified_client, staff, fund):
    client = verified_client(staff)
    for number in range(2):
        co_financed(fund, staff, title=f"Traject {number}", requested="1000.00", funnel=(2, 1, 1))
    few = _queries(client, DASHBOARD)
    for number in range(2, 8):
        co_financed(fund, staff, title=f"Traject {number}", requested="1000.00", funnel=(2, 1, 1))
    response = client.get(DASHBOARD)
    assert len(response.context["trajectories"][0]["rows"]) == 8
    assert _queries(client, DASHBOARD) == few


def test_the_trajectories_are_searched_and_sorted_on_the_server(verified_client, staff, fund):
    client = verified_client(staff)
    bridge = co_financed(fund, staff, title="Stille bruggen", requested="2000.00")
    dike = co_financed(fund, staff, title="Slimme dijken", requested="3000.00")
    lock = co_financed(fund, staff, title="Snelle sluizen", requested="1000.00")

    def titles(**query):
        response = client.get(DASHBOARD, query)
        assert response.status_code == 200
        (group,) = response.context["trajectories"]
        return [row["trajectory"].call.title for row in group["rows"]]

    assert titles() == ["Stille bruggen", "Slimme dijken", "Snelle sluizen"]  # published first
    assert titles(order="title") == ["Slimme dijken", "Snelle sluizen", "Stille bruggen"]
    assert titles(order="-granted") == ["Slimme dijken", "Stille bruggen", "Snelle sluizen"]
    assert titles(order="-publication") == ["Snelle sluizen", "Slimme dijken", "Stille bruggen"]
    assert titles(q="BRUG") == ["Stille bruggen"]
    assert titles(q=dike.reference) == ["Slimme dijken"]
    assert titles(q=str(lock.pk)) == ["Snelle sluizen"]
    assert titles(q=bridge.authority.name) == ["Stille bruggen"]
    # What cannot be a choice is ignored, not an error: the page shows the default order.
    assert titles(order="-pk; drop") == ["Stille bruggen", "Slimme dijken", "Snelle sluizen"]
    # The totals stay those of all the fund's trajectories; the page says how many match.
    response = client.get(DASHBOARD, {"q": "brug"})
    (group,) = response.context["trajectories"]
    assert (group["count"], group["page_obj"].paginator.count) == (3, 1)
    assert 'data-testid="found"' in response.content.decode()


def test_the_pages_of_a_search_keep_the_search(verified_client, staff, fund, monkeypatch):
    from funding.views import ministry

    monkeypatch.setattr(ministry, "TRAJECTORIES_PER_PAGE", 1)
    client = verified_client(staff)
    for title in ("Brug A", "Brug B", "Sluis C"):
        co_financed(fund, staff, title=title, requested="1000.00")

    response = client.get(DASHBOARD, {"q": "brug", "order": "title"})

    html = response.content.decode()
    assert f"?q=brug&amp;order=title&amp;{fund.code}_page=2" in html
    second = client.get(DASHBOARD, {"q": "brug", "order": "title", f"{fund.code}_page": 2})
    (group,) = second.context["trajectories"]
    assert [row["trajectory"].call.title for row in group["rows"]] == ["Brug B"]


def test_a_search_costs_the_same_queries_for_2_or_3_trajectories(verified_client, staff, fund):
    client = verified_client(staff)
    for number in range(2):
        co_financed(fund, staff, title=f"Brug {number}", requested="1000.00", funnel=(2, 1, 0))
    url = f"{DASHBOARD}?q=brug&order=-granted"
    few = _queries(client, url)
    co_financed(fund, staff, title="Brug 2", requested="1000.00", funnel=(2, 1, 0))
    assert len(client.get(url).context["trajectories"][0]["rows"]) == 3
    assert _queries(client, url) == few


def test_a_call_co_financed_twice_by_one_fund_is_one_trajectory(verified_client, staff, fund):
    call = draft_call(title="Slimme dijken")
    commit(fund, staff, requested="1000.00", call=call)
    commit(fund, staff, requested="500.00", call=call)  # a second round of the same fund
    submitted_proposals(call_publish(call=call, actor=call.officer), 3)

    (group,) = verified_client(staff).get(DASHBOARD).context["trajectories"]

    assert [row["trajectory"].call for row in group["rows"]] == [call]
    assert (group["count"], group["granted"]) == (1, Decimal("1500.00"))
    assert group["rows"][0]["granted"] == Decimal("1500.00")
    assert [count for _label, count in group["steps"]] == [3, 0, 0]  # not counted twice


def test_the_use_per_authority_is_a_page_at_a_time(verified_client, staff, fund, monkeypatch):
    from funding.views import ministry

    monkeypatch.setattr(ministry, "AUTHORITIES_PER_PAGE", 1)
    client = verified_client(staff)
    first = draft_call(officer=officer_of(AuthorityFactory(name="Gemeente Aa")))
    second = draft_call(officer=officer_of(AuthorityFactory(name="Gemeente Bb")))
    commit(fund, staff, requested="1000.00", call=first)
    few = _queries(client, DASHBOARD)
    commit(fund, staff, requested="2000.00", call=second)
    assert _queries(client, DASHBOARD) == few

    def rows(**query):
        page = client.get(DASHBOARD, query).context["per_authority"]
        return [(row["label"], row["committed"], row["paid"]) for row in page]

    assert rows() == [("Gemeente Aa", Decimal("1000.00"), Decimal("0.00"))]
    assert rows(authority_page=2) == [("Gemeente Bb", Decimal("2000.00"), Decimal("0.00"))]
    assert "authority_page=2" in client.get(DASHBOARD).content.decode()


def test_the_drill_down_shows_one_trajectorys_transactions(verified_client, staff, fund):
    first = co_financed(fund, staff, title="Eerste", requested="1000.00")
    second = co_financed(fund, staff, title="Tweede", requested="2000.00")
    url = reverse("funding:transactions", args=[fund.code])

    response = verified_client(staff).get(url, {"call": first.pk})

    assert [record.call for record in response.context["page_obj"]] == [first]
    assert response.context["querystring_base"] == f"call={first.pk}"
    assert second.title not in response.content.decode().split("<tbody")[1]
    # A call this fund never paid for is not a choice: the filter falls back to everything.
    stranger = published_call(title="Niet gefinancierd")
    everything = verified_client(staff).get(url, {"call": stranger.pk})
    assert everything.context["page_obj"].paginator.count == 3  # opening + 2 commitments


# --- A fund's transactions ---------------------------------------------------------------


def test_transactions_newest_first_paginated_and_filtered_by_kind(verified_client, staff, fund):
    client = verified_client(staff)
    _transactions(fund, staff, 55)
    account = commit(fund, staff, requested="1000.00")
    url = reverse("funding:transactions", args=[fund.code])

    response = client.get(url)

    page = list(response.context["page_obj"])
    assert len(page) == 50
    assert response.context["page_obj"].paginator.count == 57
    assert page[0].kind == Transaction.Kind.COMMITMENT
    assert page[0].amount == Decimal("1000.00")
    html = response.content.decode()
    assert staff.full_name in html
    assert account.call.title in html

    second = client.get(url, {"page": 2})
    assert len(second.context["page_obj"]) == 7

    commitments = client.get(url, {"kind": "commitment"})
    assert [record.kind for record in commitments.context["page_obj"]] == ["commitment"]


def test_transactions_of_an_unknown_fund_is_404_and_bad_filter_shows_all(
    verified_client, staff, fund
):
    client = verified_client(staff)
    assert client.get(reverse("funding:transactions", args=["nope"])).status_code == 404
    response = client.get(reverse("funding:transactions", args=[fund.code]), {"kind": "bogus"})
    assert response.status_code == 200
    assert response.context["filters"].errors
    assert response.context["page_obj"].paginator.count == 1


def test_transactions_queries_do_not_grow(verified_client, staff, fund):
    client = verified_client(staff)
    url = reverse("funding:transactions", args=[fund.code])
    commit(fund, staff, requested="1000.00")
    _transactions(fund, staff, 10)
    few = _queries(client, url)
    _transactions(fund, staff, 190)
    assert _queries(client, url) == few


def test_transactions_are_for_ministry_staff_only(client, verified_client, fund):
    url = reverse("funding:transactions", args=[fund.code])
    assert client.get(url).status_code == 302
    for _name, user, needs_second_factor in others():
        client.logout()
        if needs_second_factor:
            verified_client(user)
        else:
            client.force_login(user)
        assert client.get(url).status_code == 403


# --- Authority targets ---------------------------------------------------------------------


def _contract(call, amount, start):
    proposal = complete_draft(call=call)
    return Contract.objects.create(
        proposal=proposal, amount=amount, start_date=start, end_date=start + timedelta(days=180)
    )


def test_targets_show_progress_per_measure(verified_client, staff):
    year = timezone.now().year
    authority = AuthorityFactory(name="Gemeente Utrecht")
    officer = officer_of(authority)
    sbir = published_call(officer=officer)
    published_call(officer=officer, instrument=Call.Instrument.INNOVATION_PARTNERSHIP)
    published_call(officer=officer, instrument=Call.Instrument.HACKATHON)  # does not count
    Call.objects.filter(pk=published_call(officer=officer).pk).update(  # another year
        publication_date=timezone.now().replace(year=year - 1)
    )
    _contract(sbir, Decimal("300000.00"), date(year, 3, 1))
    _contract(sbir, Decimal("100000.00"), date(year - 1, 3, 1))  # another year
    trajectories = AuthorityTarget.objects.create(
        authority=authority, year=year, measure="trajectories", target=4
    )
    amount = AuthorityTarget.objects.create(
        authority=authority, year=year, measure="amount", target=Decimal("600000.00")
    )
    share = AuthorityTarget.objects.create(
        authority=authority,
        year=year,
        measure="share",
        target=Decimal("2.5"),
        procurement_budget=Decimal("20000000.00"),
    )

    response = verified_client(staff).get(TARGETS)

    rows = {row["target"].pk: row for row in response.context["rows"]}
    assert rows[trajectories.pk]["achieved"] == 2
    assert rows[trajectories.pk]["percent"] == 50
    assert rows[amount.pk]["achieved"] == Decimal("300000.00")
    assert rows[amount.pk]["percent"] == 50
    assert rows[share.pk]["achieved"] == Decimal("1.5")
    assert rows[share.pk]["percent"] == 60
    assert "300.000,00" in response.content.decode()


def test_targets_queries_do_not_grow(verified_client, staff):
    client = verified_client(staff)
    for _ in range(2):
        AuthorityTarget.objects.create(
            authority=AuthorityFactory(), year=2026, measure="trajectories", target=1
        )
    few = _queries(client, TARGETS)
    for _ in range(10):
        AuthorityTarget.objects.create(
            authority=AuthorityFactory(), year=2026, measure="amount", target=1
        )
    assert _queries(client, TARGETS) == few


def test_targets_each_authority_sees_only_its_own(client, verified_client, staff):
    a, b = AuthorityFactory(), AuthorityFactory()
    target_a = AuthorityTarget.objects.create(authority=a, year=2026, measure="amount", target=1)
    target_b = AuthorityTarget.objects.create(authority=b, year=2026, measure="amount", target=1)

    assert client.get(TARGETS).status_code == 302  # anonymous: log in first

    client.force_login(person_with_role(Role.APPLICANT, organisation=CompanyFactory()))
    assert client.get(TARGETS).status_code == 403

    client.logout()
    officer_a = officer_of(a)
    response = verified_client(officer_a).get(TARGETS)
    assert response.status_code == 200
    assert [row["target"].pk for row in response.context["rows"]] == [target_a.pk]
    assert response.context["form"] is None  # read-only
    assert b.name not in response.content.decode()
    before = AuthorityTarget.objects.count()
    posted = client.post(
        TARGETS, {"authority": a.pk, "year": 2027, "measure": "amount", "target": "5"}
    )
    assert posted.status_code == 403
    assert AuthorityTarget.objects.count() == before

    client.logout()
    response = verified_client(staff).get(TARGETS)
    assert {row["target"].pk for row in response.context["rows"]} == {target_a.pk, target_b.pk}
    assert response.context["form"] is not None


def test_a_target_names_its_authority_by_typing_not_from_a_select_of_all(verified_client, staff):
    client = verified_client(staff)
    AuthorityFactory.create_batch(3)
    few = _queries(client, TARGETS)
    AuthorityFactory.create_batch(30)
    assert _queries(client, TARGETS) == few
    html = client.get(TARGETS).content.decode()
    assert '<select name="authority"' not in html
    assert html.count("<option", html.index('id="id_authority-suggestions"')) >= 20
    authority = AuthorityFactory(name="Waterschap Vallei en Veluwe")
    response = client.post(
        TARGETS, {"authority": "vallei en veluwe", "year": 2026, "measure": "trajectories",
                  "target": "3"},
    )  # fmt: skip
    assert response.status_code == 302
    assert AuthorityTarget.objects.get().authority == authority


def test_ministry_staff_add_a_target(verified_client, staff):
    authority = AuthorityFactory()
    response = verified_client(staff).post(
        TARGETS,
        {"authority": authority.pk, "year": 2026, "measure": "trajectories", "target": "3"},
    )
    assert response.status_code == 302
    target = AuthorityTarget.objects.get()
    assert (target.authority, target.year, target.measure, target.target) == (
        authority,
        2026,
        "trajectories",
        Decimal("3.00"),
    )


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"target": "-5"}, "target"),
        ({"target": "abc"}, "target"),
        ({"measure": "share", "target": "150", "procurement_budget": "1000000"}, "target"),
        ({"measure": "share", "target": "2"}, "procurement_budget"),
        ({"year": "1900"}, "year"),
    ],
)
def test_bad_target_input_is_refused_and_kept(verified_client, staff, overrides, field):
    authority = AuthorityFactory()
    data = {"authority": authority.pk, "year": 2026, "measure": "amount", "target": "1000"}
    data.update(overrides)
    response = verified_client(staff).post(TARGETS, data)
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors
    assert form.data["target"] == data["target"]
    assert not AuthorityTarget.objects.exists()


def test_a_second_target_for_the_same_measure_and_year_is_refused(verified_client, staff):
    authority = AuthorityFactory()
    AuthorityTarget.objects.create(authority=authority, year=2026, measure="amount", target=1)
    response = verified_client(staff).post(
        TARGETS, {"authority": authority.pk, "year": 2026, "measure": "amount", "target": "9"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert AuthorityTarget.objects.count() == 1


def test_navigation_offers_budget_to_staff_and_targets_to_officers(verified_client, client, staff):
    response = verified_client(staff).get(reverse("home"))
    urls = [item["url"] for item in response.context["navigation"]]
    assert DASHBOARD in urls
    assert reverse("cofinancing:review") in urls
    client.logout()
    response = verified_client(officer_of()).get(reverse("home"))
    urls = [item["url"] for item in response.context["navigation"]]
    assert TARGETS in urls
    assert reverse("cofinancing:mine") in urls
    assert DASHBOARD not in urls


def test_filters_do_not_call_each_field_optional_but_a_form_does(verified_client, staff, fund):
    """Every filter is optional, so the marker would only be noise there."""
    client = verified_client(staff)
    filters = client.get(reverse("funding:transactions", args=[fund.code])).content.decode()
    public_filters = client.get(reverse("calls:list")).content.decode()
    target_form = client.get(TARGETS).content.decode()

    assert 'for="id_kind"' in filters
    assert "(niet verplicht)" not in filters
    assert "(niet verplicht)" not in public_filters
    # The target form's procurement budget is optional, and says so.
    assert "(niet verplicht)" in target_form.split('for="id_procurement_budget"')[1][:200]


def test_the_trajectory_filter_is_a_search_with_suggestions_not_a_list_of_all(
    verified_client, staff, fund
):
    first = co_financed(fund, staff, title="Eerste brug", requested="1000.00")
    co_financed(fund, staff, title="Tweede sluis", requested="2000.00")
    url = reverse("funding:transactions", args=[fund.code])
    client = verified_client(staff)

    by_title = client.get(url, {"call": "brug"})
    by_reference = client.get(url, {"call": first.reference.lower()})

    for response in (by_title, by_reference):
        assert [record.call for record in response.context["page_obj"]] == [first]
    html = by_title.content.decode()
    assert '<select name="call"' not in html
    # The server's suggestions for what was typed, as a datalist (no JavaScript needed).
    datalist = html.split('<datalist id="id_call-suggestions">')[1].split("</datalist>")[0]
    assert f'<option value="{first.reference}">Eerste brug</option>' in datalist
    assert "Tweede sluis" not in datalist
