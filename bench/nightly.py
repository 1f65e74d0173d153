"""What a night costs when little changed: three `plenty nightly` runs over the same local boards.

Run: .venv/bin/python bench/nightly.py [--postings 1000] [--boards 10] [--hosts 1] [--changed 0.01]

Boards are served on 127.0.0.1 in the real Greenhouse API format; their postings are real ESCO occupations (an
alternative label as the title, the occupation's description as the ad) from ../shared. Each run is the real CLI in
a fresh process, as cron would start it:
  1. first night: everything is new (the naive cost: what re-embedding every posting every night would cost);
  2. the same boards again: nothing should be embedded;
  3. a share of postings (default 1 %) changed: exactly those should be embedded.
Prints the wall time of each run, the number embedded, and runs 2 and 3 as a ratio of run 1.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import html
import json
import os
import platform
import random
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
ESCO = REPO.parent / "shared" / "data" / "taxonomies" / "esco-v1" / "occupations_en.csv"

from mirror.board_server import BoardServer


def esco_postings(n: int, seed: int, paragraphs: int = 1) -> list[dict]:
    """``n`` postings from ESCO occupations: an alternative label as title, the description as text.

    With ``paragraphs`` > 1 the ad goes on with the descriptions of other occupations of the same ISCO group
    (a "you will also" section), which brings it to the length of a real ad (median 227 tokens at 4 paragraphs).
    """
    with ESCO.open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["description"].strip()]
    by_group: dict[str, list[dict]] = {}
    for row in rows:
        by_group.setdefault(row["iscoGroup"][:3], []).append(row)
    rng = random.Random(seed)
    postings = []
    for i in range(n):
        row = rows[i % len(rows)]
        labels = [row["preferredLabel"], *filter(None, row["altLabels"].splitlines())]
        title = rng.choice(labels).strip()
        text = row["description"].strip()
        others = [r for r in by_group[row["iscoGroup"][:3]] if r is not row]
        for other in rng.sample(others, min(paragraphs - 1, len(others))):
            text += "\n\nYou will also work on this: " + other["description"].strip()
        postings.append({"id": 4_000_000 + i, "title": title[:1].upper() + title[1:], "text": text})
    return postings


def greenhouse_board(company: str, postings: list[dict]) -> dict:
    """A board in the Greenhouse job board API's shape (content entity-escaped, as the real API sends it)."""
    jobs = [{
        "id": p["id"], "title": p["title"], "updated_at": "2026-11-20T09:00:00-05:00",
        "first_published": "2026-11-01T09:00:00-05:00", "requisition_id": str(p["id"]),
        "absolute_url": f"https://{re.sub(r'[^a-z]', '', company.lower())}.example.com/jobs/{p['id']}",
        "location": {"name": "Remote"}, "company_name": company, "metadata": None, "departments": [], "offices": [],
        "content": html.escape(f"<p>{html.escape(p['text'])}</p>"),
    } for p in postings]
    return {"jobs": jobs, "meta": {"total": len(jobs)}}


def write_boards(root: Path, postings: list[dict], boards: int) -> list[str]:
    """Split postings over ``boards`` board files; returns the board tokens."""
    (root / "greenhouse").mkdir(parents=True, exist_ok=True)
    tokens = []
    for b in range(boards):
        token = f"benchco{b:02d}"
        part = postings[b::boards]
        (root / "greenhouse" / f"{token}.json").write_text(
            json.dumps(greenhouse_board(f"Bench Company {b:02d}", part)), encoding="utf-8")
        tokens.append(token)
    return tokens


def run_nightly(home: Path, sources: Path, api_url: str | None = None) -> tuple[float, int, str]:
    """Wall time, postings embedded and the step timings line of one `plenty nightly` in a fresh process
    (talking to the Prefect server at `api_url` when given, else starting Prefect's temporary one as a plain
    cron run does)."""
    env = {**os.environ, "PLENTY_HOME": str(home)}
    if api_url:
        env["PREFECT_API_URL"] = api_url
    started = time.perf_counter()
    proc = subprocess.run([str(REPO / ".venv" / "bin" / "plenty"), "nightly", "--sources", str(sources)],
                          env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if proc.returncode != 0:
        sys.exit(f"plenty nightly failed:\n{proc.stdout}\n{proc.stderr}")
    embedded = int(re.search(r"Embedded (\d+)", proc.stdout).group(1))
    steps = next((line for line in proc.stdout.splitlines() if line.startswith("Seconds: ")), "")
    return elapsed, embedded, steps


@contextlib.contextmanager
def prefect_server(home: Path):
    """A Prefect server on 127.0.0.1 for the runs (as `plenty serve` needs one); yields its API URL."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    home.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PREFECT_HOME": str(home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    proc = subprocess.Popen([str(REPO / ".venv" / "bin" / "prefect"), "server", "start", "--host", "127.0.0.1",
                             "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/api"
    try:
        deadline = time.monotonic() + 300
        while True:
            try:
                with urllib.request.urlopen(f"{url}/health", timeout=5) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                sys.exit("the Prefect server did not start")
            time.sleep(0.5)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=60)


def three_nights(home, sources, postings, tmp_path, servers, args, api_url):
    """Night 1 (all new), night 2 (unchanged), night 3 (a share changed); returns the three and the changed."""
    first = run_nightly(home, sources, api_url)
    second = run_nightly(home, sources, api_url)
    changed = random.Random(args.seed).sample(range(len(postings)), max(1, round(len(postings) * args.changed)))
    for i in changed:
        postings[i]["text"] += " This role was updated with new responsibilities."
    write_boards(tmp_path / "boards", postings, args.boards)
    for server in servers:
        server.add_tree(tmp_path / "boards")
    third = run_nightly(home, sources, api_url)
    return first, second, third, changed


def main() -> None:
    """Run the three nights and print their costs."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postings", type=int, default=1000)
    parser.add_argument("--boards", type=int, default=10)
    parser.add_argument("--changed", type=float, default=0.01, help="share of postings changed before night 3")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--paragraphs", type=int, default=1,
                        help="ESCO descriptions per ad (1: short ads, median 55 tokens; 4: median 227 tokens, near a real ad at the 256 the model reads)")
    parser.add_argument("--hosts", type=int, default=1,
                        help="serve the boards from this many servers (ports of 127.0.0.1 standing in for the "
                             "hosts of different ATSs; boards dealt round-robin): each host is crawled by its own "
                             "process, hosts in parallel, one board at a time per host")
    parser.add_argument("--prefect-server", action="store_true",
                        help="run the nights against a running Prefect server (as under `plenty serve`) instead of "
                             "each starting Prefect's temporary server")
    args = parser.parse_args()
    if not ESCO.exists():
        sys.exit(f"{ESCO} not found: this benchmark reads ESCO occupations from ../shared")
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores; "
          f"{args.postings} postings on {args.boards} boards of {args.hosts} host(s), {args.paragraphs} paragraph(s) per ad, "
          f"{'a running Prefect server' if args.prefect_server else 'a temporary Prefect server per run'}")
    with tempfile.TemporaryDirectory(prefix="plenty-bench-nightly-") as tmp:
        tmp_path = Path(tmp)
        postings = esco_postings(args.postings, args.seed, args.paragraphs)
        with contextlib.ExitStack() as stack:
            servers = [stack.enter_context(BoardServer()) for _ in range(max(1, args.hosts))]
            tokens = write_boards(tmp_path / "boards", postings, args.boards)
            for server in servers:
                server.add_tree(tmp_path / "boards")
            sources = tmp_path / "sources.toml"
            sources.write_text("".join(f'[[source]]\nkind = "greenhouse"\nboard = "{t}"\n'
                                       f'api_base = "{servers[i % len(servers)].url}"\n\n'
                                       for i, t in enumerate(tokens)), encoding="utf-8")
            home = tmp_path / "home"
            api_url = stack.enter_context(prefect_server(tmp_path / "prefect")) if args.prefect_server else None
            first, second, third, changed = three_nights(home, sources, postings, tmp_path, servers, args, api_url)
    print(f"{'night':44} {'seconds':>8} {'embedded':>9} {'x night 1':>10}")
    print(f"{'1: all new (= naive: re-embed everything)':44} {first[0]:8.1f} {first[1]:9d} {1:10.3f}")
    print(f"{'2: unchanged boards':44} {second[0]:8.1f} {second[1]:9d} {second[0] / first[0]:10.3f}")
    print(f"{f'3: {len(changed)} postings changed':44} {third[0]:8.1f} {third[1]:9d} {third[0] / first[0]:10.3f}")
    for night, run in (("1", first), ("2", second), ("3", third)):
        print(f"night {night} steps (the rest is start-up: Python, Prefect and its server): {run[2]}")
    ok = second[1] == 0 and third[1] == len(changed)
    print(f"embeds exactly what changed: {'yes' if ok else 'NO'}")


if __name__ == "__main__":
    main()
