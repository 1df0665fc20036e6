"""Funding's pages, mounted at the root by portal/urls.py, in two namespaces.

URL names: funding:dashboard, funding:funds, funding:appropriate, funding:budget_years,
funding:transactions, funding:targets, funding:call_money, funding:follow_up;
cofinancing:apply, cofinancing:mine, cofinancing:review, cofinancing:rounds,
cofinancing:open_round, cofinancing:close_round, cofinancing:approve,
cofinancing:reject.
"""

from django.urls import include, path

from .views import funds, ministry, officer, purchases, rounds

funding_patterns = [
    path("ministry/budget/", ministry.dashboard, name="dashboard"),
    path("ministry/funds/", funds.funds, name="funds"),
    path("ministry/funds/<slug:fund_code>/book/", funds.appropriate, name="appropriate"),
    path("ministry/funds/<slug:fund_code>/years/", funds.budget_years, name="budget_years"),
    path(
        "ministry/budget/<slug:fund_code>/transactions/",
        ministry.transactions,
        name="transactions",
    ),
    path("ministry/targets/", ministry.targets, name="targets"),
    path("calls/<int:call_pk>/money/", officer.call_money, name="call_money"),
    path("calls/<int:call_pk>/follow-up/", purchases.follow_up, name="follow_up"),
]

cofinancing_patterns = [
    path("officer/cofinancing/", officer.mine, name="mine"),
    path("officer/cofinancing/<int:call_pk>/apply/", officer.apply, name="apply"),
    path("ministry/cofinancing/", ministry.review, name="review"),
    path("ministry/cofinancing/rounds/", rounds.rounds, name="rounds"),
    path("ministry/cofinancing/rounds/<int:pk>/open/", rounds.open_round, name="open_round"),
    path("ministry/cofinancing/rounds/<int:pk>/close/", rounds.close_round, name="close_round"),
    path("ministry/cofinancing/<int:pk>/approve/", ministry.approve, name="approve"),
    path("ministry/cofinancing/<int:pk>/reject/", ministry.reject, name="reject"),
]

urlpatterns = [
    path("", include((funding_patterns, "funding"))),
    path("", include((cofinancing_patterns, "cofinancing"))),
]
