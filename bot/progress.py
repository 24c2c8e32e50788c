"""Progress of long work (`replay`, `eval`, `train`): a tqdm bar on a terminal, a plain line every N items otherwise.

Both show the count, the rate and the time left. Lines go to standard error, so a command's own output
(`eval --json`, `export`) stays clean. Work that is not driven from the command line passes no
progress at all and prints nothing.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from types import TracebackType
from typing import Any, TextIO

DEFAULT_EVERY = 500


def add_progress_argument(parser: argparse.ArgumentParser) -> None:
    """`--progress-every N`, for the commands that show progress."""
    parser.add_argument("--progress-every", type=int, default=DEFAULT_EVERY, metavar="N",
                        help="when standard error is not a terminal, print a progress line every N items "
                        f"(default {DEFAULT_EVERY}); on a terminal a bar shows the count, rate and time left")


def _duration(seconds: float) -> str:
    s = int(round(seconds))
    if s < 60:
        return f"{s} s"
    if s < 3600:
        return f"{s // 60} min {s % 60:02d} s"
    return f"{s // 3600} h {s % 3600 // 60:02d} min"


class Progress:
    """Counts items done against a total that may be set once the work knows it.

    Args:
        label: what is being done ("replay"), the start of every line.
        total: how many items, if known now (`set_total` otherwise).
        unit: the item's name ("message"), pluralised with an s.
        every: on a non-terminal, a line each time this many more items are done.
        stream: where lines go (standard error by default).
        tty: force the bar (True) or the plain lines (False); None asks the stream.
        clock: seconds, monotonic (tests pass their own).
    """

    def __init__(self, label: str, total: int | None = None, *, unit: str = "message",
                 every: int = DEFAULT_EVERY, stream: TextIO | None = None, tty: bool | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        if every < 1:
            raise ValueError("progress: every must be at least 1")
        self.label, self.unit, self.every = label, unit, every
        self.stream = stream if stream is not None else sys.stderr
        self.tty = self.stream.isatty() if tty is None else tty
        self.clock = clock
        self.total = total
        self.done = 0
        self._started = clock()
        self._next_line = every
        self._bar: Any = None

    def set_total(self, total: int) -> None:
        self.total = total
        if self._bar is not None:
            self._bar.total = total
            self._bar.refresh()

    def advance(self, n: int = 1) -> None:
        if self.tty:
            self._tty_bar().update(n)
        self.done += n
        if not self.tty and self.done >= self._next_line:
            self._next_line = (self.done // self.every + 1) * self.every
            self._line()

    def rate(self) -> float:
        elapsed = self.clock() - self._started
        return self.done / elapsed if elapsed > 0 else 0.0

    def line(self) -> str:
        """`replay: 1500/5000 messages, 312.4/s, about 11 s left`."""
        rate = self.rate()
        count = f"{self.done}/{self.total}" if self.total is not None else str(self.done)
        text = f"{self.label}: {count} {self.unit}s, {rate:.1f}/s"
        if self.total is not None and rate > 0 and self.done < self.total:
            text += f", about {_duration((self.total - self.done) / rate)} left"
        return text

    def close(self) -> None:
        """The last word: how many, how long, how fast (the bar on a terminal, a line otherwise)."""
        if self._bar is not None:
            self._bar.close()
            self._bar = None
            return
        if not self.tty and self.done:
            elapsed = self.clock() - self._started
            self.stream.write(f"{self.label}: {self.done} {self.unit}s in {_duration(elapsed)} "
                              f"({self.rate():.1f}/s)\n")
            self.stream.flush()

    def _line(self) -> None:
        self.stream.write(self.line() + "\n")
        self.stream.flush()

    def _tty_bar(self) -> Any:
        if self._bar is None:
            from tqdm import tqdm  # only on a terminal: plain runs and services never import it

            self._bar = tqdm(total=self.total, desc=self.label, unit=f" {self.unit}s", file=self.stream,
                             dynamic_ncols=True, initial=self.done, smoothing=0.1)
        return self._bar

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()
