"""Sign-in throttling per account and per client address (the `limits` package, moving window)."""

from __future__ import annotations

import time
from dataclasses import dataclass

from limits import RateLimitItem, parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    first_refusal: bool = False  # the first refused attempt of this window: worth one audit event
    retry_after: int = 0  # seconds until an attempt is allowed again


class LoginThrottle:
    """Counts failed sign-ins; once an account or address has used its allowance, refuse for a while.

    In memory, per process: the dashboard runs in the one service process.
    """

    def __init__(self, per_account: str, per_address: str) -> None:
        self.account: RateLimitItem = parse(per_account)
        self.address: RateLimitItem = parse(per_address)
        self.limiter = MovingWindowRateLimiter(MemoryStorage())

    @staticmethod
    def _account_key(name: str) -> str:
        return name.strip().lower()[:80]

    def check(self, name: str, address: str) -> Verdict:
        """May this attempt go ahead? Both the account's and the address's allowance must be left."""
        refused = [(item, key) for item, key in ((self.account, ("account", self._account_key(name))),
                                                  (self.address, ("address", address)))
                   if not self.limiter.test(item, *key)]
        if not refused:
            return Verdict(True)
        # A second limiter entry of one per window says whether this refusal is the window's first.
        first = any(self.limiter.hit(_once(item), "refused", *key) for item, key in refused)
        reset = max(self.limiter.get_window_stats(item, *key).reset_time for item, key in refused)
        return Verdict(False, first, max(1, int(reset - time.time())))

    def failed(self, name: str, address: str) -> None:
        self.limiter.hit(self.account, "account", self._account_key(name))
        self.limiter.hit(self.address, "address", address)

    def succeeded(self, name: str) -> None:
        """A correct password clears the account's count (the address keeps its own)."""
        self.limiter.clear(self.account, "account", self._account_key(name))


def _once(item: RateLimitItem) -> RateLimitItem:
    return type(item)(1, item.multiples, item.namespace)
