"""Money, the same in every app: euro as a Decimal with two places, never a float.

- ``ZERO``: no money, with its two places (``Decimal("0.00")``).
- ``round_cents(value)``: the one rounding rule for amounts: to cents, half up.
- ``MoneyField``: every amount a model stores, one width for all (``MAX_DIGITS``);
  ``MONEY_DIGITS`` gives forms and serializers the same width.

Fourteen digits hold up to € 999.999.999.999,99, and every such amount is exactly a double,
so the open data's JSON numbers (reporting/ocds) read back to the cent.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.db import models

MAX_DIGITS = 14
DECIMAL_PLACES = 2
MONEY_DIGITS = {"max_digits": MAX_DIGITS, "decimal_places": DECIMAL_PLACES}

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def round_cents(value) -> Decimal:
    """An amount to whole cents, half up (0.005 → 0.01). Takes a Decimal, int or string."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


class MoneyField(models.DecimalField):
    """An amount in euro: a DecimalField with the portal's one width and two places.

    Migrations record it as a plain DecimalField, so they never depend on this module.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_digits", MAX_DIGITS)
        kwargs.setdefault("decimal_places", DECIMAL_PLACES)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.DecimalField", args, kwargs
