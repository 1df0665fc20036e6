"""One money module: every amount a model stores has the same width, and one rounding rule."""

from decimal import Decimal

import pytest
from django.apps import apps
from django.db import models

from portal.money import MAX_DIGITS, ZERO, MoneyField, round_cents
from proposals.selectors.ranking import score_round

APPS = {"portal", "calls", "proposals", "funding", "reporting"}
# Decimals that are not amounts of money.
NOT_MONEY = {
    ("calls.Phase", "overall_threshold"),  # a weighted score
    ("funding.FundingRound", "max_share"),  # a share of the cost, 0 to 1
    ("funding.AuthorityTarget", "target"),  # a percentage, a count or an amount
    ("proposals.Proposal", "subcontracting_share"),  # a percentage of the price
}


def decimal_fields():
    for model in apps.get_models():
        if model._meta.app_label in APPS:
            for field in model._meta.get_fields():
                if isinstance(field, models.DecimalField):
                    yield model._meta.label, field


def test_every_amount_a_model_stores_is_a_money_field_of_the_one_width():
    fields = list(decimal_fields())
    money = [(label, field.name) for label, field in fields if isinstance(field, MoneyField)]
    others = {(label, field.name) for label, field in fields if not isinstance(field, MoneyField)}
    assert others == NOT_MONEY
    assert len(money) >= 14
    for label, field in fields:
        if isinstance(field, MoneyField):
            assert (field.max_digits, field.decimal_places) == (MAX_DIGITS, 2), (label, field)


def test_migrations_record_a_money_field_as_a_plain_decimal_field():
    _name, path, _args, kwargs = MoneyField("amount").deconstruct()
    assert path == "django.db.models.DecimalField"
    assert (kwargs["max_digits"], kwargs["decimal_places"]) == (MAX_DIGITS, 2)


@pytest.mark.parametrize(
    ("value", "cents"),
    [
        (Decimal("0.005"), Decimal("0.01")),
        (Decimal("0.004"), Decimal("0.00")),
        (Decimal("2.675"), Decimal("2.68")),
        (Decimal("-0.005"), Decimal("-0.01")),
        ("1250.125", Decimal("1250.13")),
        (3, Decimal("3.00")),
    ],
)
def test_amounts_round_to_cents_half_up(value, cents):
    rounded = round_cents(value)
    assert rounded == cents
    assert rounded.as_tuple().exponent == -2


def test_zero_has_two_places():
    assert ZERO == 0
    assert str(ZERO) == "0.00"


def test_scores_have_their_own_rounding():
    # The mean of 7, 8 and 8 (7.666…) shows as 7.67.
    assert score_round(Decimal(23) / 3) == Decimal("7.67")
