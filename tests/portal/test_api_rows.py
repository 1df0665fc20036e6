"""The lean lists' formats: what DRF's own fields write, for every kind of value."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework import serializers

from portal.api.rows import RowFormat

MOMENTS = [
    None,
    datetime(2026, 1, 15, 9, 30, tzinfo=UTC),  # winter time in Amsterdam
    datetime(2026, 7, 1, 23, 59, 59, 123456, tzinfo=UTC),  # summer time, past midnight there
    datetime(2026, 3, 29, 1, 0, tzinfo=UTC),  # the hour the clocks go forward
    datetime(2026, 5, 4, 12, 0),  # naive: taken as the active time zone's, as DRF does
]


@pytest.mark.parametrize("zone", ["Europe/Amsterdam", "UTC"])
@pytest.mark.parametrize("moment", MOMENTS)
def test_dates_as_drfs_datetime_field_writes_them(zone, moment):
    with timezone.override(zone):
        expected = serializers.DateTimeField().to_representation(moment)
        assert RowFormat().datetime(moment) == expected
    if moment is not None and zone == "UTC":
        assert expected.endswith("Z")


@pytest.mark.parametrize(
    "amount", [None, Decimal("0"), Decimal("0.00"), Decimal("20000.00"), Decimal("1E+6")]
)
def test_amounts_as_drfs_decimal_field_writes_them(amount):
    field = serializers.DecimalField(max_digits=14, decimal_places=2)
    expected = None if amount is None else field.to_representation(amount)
    assert RowFormat.money(amount) == expected
