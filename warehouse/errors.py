"""Named exceptions of the warehouse; the CLI turns them into one-line messages."""

from __future__ import annotations


class WarehouseError(Exception):
    """Base class of every error the warehouse raises on purpose."""


class WarehouseLocked(WarehouseError):
    """The DuckDB file is held by another process (DuckDB allows one writer)."""

    def __init__(self, path: str, detail: str = "") -> None:
        self.path = path
        self.detail = detail
        message = f"another plenty process holds the warehouse {path}; wait for it to finish and try again"
        if detail:
            message += f" ({detail})"
        super().__init__(message)


class SchemaError(WarehouseError):
    """The database schema cannot be brought to this version of plenty."""


class InvalidInput(WarehouseError):
    """A value given to the warehouse is missing or malformed."""


class FeedError(WarehouseError):
    """A feed (or import) record is malformed; nothing of that load was written."""

    def __init__(self, origin: str, line: int | None, reason: str) -> None:
        self.origin = origin
        self.line = line
        self.reason = reason
        where = f"{origin}, line {line}" if line is not None else origin
        super().__init__(f"{where}: {reason}")


class UnknownRejection(WarehouseError):
    """No rejection has the given id."""

    def __init__(self, rejection_id: object) -> None:
        self.rejection_id = rejection_id
        super().__init__(f"no rejection {rejection_id}")


class UnknownMatchRun(WarehouseError):
    """No match run has the given id."""

    def __init__(self, run_id: object) -> None:
        self.run_id = run_id
        super().__init__(f"no match run {run_id}")
