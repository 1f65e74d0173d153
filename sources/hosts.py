"""Which host each source's crawl talks to, and how the hosts are shared among the crawler processes: the boards
of one host are crawled one after another (a host never sees two of plenty's crawls at once)."""

from __future__ import annotations

import os
from urllib.parse import urlsplit

from sources.sources_file import Source

# Crawls run in at most one child process per core, each crawling its hosts at the same time (they mostly wait
# for the hosts' delays); more processes only add start-up cost. On 2 cores an unchanged night of 20 boards on 5
# hosts took 10.0 s with 2 processes, 11.8 s with 4 and 11.3 s with 1 (bench/RESULTS.md, "Nightly").
CRAWL_PROCESSES = max(1, os.cpu_count() or 1)


def host_key(source: Source) -> str:
    """Which host a source's crawl talks to, as far as the flow can tell: its API origin when set, the first
    page's host for JSON-LD sites, else the kind (each kind's public API lives on its own host)."""
    if source.api_base:
        return urlsplit(source.api_base).netloc.lower() or source.api_base
    for key in ("urls", "sitemap"):
        value = source.options.get(key)
        first = value[0] if isinstance(value, list) and value else value
        if isinstance(first, str) and urlsplit(first).netloc:
            return urlsplit(first).netloc.lower()
    return source.kind


def group_by_host(sources: list[Source]) -> list[list[Source]]:
    """Sources sharing a host, in their configured order: each group is crawled one board at a time."""
    groups: dict[str, list[Source]] = {}
    for source in sources:
        groups.setdefault(host_key(source), []).append(source)
    return list(groups.values())


def pack_hosts(groups: list[list[Source]], processes: int) -> list[list[Source]]:
    """Share host groups among at most `processes` crawler processes, keeping each host's boards together and
    in order; the hosts of one process are crawled at the same time, so the processes get similar board counts."""
    packs: list[list[Source]] = [[] for _ in range(max(1, min(processes, len(groups))))]
    for group in sorted(groups, key=len, reverse=True):
        min(packs, key=len).extend(group)
    return [pack for pack in packs if pack]


def hosts_label(sources: list[Source]) -> str:
    """A short name for the hosts of some sources, for logs: ``"boards.example"`` or ``"boards.example +2"``."""
    hosts = list(dict.fromkeys(host_key(source) for source in sources))
    return hosts[0] if len(hosts) == 1 else f"{hosts[0]} +{len(hosts) - 1}"


def crawl_packs(sources: list[Source]) -> list[list[Source]]:
    """The sources of a run as the crawler processes will take them (see `pack_hosts` and `CRAWL_PROCESSES`)."""
    return pack_hosts(group_by_host(sources), CRAWL_PROCESSES)
