"""Opening the DuckDB file: one writer at a time, readers wait for it, migrations on every writer open."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from warehouse.errors import WarehouseBusy, WarehouseError
from warehouse.migrate import migrate

__all__ = ["WarehouseBusy", "WarehouseError", "open_reader", "open_writer"]

log = logging.getLogger(__name__)

BUSY_MESSAGE = "warehouse is busy (another writer); retrying…"
_RETRY_PAUSE_SECONDS = 0.2


@contextmanager
def open_writer(db_path: Path, wait_seconds: float = 30) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-write connection with the schema up to date; closed on exit.

    DuckDB lets one process hold a file for writing and nobody else in at all, so callers keep this
    open only while loading.
    """
    db_path = Path(db_path)
    if not db_path.parent.is_dir():
        raise WarehouseError(f"folder {db_path.parent} does not exist; create it or choose another warehouse path")
    con = _connect(db_path, read_only=False, wait_seconds=wait_seconds)
    try:
        migrate(con)
        yield con
    finally:
        con.close()


@contextmanager
def open_reader(db_path: Path, wait_seconds: float = 30) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection; waits while a writer holds the file."""
    db_path = Path(db_path)
    if not db_path.is_file():
        raise WarehouseError(f"no warehouse at {db_path}; run `wirehouse ingest` first")
    con = _connect(db_path, read_only=True, wait_seconds=wait_seconds)
    try:
        yield con
    finally:
        con.close()


def _connect(db_path: Path, *, read_only: bool, wait_seconds: float) -> duckdb.DuckDBPyConnection:
    deadline = time.monotonic() + wait_seconds
    warned = False
    while True:
        try:
            con = duckdb.connect(str(db_path), read_only=read_only)
        except duckdb.IOException as exc:
            if "Could not set lock" not in str(exc):
                raise WarehouseError(f"cannot open warehouse {db_path}: {exc}") from exc
            if time.monotonic() >= deadline:
                raise WarehouseBusy(
                    f"warehouse {db_path} is still locked by another writer after {wait_seconds:g}s"
                ) from exc
            if not warned:
                log.warning(BUSY_MESSAGE)
                warned = True
            time.sleep(min(_RETRY_PAUSE_SECONDS, max(0.0, deadline - time.monotonic())))
            continue
        except duckdb.Error as exc:
            raise WarehouseError(f"cannot open warehouse {db_path}: {exc}") from exc
        # Session time zone UTC: TIMESTAMPTZ values come back as UTC datetimes and now() is read as UTC.
        con.execute("SET TimeZone = 'UTC'")
        return con
