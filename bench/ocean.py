"""The ocean at night: thousands of directory boards on a local fleet, crawled, loaded, embedded and matched.

Run: .venv/bin/python bench/ocean.py [--share 1.0] [--delay 0.25] [--night2-delay S] [--changed 0.01] [--queries 30] [--keep DIR]
     .venv/bin/python bench/ocean.py --similar-only --keep DIR   (time `similar` again on a kept data home)

The fleet (`mirror.fleet`) serves the shipped directory's boards (or a `--share` of them, drawn evenly) on two
servers of 127.0.0.1, one for Greenhouse and one for Ashby (the two hosts a real night talks to), in the real API
shapes. Board sizes: an Ashby board lists the jobs the directory counted; a Greenhouse board (the directory has no
count) a size drawn from the Ashby boards' counts by its token; at most 2,000. Texts come from ESCO occupations
(../shared; ESCO, © European Union) and company names are invented. The data home's sources file includes the
directory, and lists three boards as the user's own (crawled and matched first).

1. first night: every board new, every posting embedded (the naive cost, paid every night without the
   unchanged-board skip and the embedding cache); its wall time against the politeness floor (the longest host's
   boards × the delay set here; AutoThrottle off so the floor is exact), its CPU and the peak RSS of all processes;
2. second night, a `--changed` share of postings changed (edited or replaced) on the fleet: the postings embedded
   against the fleet's count of changed ones, the CPU against the first night's;
3. `similar` with a text query, companies included: warm (one process, `--queries` queries, p50), and a cold
   `plenty similar` process.
Each night is the nightly flow in a fresh process (Prefect's temporary server included), the crawl in its own.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
# ../shared beside the checkout, or where PLENTY_SHARED says (a git worktree has none beside it).
SHARED = Path(os.environ.get("PLENTY_SHARED") or REPO.parent / "shared")
ESCO = SHARED / "data" / "taxonomies" / "esco-v1"

from mirror.fleet import Fleet, FleetBoard, FleetServer, esco_occupations, fictional_names, stable_hash  # noqa: E402
from sources.directory import builtin_directory, write_directory  # noqa: E402

MAX_SIZE = 2000
QUERIES = ["Staff nurse on a surgical ward, night shifts", "Senior backend engineer, Python and PostgreSQL",
           "Accounts payable clerk", "Warehouse team leader", "Primary school teacher", "Game designer for mobile",
           "Bank branch manager", "Physiotherapist for a sports clinic", "Data analyst, SQL and dashboards",
           "Chef de partie in a hotel kitchen"]

DRIVER = """
import json, sys
from cli.nightly import show_progress
from flows.nightly import nightly_flow
show_progress()
report = nightly_flow(sources_file=sys.argv[1], home=sys.argv[2], scrapy_settings=json.loads(sys.argv[3]))
print(json.dumps({"embedded": report.embedded, "boards": len(report.sources), "failed": len(report.failed_sources),
                  "unchanged": sum(1 for s in report.sources if s.get("unchanged")),
                  "fetched": sum(s["fetched"] for s in report.sources), "seconds": report.seconds}))
"""


def fleet_boards(share: float) -> list[FleetBoard]:
    """The directory's boards (a `share`, drawn by token hash) with their fleet sizes and invented names."""
    directory = [b for b in builtin_directory() if share >= 1 or stable_hash("pick", b.board) % 10_000 < share * 10_000]
    counts = sorted(b.jobs for b in builtin_directory() if b.kind == "ashby" and b.jobs is not None)
    names = fictional_names(len(directory), seed=17)
    boards = []
    for board, name in zip(directory, names):
        size = board.jobs if board.jobs is not None else counts[stable_hash("size", board.board) % len(counts)]
        boards.append(FleetBoard(board.kind, board.board, min(size, MAX_SIZE), name))
    return boards


def tree_rss(root: int) -> int:
    """Resident memory (bytes) of a process and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(entry))
            rss[int(entry)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            continue
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo += children.get(pid, [])
    return total


def run_night(sources: Path, home: Path, scrapy: dict, env: dict, log: Path) -> dict:
    """One nightly flow in a fresh process: its report, wall time, CPU (it and its children) and peak RSS."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    with log.open("w") as err:
        proc = subprocess.Popen([sys.executable, "-c", DRIVER, str(sources), str(home), json.dumps(scrapy)],
                                env=env, stdout=subprocess.PIPE, stderr=err, text=True, cwd=REPO)
        peak = [0]

        def sample() -> None:
            while proc.poll() is None:
                peak[0] = max(peak[0], tree_rss(proc.pid))
                time.sleep(0.5)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        out, _ = proc.communicate()
        sampler.join()
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        sys.exit(f"the nightly failed; see {log}")
    report = json.loads(out.strip().splitlines()[-1])
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {**report, "wall": wall, "cpu": cpu, "peak_rss": peak[0]}


def similar_times(home: Path, env: dict, count: int) -> tuple[list[float], float, int]:
    """Warm `similar` times (seconds; one recommender, `count` text queries), one cold `plenty similar` process's
    wall time, and how many companies the warm answers suggested."""
    os.environ["PLENTY_HOME"] = str(home)
    from datahome.settings import load_settings
    from recommend.recommender import Recommender

    recommender = Recommender.open(load_settings())
    recommender.similar([QUERIES[0]], k=10)  # the first call reads the corpus
    warm, companies = [], 0
    for i in range(count):
        started = time.perf_counter()
        result = recommender.similar([QUERIES[i % len(QUERIES)]], k=10)[0]
        warm.append(time.perf_counter() - started)
        companies += len(result.companies)
    started = time.perf_counter()
    subprocess.run([str(REPO / ".venv" / "bin" / "plenty"), "similar", "--text", QUERIES[1]], env=env, check=True,
                   capture_output=True)
    return warm, time.perf_counter() - started, companies


def print_similar(warm: list[float], cold: float, companies: int) -> None:
    """The similar line: warm p50 and p90, companies per answer, the cold process."""
    print(f"similar warm p50 {statistics.median(warm) * 1000:.0f} ms, p90 "
          f"{sorted(warm)[int(len(warm) * 0.9)] * 1000:.0f} ms over {len(warm)} queries (target <= 50 ms), "
          f"{companies / len(warm):.1f} companies per answer; cold `plenty similar` {cold:.2f} s (target <= 2 s)")


def similar_only(args: argparse.Namespace) -> None:
    """Time `similar` alone on the data home kept by a former run (`--keep`), e.g. before and after a change."""
    if args.keep is None or not (args.keep / "home").is_dir():
        sys.exit("--similar-only needs --keep FOLDER holding a former run's data home")
    home = args.keep / "home"
    env = {**os.environ, "PLENTY_HOME": str(home), "PREFECT_HOME": str(args.keep / "prefect")}
    warm, cold, companies = similar_times(home, env, args.queries)
    print_similar(warm, cold, companies)


def main() -> None:
    """Serve the fleet, run two nights and the similar queries, print the numbers and ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--share", type=float, default=1.0, help="share of the directory's boards served (1: all)")
    parser.add_argument("--delay", type=float, default=0.25, help="seconds between two requests to one host")
    parser.add_argument("--night2-delay", type=float,
                        help="delay for night 2 (default: --delay); night 2 is measured by CPU, not by wall time")
    parser.add_argument("--changed", type=float, default=0.01, help="share of postings changed for night 2")
    parser.add_argument("--queries", type=int, default=30)
    parser.add_argument("--keep", type=Path, help="keep the data home and logs in this folder")
    parser.add_argument("--similar-only", action="store_true",
                        help="only time `similar` on the data home a former run kept in --keep (no fleet, no night)")
    args = parser.parse_args()
    if args.similar_only:
        similar_only(args)
        return
    if not (ESCO / "occupations_en.csv").exists():
        sys.exit(f"{ESCO} not found: the fleet's texts come from ESCO occupations in ../shared")
    boards = fleet_boards(args.share)
    fleet = Fleet(boards, esco_occupations(ESCO / "occupations_en.csv", ESCO / "ISCOGroups_en.csv"),
                  changed_share=args.changed)
    by_kind = {kind: [b for b in boards if b.kind == kind] for kind in ("greenhouse", "ashby")}
    postings = fleet.listed_postings(0)
    cpu_model = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")),
                     platform.processor())
    print(f"machine: {cpu_model}, nproc {os.cpu_count()}, "
          f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB")
    print(f"fleet: {len(boards)} boards ({len(by_kind['greenhouse'])} greenhouse, {len(by_kind['ashby'])} ashby), "
          f"{postings} listed postings, delay {args.delay} s per host"
          + (f" (night 2: {args.night2_delay} s)" if args.night2_delay is not None else ""))
    with tempfile.TemporaryDirectory(prefix="plenty-bench-ocean-") as tmp:
        root = args.keep or Path(tmp)
        root.mkdir(parents=True, exist_ok=True)
        home = root / "home"
        env = {**os.environ, "PLENTY_HOME": str(home), "PREFECT_HOME": str(root / "prefect"),
               "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "PREFECT_LOGGING_LEVEL": "WARNING",
               "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "300"}
        with FleetServer(fleet) as greenhouse, FleetServer(fleet) as ashby:
            write_directory(root / "fleet.tsv", [{"kind": b.kind, "board": b.token, "company": b.company,
                                                 "jobs": b.size, "checked": "2026-12-01"} for b in boards])
            own = [b for b in boards if b.size][:3]
            sources = root / "sources.toml"
            sources.write_text(
                'include_directory = true\nshipped_directory = false\ndirectory_files = ["fleet.tsv"]\n'
                f'directory_api_base = {{greenhouse = "{greenhouse.url}", ashby = "{ashby.url}"}}\n\n'
                + "".join(f'[[source]]\nkind = "{b.kind}"\nboard = "{b.token}"\ncompany = "{b.company}"\n'
                          f'api_base = "{(greenhouse if b.kind == "greenhouse" else ashby).url}"\n\n' for b in own),
                encoding="utf-8")
            scrapy = {"DOWNLOAD_DELAY": args.delay, "AUTOTHROTTLE_ENABLED": False}
            first = run_night(sources, home, scrapy, env, root / "night1.log")
            # The floor: each host's board requests of night 1 (robots.txt aside) one delay apart.
            per_host = {kind: sum(1 for e in fleet.log if e["path"].startswith(prefix))
                        for kind, prefix in (("greenhouse", "/v1/boards/"), ("ashby", "/posting-api/"))}
            fleet.night = 1
            changed = fleet.changed_postings(1)
            delay2 = args.delay if args.night2_delay is None else args.night2_delay
            second = run_night(sources, home, {**scrapy, "DOWNLOAD_DELAY": delay2}, env, root / "night2.log")
        warm, cold, companies = similar_times(home, env, args.queries)
    floor = max(per_host.values()) * args.delay
    crawl = first["seconds"].get("crawl and load", 0) + first["seconds"].get("own boards: crawl and load", 0)
    print(f"{'':34} {'wall s':>8} {'cpu s':>8} {'peak RSS':>9} {'boards':>7} {'postings':>9} {'embedded':>9}")
    for name, night in (("night 1 (all new = naive)", first), (f"night 2 ({args.changed:.0%} changed)", second)):
        print(f"{name:34} {night['wall']:8.1f} {night['cpu']:8.1f} {night['peak_rss'] / 2**30:8.2f}G "
              f"{night['boards']:7d} {night['fetched']:9d} {night['embedded']:9d}")
    print(f"night 1 steps: {first['seconds']}")
    print(f"night 2 steps: {second['seconds']}; boards skipped as unchanged: {second['unchanged']}")
    print(f"politeness floor {floor:.1f} s (longest host {max(per_host.values())} boards x "
          f"{args.delay} s): night 1 wall / floor = {first['wall'] / floor:.2f}, its crawl and load / floor = "
          f"{crawl / floor:.2f} (target <= 1.25)")
    print(f"night 1 peak RSS {first['peak_rss'] / 2**30:.2f} GiB (target < 4)")
    print(f"night 2 embedded {second['embedded']} of the fleet's {changed} changed postings; "
          f"CPU night 2 / night 1 = {second['cpu'] / first['cpu']:.3f} (target <= 0.10)")
    print_similar(warm, cold, companies)


if __name__ == "__main__":
    main()
