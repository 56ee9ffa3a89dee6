"""Opening the DuckDB file: one writer at a time, readers wait for it, migrations on every writer open.

A run holds its writer connection across batches (hold_writer) and lets go of it every few seconds: closing
checkpoints (DuckDB compresses the logged writes into the file), and one close per batch made a load cost
twice what DuckDB's own bulk insert of the same rows costs, while closing now and then still lets readers in.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from schemas.errors import WarehouseBusy, WarehouseError
from warehouse.migrate import migrate

__all__ = ["WarehouseBusy", "WarehouseError", "hold_writer", "open_reader", "open_writer"]

log = logging.getLogger(__name__)

BUSY_MESSAGE = "warehouse is busy (another writer); retrying…"
_RETRY_PAUSE_SECONDS = 0.2
# Write-ahead log a held writer may gather before DuckDB checkpoints on its own; the hold's end checkpoints first
# unless a hold writes more than this.
HELD_CHECKPOINT_THRESHOLD = "1GB"


@dataclass
class _HeldWriter:
    """The writer connection a run keeps between batches; opened on first use, closed after max_hold_seconds."""

    max_hold_seconds: float
    memory_limit: str | None
    lock: threading.RLock = field(default_factory=threading.RLock)  # one user at a time, whatever the thread
    con: duckdb.DuckDBPyConnection | None = None
    opened_at: float = 0.0

    def release(self) -> None:
        if self.con is not None:
            self.con.close()  # checkpoints
            self.con = None


_held: dict[Path, _HeldWriter] = {}


@contextmanager
def hold_writer(db_path: Path, max_hold_seconds: float, memory_limit: str | None = None) -> Iterator[None]:
    """Within this block, open_writer and open_reader on `db_path` (in this process) share one writer connection.

    It is closed once it has been open `max_hold_seconds` (at the end of the use that passes that age), so other
    processes (`wirehouse sql`, which waits up to 30 s) get the file between batches, and on leaving the block.
    `memory_limit` (DuckDB's, e.g. "256MB") caps what DuckDB keeps cached: without it the process's peak memory
    grew with the warehouse during a long run, not with the batch. A nested hold on the same file is part of
    the outer one.
    """
    key = Path(db_path).resolve()
    if key in _held:
        yield
        return
    held = _held[key] = _HeldWriter(max_hold_seconds, memory_limit)
    try:
        yield
    finally:
        with held.lock:
            del _held[key]
            held.release()


@contextmanager
def open_writer(db_path: Path, wait_seconds: float = 30) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-write connection with the schema up to date; closed on exit (or kept, inside hold_writer).

    DuckDB lets one process hold a file for writing and nobody else in at all, so callers keep this
    open only while loading.
    """
    db_path = Path(db_path)
    if not db_path.parent.is_dir():
        raise WarehouseError(f"folder {db_path.parent} does not exist; create it or choose another warehouse path")
    held = _held.get(db_path.resolve())
    if held is None:
        with closing(_open_writer_connection(db_path, wait_seconds)) as con:
            yield con
        return
    with held.lock:
        if held.con is None:
            held.con = _open_writer_connection(db_path, wait_seconds)
            held.opened_at = time.monotonic()
            if held.memory_limit:
                held.con.execute("SET memory_limit = ?", [held.memory_limit])
            # Checkpoint when the hold ends, not every 16MB of log: each checkpoint rewrites the tables' last,
            # partly filled row groups, so checkpointing every other batch cost more than the batches' inserts.
            held.con.execute("SET checkpoint_threshold = ?", [HELD_CHECKPOINT_THRESHOLD])
        try:
            yield held.con
        except duckdb.OutOfMemoryException as exc:
            held.release()
            raise WarehouseError(
                f"the warehouse writer ran out of memory under its cap ({held.memory_limit}): raise "
                "WIREHOUSE_WRITER_MEMORY_LIMIT or lower WIREHOUSE_BATCH_SIZE; nothing of this batch was loaded"
            ) from exc
        except BaseException:
            held.release()  # whatever failed, the next batch starts from a fresh connection
            raise
        if time.monotonic() - held.opened_at >= held.max_hold_seconds:
            held.release()


def _open_writer_connection(db_path: Path, wait_seconds: float) -> duckdb.DuckDBPyConnection:
    con = _connect(db_path, read_only=False, wait_seconds=wait_seconds)
    try:
        migrate(con)
    except BaseException:
        con.close()
        raise
    return con


@contextmanager
def open_reader(db_path: Path, wait_seconds: float = 30) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection; waits while a writer holds the file. Inside this process's hold_writer on the
    file, the held writer connection when it is open (DuckDB refuses a second, read-only one beside it)."""
    db_path = Path(db_path)
    if not db_path.is_file():
        raise WarehouseError(f"no warehouse at {db_path}; run `wirehouse ingest` first")
    held = _held.get(db_path.resolve())
    with held.lock if held is not None else nullcontext():
        if held is not None and held.con is not None:
            yield held.con
            return
        with closing(_connect(db_path, read_only=True, wait_seconds=wait_seconds)) as con:
            yield con


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
