"""The warehouse as the web app opens it: one short connection per request, so a nightly run is never blocked;
while a nightly holds the file, a request waits and retries a while, then says so (`WarehouseBusy`)."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

from datahome.settings import Settings
from ui.errors import WarehouseBusy

WAIT_SECONDS = 20.0


@contextmanager
def warehouse(settings: Settings, wait_seconds: float | None = None) -> Iterator[object]:
    """A migrated connection to the data home's warehouse, closed after the block (waiting up to `wait_seconds`,
    default `WAIT_SECONDS`, while another process holds it); raises `WarehouseBusy` when the wait runs out."""
    from warehouse.db import connect
    from warehouse.errors import WarehouseLocked

    try:
        con = connect(settings.db_path, wait_seconds=WAIT_SECONDS if wait_seconds is None else wait_seconds)
    except WarehouseLocked as exc:
        raise WarehouseBusy(f"the nightly run is writing to the warehouse ({exc.detail or 'another process'});"
                            " nothing was changed: try again in a minute") from None
    try:
        yield con
    finally:
        con.close()
