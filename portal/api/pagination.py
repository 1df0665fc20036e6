"""Pagination of the lean lists: counted on the model queryset, read as plain rows."""

from collections.abc import Callable

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination


class Rows:
    """A queryset as the API's paginator sees it when the list reads its page as plain rows.

    Django's paginator counts it and slices it: the count runs on the filtered queryset itself
    (only the joins its filters need) and only the page's slice is read with ``read`` (e.g.
    ``.values()`` of the related fields the list shows, joins a count would repeat for
    nothing). Pass it to ``paginate_queryset`` in place of the queryset.
    """

    def __init__(self, queryset: QuerySet, read: Callable[[QuerySet], QuerySet]) -> None:
        self.queryset = queryset
        self.read = read

    def count(self) -> int:
        return self.queryset.count()

    @property
    def ordered(self) -> bool:
        return self.queryset.ordered

    def __getitem__(self, index: slice) -> QuerySet:
        return self.read(self.queryset[index])


class PageNumbers(PageNumberPagination):
    """DRF's page numbers, strict about the number: given once, in ASCII digits. DRF reads the
    last of repeated ``page`` values and an empty one as page 1, and ``int()`` reads "２";
    a client that sends those has a bug it should hear about (404, as for a page beyond the
    last)."""

    def get_page_number(self, request, paginator):
        values = request.query_params.getlist(self.page_query_param)
        if not values:
            return 1
        number = values[0]
        if len(values) > 1 or not (number == "last" or (number.isascii() and number.isdigit())):
            raise NotFound(_("Give the page once, as a number, e.g. ?page=2."))
        return super().get_page_number(request, paginator)
