"""Pagination of the lean lists: counted on the model queryset, read as plain rows."""

from collections.abc import Callable

from django.db.models import QuerySet


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
