"""The warehouse as the web app opens it: one short connection per request, so a nightly run is never blocked;
while a nightly holds the file, a request waits and retries a while, then says so (`WarehouseBusy`)."""

from __future__ import annotations

import time
from contextlib import contextmanager
from typing import Iterator

from datahome.settings import Settings
from ui.errors import WarehouseBusy

WAIT_SECONDS = 20.0
RETRY_EVERY = 0.25


@contextmanager
def warehouse(settings: Settings, wait_seconds: float | None = None) -> Iterator[object]:
    """A migrated connection to the data home's warehouse, closed after the block (waiting up to `wait_seconds`,
    default `WAIT_SECONDS`, while another process holds it)."""
    from warehouse.db import connect
    from warehouse.errors import WarehouseLocked

    deadline = time.monotonic() + (WAIT_SECONDS if wait_seconds is None else wait_seconds)
    while True:
        try:
            con = connect(settings.db_path)
            break
        except WarehouseLocked as exc:
            if time.monotonic() >= deadline:
                raise WarehouseBusy(f"the nightly run is writing to the warehouse ({exc.detail or 'another process'});"
                                    " nothing was changed: try again in a minute") from None
            time.sleep(RETRY_EVERY)
    try:
        yield con
    finally:
        con.close()
