"""The manifest of an index directory and the atomic replacement of that directory."""

from __future__ import annotations

import json
import os
import shutil
import sys
import uuid
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

from embeddings.errors import IndexCorrupt

MANIFEST_NAME = "manifest.json"
INDEX_FORMAT = "plenty-vector-index"
INDEX_FORMAT_VERSION = 1
_VERSIONED_DISTRIBUTIONS = ("faiss-cpu", "numpy", "sentence-transformers")


@dataclass(frozen=True)
class Manifest:
    """What an index directory holds: enough to refuse a mismatched model and to check the files agree."""

    model: str
    dim: int
    count: int
    index_type: str = "IDMap2,FlatIP"
    params: dict = field(default_factory=dict)
    metric: str = "inner_product"
    normalised: bool = True
    built_at: str = field(default_factory=lambda: utc_now_iso())
    versions: dict[str, str] = field(default_factory=lambda: library_versions())
    format: str = INDEX_FORMAT
    format_version: int = INDEX_FORMAT_VERSION

    def to_json(self) -> str:
        """Serialise the manifest as indented JSON."""
        return json.dumps(asdict(self), indent=2, sort_keys=True) + "\n"

    @classmethod
    def from_json(cls, text: str, source: Path) -> Manifest:
        """Parse a manifest, raising `IndexCorrupt` (naming `source`) when it is not a valid one."""
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise IndexCorrupt(f"{source} is not valid JSON ({exc}); run `plenty index rebuild`") from exc
        if not isinstance(data, dict) or data.get("format") != INDEX_FORMAT:
            raise IndexCorrupt(f"{source} is not a plenty index manifest; run `plenty index rebuild`")
        if data.get("format_version") != INDEX_FORMAT_VERSION:
            raise IndexCorrupt(
                f"{source} has index format version {data.get('format_version')!r}, this plenty reads "
                f"{INDEX_FORMAT_VERSION}; run `plenty index rebuild`"
            )
        known = {f for f in cls.__dataclass_fields__}
        try:
            manifest = cls(**{k: v for k, v in data.items() if k in known})
        except TypeError as exc:
            raise IndexCorrupt(f"{source} lacks a required field ({exc}); run `plenty index rebuild`") from exc
        if not isinstance(manifest.dim, int) or not isinstance(manifest.count, int) or manifest.count < 0:
            raise IndexCorrupt(f"{source} has an invalid dim or count; run `plenty index rebuild`")
        return manifest


def utc_now_iso() -> str:
    """The current time as an ISO 8601 UTC timestamp with a `Z` suffix, to the second."""
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def library_versions() -> dict[str, str]:
    """Versions of the libraries that shape an index, read from package metadata (nothing is imported)."""
    versions = {"python": sys.version.split()[0]}
    for dist in _VERSIONED_DISTRIBUTIONS:
        try:
            versions[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            continue
    return versions


def read_manifest(directory: Path) -> Manifest:
    """Read and validate `directory/manifest.json`."""
    path = directory / MANIFEST_NAME
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise IndexCorrupt(f"cannot read {path} ({exc}); run `plenty index rebuild`") from exc
    return Manifest.from_json(text, path)


def fsync_file(path: Path) -> None:
    """Flush a written file to disk."""
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def fsync_dir(path: Path) -> None:
    """Flush a directory's entries (renames, new files) to disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _backup_path(target: Path) -> Path:
    return target.parent / f".{target.name}.old"


def new_staging_dir(target: Path) -> Path:
    """Create an empty directory beside `target` to write a new version of it into."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.parent / f".{target.name}.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    staging.mkdir()
    return staging


def readable_dir(target: Path) -> Path:
    """The directory a reader should open: `target`, or the complete backup while a swap is between renames.

    Readers never repair (a repair could race the writer); `recover` does that before the next write.
    """
    backup = _backup_path(target)
    if not target.exists() and (backup / MANIFEST_NAME).is_file():
        return backup
    return target


def recover(target: Path) -> None:
    """Before writing: finish a swap that was killed between its two renames by putting the old version back.

    The window is two renames wide; when it was hit, `target` is absent and the backup is complete.
    """
    backup = _backup_path(target)
    if not target.exists() and (backup / MANIFEST_NAME).is_file():
        os.rename(backup, target)
        fsync_dir(target.parent)
    elif target.exists() and backup.exists():
        shutil.rmtree(backup, ignore_errors=True)


def remove_abandoned_staging(target: Path) -> None:
    """Delete staging directories left beside `target` by writers that are no longer running."""
    for staging in target.parent.glob(f".{target.name}.tmp-*"):
        pid_text = staging.name.rsplit("-", 2)[-2]
        if pid_text.isdigit() and _pid_alive(int(pid_text)):
            continue
        shutil.rmtree(staging, ignore_errors=True)


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def swap_in(staging: Path, target: Path) -> None:
    """Replace `target` with the fully written `staging` directory: old away, new in, old deleted."""
    fsync_dir(staging)
    backup = _backup_path(target)
    if backup.exists():
        shutil.rmtree(backup)
    if target.exists():
        os.rename(target, backup)
    os.rename(staging, target)
    fsync_dir(target.parent)
    if backup.exists():
        shutil.rmtree(backup)
