"""Plain rows for the API's lean lists: values formatted exactly as DRF's fields format them.

A list of 25 calls or proposals costs more in DRF's field machinery (a serializer's fields
built for every request, a model instance per row and per related row, the active time zone
looked up for every date) than in the database. The lean lists read plain values
(``.values()``) and turn each row into JSON with a ``RowFormat`` made once per page. Their
serializers still describe the fields in the OpenAPI schema, and the tests compare each lean
row with DRF's own representation of the same object.
"""

from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from rest_framework.settings import api_settings

from ..money import CENT


class RowFormat:
    """The formats of one page of rows, as DRF's ``DateTimeField`` and ``DecimalField`` (two
    places) write them with the portal's settings: ISO 8601 in the active time zone (UTC as
    ``Z``), amounts as strings."""

    def __init__(self) -> None:
        self.zone = timezone.get_current_timezone() if settings.USE_TZ else None
        if api_settings.DATETIME_FORMAT != "iso-8601" or not api_settings.COERCE_DECIMAL_TO_STRING:
            raise NotImplementedError("RowFormat writes DRF's default formats only.")

    def datetime(self, value: datetime | None) -> str | None:
        if value is None:
            return None
        if self.zone is not None:
            value = (
                value.astimezone(self.zone)
                if timezone.is_aware(value)
                else timezone.make_aware(value, self.zone)
            )
        text = value.isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text

    @staticmethod
    def money(value: Decimal | None) -> str | None:
        return None if value is None else format(value.quantize(CENT), "f")
