"""``make demo``: the nightly job on the bundled demo boards, served on 127.0.0.1, with no internet.

Runs the real pipeline: a local mirror of the Greenhouse, Lever and Ashby APIs serves ``demo/boards``; the nightly
flow crawls it with the real spiders, loads DuckDB, embeds with the packaged model, builds the FAISS index, and
matches a sample rejection; then ``plenty similar`` answers for it.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

from click.testing import CliRunner

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO / "demo"


def write_demo_sources(target: Path, api_base: str) -> Path:
    """The demo sources file with every ``api_base`` pointing at the local mirror."""
    text = (DEMO / "sources.toml").read_text(encoding="utf-8").replace("{demo}", api_base)
    target.write_text(text, encoding="utf-8")
    return target


def run(home: Path, keep: bool = False) -> int:
    """Serve the demo boards, run nightly, record the sample rejection and print what is similar."""
    from mirror.board_server import BoardServer

    if home.exists() and not keep:
        shutil.rmtree(home)
    home.mkdir(parents=True, exist_ok=True)
    os.environ["PLENTY_HOME"] = str(home)
    from cli.main import cli

    runner = CliRunner()

    def plenty(*args: str) -> int:
        print(f"\n$ plenty {' '.join(args)}", flush=True)
        result = runner.invoke(cli, list(args), catch_exceptions=False)
        print(result.output, end="", flush=True)
        return result.exit_code

    with BoardServer() as server:
        boards = server.add_tree(DEMO / "boards")
        print(f"Serving {len(boards)} demo boards at {server.url} (Greenhouse, Lever and Ashby API paths)")
        sources = write_demo_sources(home / "demo-sources.toml", server.url)
        steps = [
            ("reject", "add", "--title", "Senior Backend Engineer, Payments Platform", "--company", "Ledgerline",
             "--file", str(DEMO / "rejection.md"), "--stage", "final interview"),
            ("nightly", "--sources", str(sources)),
            ("reject", "list"),
            ("similar", "--rejection", "1", "--k", "8"),
        ]
        for args in steps:
            code = plenty(*args)
            if code != 0:
                return code
    print(f"\nDemo data home: {home} (try: PLENTY_HOME={home} .venv/bin/plenty similar --text 'ICU nurse', or the web "
          f"app: PLENTY_HOME={home} .venv/bin/plenty ui)")
    return 0


def main() -> None:
    """Command-line entry: ``python -m demo [--home DIR] [--keep]``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, default=REPO / ".demo-home", help="demo data home (reset each run)")
    parser.add_argument("--keep", action="store_true", help="keep the demo home from the last run")
    args = parser.parse_args()
    sys.exit(run(args.home, keep=args.keep))


if __name__ == "__main__":
    main()
