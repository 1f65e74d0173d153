"""How far a night's crawl is: boards done out of the total, postings read, and the time left, per host.

A host's boards are crawled one after another, so its time left is its boards left times the time its boards have
taken so far; the crawl ends with its slowest host.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from sources.crawl_processes import CrawlResult
from sources.hosts import host_key
from sources.sources_file import Source

# A progress line at most this often (and always for the last board), so thousands of boards make few lines.
PROGRESS_EVERY_SECONDS = 10.0


@dataclass
class HostProgress:
    """One host's boards: how many, how many done, postings read."""

    total: int
    done: int = 0
    postings: int = 0


@dataclass
class CrawlProgress:
    """Counts boards and postings as their crawls finish; `line` says how far the crawl is."""

    sources: list[Source]
    started: float = field(default_factory=time.monotonic)
    every: float = PROGRESS_EVERY_SECONDS

    def __post_init__(self) -> None:
        self.hosts: dict[str, HostProgress] = {}
        for source in self.sources:
            self.hosts.setdefault(host_key(source), HostProgress(0)).total += 1
        self._last_line = float("-inf")

    def finished(self, results: list[CrawlResult]) -> None:
        """Count some finished crawls."""
        for result in results:
            host = self.hosts.setdefault(host_key(result.source), HostProgress(1))
            host.done += 1
            host.postings += result.items

    def seconds_left(self, host: HostProgress, now: float) -> float | None:
        """An estimate of a host's time left (None before its first board is done)."""
        if host.done == 0:
            return None
        return (now - self.started) / host.done * (host.total - host.done)

    def line(self, now: float | None = None) -> str:
        """``crawled 120/3000 boards, 2345 postings, about 12 min left; boards-api.example 60/1500 (12 min), ...``"""
        now = time.monotonic() if now is None else now
        done = sum(h.done for h in self.hosts.values())
        total = sum(h.total for h in self.hosts.values())
        postings = sum(h.postings for h in self.hosts.values())
        lefts = [self.seconds_left(h, now) for h in self.hosts.values() if h.done < h.total]
        known = [left for left in lefts if left is not None]
        if done == total:
            overall = f"done in {_duration(now - self.started)}"
        elif known and len(known) == len(lefts):
            overall = f"about {_duration(max(known))} left"
        else:
            overall = "time left not known yet"
        hosts = ", ".join(
            f"{name} {h.done}/{h.total}" + ("" if h.done == h.total else
                                            f" ({_duration(self.seconds_left(h, now))})" if h.done else " (?)")
            for name, h in sorted(self.hosts.items(), key=lambda item: item[1].done - item[1].total))
        return f"crawled {done}/{total} boards, {postings} postings, {overall}; {hosts}"

    def due(self, now: float | None = None) -> bool:
        """Whether a progress line is due (the first one, every `every` seconds, and at the end)."""
        now = time.monotonic() if now is None else now
        finished = all(h.done >= h.total for h in self.hosts.values())
        if finished or now - self._last_line >= self.every:
            self._last_line = now
            return True
        return False


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "?"
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"
