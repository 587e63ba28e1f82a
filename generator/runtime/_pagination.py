"""Paginated lists: iterate over every item, fetching pages only as iteration needs them.

A pager calls the operation's one-page method with a cursor (none for the first page), reads the
items and the next cursor from each page, and stops when there is no next cursor (or it repeats,
so a misbehaving server cannot loop it forever).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from typing import Any, Generic, TypeVar

from ._types import NotGiven

ItemT = TypeVar("ItemT")
PageT = TypeVar("PageT")

Cursor = Any  # a page token, or NOT_GIVEN for the first page


def attr_path(value: Any, *names: str) -> Any:
    """`value.a.b`, or None as soon as a step is missing (None or not given)."""
    for name in names:
        if value is None or isinstance(value, NotGiven):
            return None
        value = getattr(value, name)
    return None if isinstance(value, NotGiven) else value


class SyncPager(Generic[ItemT, PageT]):
    """Every item of a list, across pages: `for item in pager`; pages: `pager.iter_pages()`."""

    def __init__(
        self,
        fetch: Callable[[Cursor], PageT],
        first_cursor: Cursor,
        items: Callable[[PageT], Sequence[ItemT] | None],
        next_cursor: Callable[[PageT], Cursor],
    ) -> None:
        self._fetch = fetch
        self._first_cursor = first_cursor
        self._items = items
        self._next_cursor = next_cursor

    def __iter__(self) -> Iterator[ItemT]:
        for page in self.iter_pages():
            yield from self._items(page) or ()

    def iter_pages(self) -> Iterator[PageT]:
        cursor = self._first_cursor
        seen: set[Any] = set()
        while True:
            page = self._fetch(cursor)
            yield page
            cursor = self._next_cursor(page)
            if not cursor or cursor in seen:
                return
            seen.add(cursor)

    def first_page(self) -> PageT:
        return self._fetch(self._first_cursor)


class AsyncPager(Generic[ItemT, PageT]):
    """Every item of a list, across pages: `async for item in pager`; pages: `pager.iter_pages()`."""

    def __init__(
        self,
        fetch: Callable[[Cursor], Awaitable[PageT]],
        first_cursor: Cursor,
        items: Callable[[PageT], Sequence[ItemT] | None],
        next_cursor: Callable[[PageT], Cursor],
    ) -> None:
        self._fetch = fetch
        self._first_cursor = first_cursor
        self._items = items
        self._next_cursor = next_cursor

    async def __aiter__(self) -> AsyncIterator[ItemT]:
        async for page in self.iter_pages():
            for item in self._items(page) or ():
                yield item

    async def iter_pages(self) -> AsyncIterator[PageT]:
        cursor = self._first_cursor
        seen: set[Any] = set()
        while True:
            page = await self._fetch(cursor)
            yield page
            cursor = self._next_cursor(page)
            if not cursor or cursor in seen:
                return
            seen.add(cursor)

    async def first_page(self) -> PageT:
        return await self._fetch(self._first_cursor)
