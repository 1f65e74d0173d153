"""Where plenty keeps its data and which model it uses: one data home, optional config.toml inside it."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from datahome.errors import ConfigError

DEFAULT_MODEL = "all-MiniLM-L6-v2"
DEFAULT_USER_AGENT = "plenty-jobs/0.1 (+https://github.com/plenty-jobs/plenty; job-search recommender)"


@dataclass(frozen=True)
class Settings:
    """Resolved settings for one process: paths under the data home plus model and crawler identity."""

    home: Path
    model: str = DEFAULT_MODEL
    backend: str | None = None  # "torch", "onnx", "onnx-int8-block", ...; None: the model's default
    user_agent: str = DEFAULT_USER_AGENT
    extra: dict = field(default_factory=dict)

    @property
    def db_path(self) -> Path:
        """The DuckDB warehouse file."""
        return self.home / "plenty.duckdb"

    @property
    def index_dir(self) -> Path:
        """The FAISS index directory."""
        return self.home / "index"

    @property
    def feeds_dir(self) -> Path:
        """Where crawl feeds are written, one folder per run."""
        return self.home / "feeds"

    @property
    def logs_dir(self) -> Path:
        """Run logs."""
        return self.home / "logs"

    @property
    def cache_dir(self) -> Path:
        """Where derived data that is slow to compute is kept (occupation vectors, skill terms, BM25)."""
        return self.home / "cache"

    @property
    def sources_file(self) -> Path:
        """The user's sources file (created from the shipped default on first use)."""
        return self.home / "sources.toml"

    @property
    def config_file(self) -> Path:
        """Optional settings file inside the data home."""
        return self.home / "config.toml"

    def section(self, name: str) -> dict:
        """A table of config.toml (e.g. "smtp", "schedule"), empty when absent."""
        value = self.extra.get(name, {})
        return value if isinstance(value, dict) else {}

    def ensure_dirs(self) -> None:
        """Create the data home and its folders; raises `ConfigError` when they cannot be made (PLENTY_HOME names
        a file, or a folder plenty may not write)."""
        for path in (self.home, self.feeds_dir, self.logs_dir):
            try:
                path.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise ConfigError(f"cannot use {self.home} as the data home: cannot create {path} "
                                  f"({exc.strerror or exc}); set PLENTY_HOME to a folder you can write") from None


def load_settings(home: str | Path | None = None) -> Settings:
    """Settings from PLENTY_HOME (default ~/.plenty), its config.toml, PLENTY_MODEL and PLENTY_BACKEND."""
    home_path = Path(home or os.environ.get("PLENTY_HOME") or Path.home() / ".plenty").expanduser()
    config: dict = {}
    config_file = home_path / "config.toml"
    if config_file.exists():
        try:
            config = tomllib.loads(config_file.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{config_file} is not valid TOML ({exc}); fix or remove it") from exc
    model = os.environ.get("PLENTY_MODEL") or config.get("model", {}).get("name") or DEFAULT_MODEL
    backend = os.environ.get("PLENTY_BACKEND") or config.get("model", {}).get("backend") or None
    user_agent = config.get("crawl", {}).get("user_agent") or DEFAULT_USER_AGENT
    return Settings(home=home_path, model=str(model), backend=backend, user_agent=str(user_agent), extra=config)
