"""A progress bar for long runs: items done of the expected total, articles/s, words/s and ETA.

It writes to the stream it is given (the CLI passes stderr). On a terminal it redraws one line in
place a few times a second; otherwise (a log file, a pipe) it writes a plain line now and then, so
logs show progress without filling up. The total is an estimate made before the run (lines in JSONL
and CSV files, one per text or HTML file) and may be unknown (feeds, WARC, stdin): then no ETA.
"""

from __future__ import annotations

import time
from typing import IO

REDRAW_SECONDS = 0.25  # terminal redraws: smooth enough, cheap enough
LOG_LINE_SECONDS = 30.0  # one line per half minute in a log
BAR_WIDTH = 24  # characters of the bar itself


def format_duration(seconds: float) -> str:
    """``3725`` → ``1h02m``; ``95`` → ``1m35s``; ``7`` → ``7s``."""
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}h{minutes:02d}m"
    return f"{minutes}m{secs:02d}s" if minutes else f"{secs}s"


class ProgressBar:
    """Call :meth:`advance` as batches finish and :meth:`close` at the end."""

    def __init__(
        self,
        stream: IO[str],
        total: int | None = None,
        *,
        interactive: bool | None = None,
        label: str = "items",
    ) -> None:
        self.stream = stream
        self.total = total
        self.label = label
        self.interactive = stream.isatty() if interactive is None else interactive
        self.done = self.articles = self.words = 0
        self._started = time.monotonic()
        self._last_draw = float("-inf")
        self._drawn = False

    def advance(self, items: int, articles: int = 0, words: int = 0) -> None:
        """``items`` more input items handled (stored, skipped or rejected), ``articles`` of them coded."""
        self.done += items
        self.articles += articles
        self.words += words
        now = time.monotonic()
        if now - self._last_draw >= (REDRAW_SECONDS if self.interactive else LOG_LINE_SECONDS):
            self._draw(now)

    def line(self, now: float | None = None) -> str:
        """The current progress as one line of text."""
        elapsed = max((now or time.monotonic()) - self._started, 1e-9)
        rate = self.articles / elapsed
        speed = f"{rate:.1f} articles/s, {self.words / elapsed:,.0f} words/s"
        if not self.total:
            return f"{self.done:,} {self.label} | {speed} | {format_duration(elapsed)} elapsed"
        share = min(self.done / self.total, 1.0)
        filled = int(share * BAR_WIDTH)
        item_rate = self.done / elapsed
        eta = format_duration((self.total - self.done) / item_rate) if item_rate and share < 1 else "0s"
        bar = "#" * filled + "-" * (BAR_WIDTH - filled)
        return (
            f"[{bar}] {share:6.1%} {self.done:,}/{self.total:,} {self.label} | {speed} | "
            f"{format_duration(elapsed)} elapsed, ETA {eta}"
        )

    def _draw(self, now: float) -> None:
        self._last_draw = now
        self._drawn = True
        end = "" if self.interactive else "\n"
        prefix = "\r\x1b[K" if self.interactive else ""
        self.stream.write(prefix + self.line(now) + end)
        self.stream.flush()

    def clear(self) -> None:
        """Blank the terminal line so a message can be printed; the next redraw brings the bar back."""
        if self.interactive and self._drawn:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self._last_draw = float("-inf")

    def close(self) -> None:
        """Draw the final state (and end the terminal line)."""
        if self.done or self._drawn:
            self._draw(time.monotonic())
            if self.interactive:
                self.stream.write("\n")
                self.stream.flush()
