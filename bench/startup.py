"""Start-up time of the CLI against the naive import of torch and sentence-transformers.

    .venv/bin/python bench/startup.py [--runs 5]

Each line is the median wall time of fresh processes (the first, cold run is dropped from the median and
shown apart). Besides `--help`, the commands that need no model are run against a data home of 1,000 imported
postings and one rejection (`reject list`, `sources list`, `matches`, `export`). Also lists which heavy libraries `import cli.main` pulls in (it should pull in none), and
the cold cost of loading the default encoder and embedding one query in a new process, per backend.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
HEAVY = ("torch", "sentence_transformers", "transformers", "onnxruntime", "faiss", "duckdb", "prefect",
         "scrapy", "numpy", "pandas", "bm25s")
TARGET_S = 0.5


def timed(command: list[str], runs: int, env: dict | None = None) -> tuple[float, float]:
    """(first run, median of the other runs) wall seconds of `command` in fresh processes."""
    times = []
    for _ in range(runs + 1):
        started = time.perf_counter()
        subprocess.run(command, cwd=REPO, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       env=env)
        times.append(time.perf_counter() - started)
    return times[0], statistics.median(times[1:])


def small_data_home(root: Path, plenty: str) -> dict:
    """A data home with 1,000 imported postings and one rejection; returns the environment that selects it."""
    env = {**os.environ, "PLENTY_HOME": str(root / "home")}
    postings = root / "postings.jsonl"
    postings.write_text("".join(json.dumps({
        "source_id": str(i), "title": f"Backend Engineer {i}", "company": f"Company {i % 50}",
        "url": f"https://jobs.example.org/{i}", "locations": ["Berlin, Germany"],
        "description": "Python services, PostgreSQL and payments. " * 20}) + "\n" for i in range(1000)),
        encoding="utf-8")
    subprocess.run([plenty, "import", str(postings)], env=env, check=True, capture_output=True)
    subprocess.run([plenty, "reject", "add", "--title", "Backend Engineer", "--company", "Company 7", "--text",
                    "Python services"], env=env, check=True, capture_output=True)
    return env


def cli_commands() -> list[str]:
    """The top-level command names of `plenty`."""
    from cli.main import cli

    return sorted(cli.commands)


def heavy_imports(module: str) -> list[str]:
    """Which of the heavy libraries importing `module` loads."""
    code = f"import sys, {module}; print(' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, check=True, capture_output=True, text=True)
    return out.stdout.split()


def main(argv: list[str] | None = None) -> None:
    """Time each command and print a markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per command after a cold one")
    parser.add_argument("--no-model", action="store_true", help="skip the encoder load rows")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(REPO))
    plenty = str(BIN / "plenty")
    py = sys.executable
    commands = [("plenty --help", [plenty, "--help"]),
                *[(f"plenty {name} --help", [plenty, name, "--help"]) for name in cli_commands()],
                ('python -c "import cli.main"', [py, "-c", "import cli.main"]),
                ('python -c "import embeddings.encoder, embeddings.index"',
                 [py, "-c", "import embeddings.encoder, embeddings.index"])]
    baseline = ('naive: python -c "import torch, sentence_transformers"',
                [py, "-c", "import torch, sentence_transformers"])
    if not args.no_model:
        for backend in ("onnx-int8", "torch"):
            code = ("from embeddings.encoder import load_encoder; "
                    f"load_encoder(backend={backend!r}).encode(['senior python engineer'])")
            commands.append((f"cold load + 1 query, backend {backend}", [py, "-c", code]))
    cold, base = timed(baseline[1], args.runs)
    print(f"python {sys.version.split()[0]}; {args.runs} runs per command after a cold one\n")
    print("| command | cold s | median s | × naive import | under 0.5 s |")
    print("|---|---|---|---|---|")
    print(f"| {baseline[0]} | {cold:.2f} | {base:.2f} | 1.00 | {'yes' if base < TARGET_S else 'no'} |")
    for label, command in commands:
        first, median = timed(command, args.runs)
        print(f"| `{label}` | {first:.2f} | {median:.2f} | {median / base:.2f} | "
              f"{'yes' if median < TARGET_S else 'no'} |", flush=True)
    with tempfile.TemporaryDirectory(prefix="plenty-bench-startup-") as tmp:
        env = small_data_home(Path(tmp), plenty)
        for words in (["reject", "list"], ["sources", "list"], ["matches"], ["export", "--out", f"{tmp}/out.jsonl"]):
            first, median = timed([plenty, *words], args.runs, env)
            label = "plenty " + " ".join(words[:2] if words[0] != "export" else words[:1])
            print(f"| `{label}` (1,000 postings) | {first:.2f} | {median:.2f} | {median / base:.2f} | "
                  f"{'yes' if median < TARGET_S else 'no'} |", flush=True)
    heavy = heavy_imports("cli.main")
    print(f"\n`import cli.main` loads: {', '.join(heavy) if heavy else 'none of ' + ', '.join(HEAVY)}")


if __name__ == "__main__":
    main()
