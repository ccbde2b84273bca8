"""A bounded store of things built once and used again (statements, written markup, access).

Each worker keeps what is expensive to build and cheap to look up, keyed by everything it
depends on; past its size the least recently used entry is dropped and simply built again
when asked for. One class for every such store, so each caller only says what it keeps,
by which key and how many.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class Kept(Generic[V]):
    """A least-recently-used dict of at most ``size`` entries."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[Hashable, V] = OrderedDict()

    def __len__(self) -> int:
        return len(self._items)

    def get(self, key: Hashable) -> V | None:
        found = self._items.get(key)
        if found is not None:
            self._items.move_to_end(key)
        return found

    def put(self, key: Hashable, value: V) -> V:
        self._items[key] = value
        self._items.move_to_end(key)
        if len(self._items) > self.size:
            self._items.popitem(last=False)
        return value

    def get_or_build(self, key: Hashable, build: Callable[[], V]) -> V:
        found = self.get(key)
        return self.put(key, build()) if found is None else found

    def clear(self) -> None:
        self._items.clear()
