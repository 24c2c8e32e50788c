"""A parsed email whose header reads are memoised: triage reads the same headers many times.

With `email.policy.default` every `msg.get(name)` (and every `get_content_type`, `get_param`,
`get_filename` ...) parses the raw header value into a header object again: about 120 reads a
message in triage, a tenth of its parse time. `ReadMessage` keeps each name's first value until
the header list changes; any change to it (set, replace, delete, a new list) empties the memo,
so a message that is edited reads as an unmemoised one would.
"""

from __future__ import annotations

from email.message import EmailMessage
from typing import Any, SupportsIndex

_MISSING = object()


class _Headers(list[Any]):
    """The header list of a ReadMessage: every in-place change counts up `version`."""

    version = 0

    def _changed(self) -> None:
        self.version += 1

    def append(self, item: Any) -> None:
        self._changed()
        super().append(item)

    def extend(self, items: Any) -> None:
        self._changed()
        super().extend(items)

    def insert(self, index: SupportsIndex, item: Any) -> None:
        self._changed()
        super().insert(index, item)

    def __setitem__(self, index: Any, item: Any) -> None:
        self._changed()
        super().__setitem__(index, item)

    def __delitem__(self, index: Any) -> None:
        self._changed()
        super().__delitem__(index)

    def __iadd__(self, items: Any) -> _Headers:  # type: ignore[misc]  # list's own signature, narrowed
        self._changed()
        super().__iadd__(items)
        return self

    def pop(self, index: SupportsIndex = -1) -> Any:
        self._changed()
        return super().pop(index)

    def remove(self, item: Any) -> None:
        self._changed()
        super().remove(item)

    def clear(self) -> None:
        self._changed()
        super().clear()

    def sort(self, *args: Any, **kwargs: Any) -> None:
        self._changed()
        super().sort(*args, **kwargs)

    def reverse(self) -> None:
        self._changed()
        super().reverse()


class ReadMessage(EmailMessage):
    """EmailMessage with memoised `get` / `[]`; pass as `_class` to the email parser."""

    _memo: tuple[_Headers, int, dict[str, Any]] | None = None

    def get(self, name: str, failobj: Any = None) -> Any:
        headers: list[Any] = self.__dict__["_headers"]
        if not isinstance(headers, _Headers):  # first read, or the list was replaced wholesale
            headers = self._headers = _Headers(headers)
        memo = self._memo
        if memo is None or memo[0] is not headers or memo[1] != headers.version:
            memo = self._memo = (headers, headers.version, {})
        key = name.lower()
        values = memo[2]
        if key not in values:
            values[key] = super().get(name, _MISSING)  # a header that fails to parse raises each time
        value = values[key]
        return failobj if value is _MISSING else value

    def __getitem__(self, name: str) -> Any:
        return self.get(name)
