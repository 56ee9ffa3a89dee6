"""Opening the DuckDB file: one writer at a time, readers wait for it, migrations on every writer open.

A run holds its writer connection across batches (hold_writer): one close per batch (each close checkpoints)
made a load cost twice what DuckDB's own bulk insert of the same rows costs. DuckDB lets no other process open
a file one process writes, so the hold lets go whenever the run stops writing for a moment (it waits on the
network, or sleeps out a retry) and after `max_hold_seconds` of back-to-back loads, and then stays shut a
moment so a waiting reader gets in: `wirehouse sql` waits at most a few seconds, however slow the site.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager, nullcontext, suppress
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from schemas.errors import WarehouseBusy, WarehouseError
from warehouse.migrate import migrate

__all__ = ["WarehouseBusy", "WarehouseError", "hold_writer", "open_reader", "open_writer",
           "waiting_on_network"]

log = logging.getLogger(__name__)

BUSY_MESSAGE = "warehouse is busy (another writer); retrying…"
_RETRY_PAUSE_SECONDS = 0.05  # a refused open is cheap; a short pause catches a writer's short release
# Write-ahead log a held writer may gather before DuckDB checkpoints on its own; the hold's end checkpoints first
# unless a hold writes more than this.
HELD_CHECKPOINT_THRESHOLD = "1GB"
# The run marks where it waits on the network or sleeps out a retry (waiting_on_network); a wait that lasts this
# long closes the held writer, so a reader gets the file meanwhile. Shorter waits keep it: the pages of the next
# batch were almost fetched, and a close (a checkpoint) per batch doubled a load's cost.
WAIT_RELEASE_SECONDS = 0.2
# A held writer unused this long is closed even where no wait was marked (Prefect API calls, normalizing a
# very large batch): longer than the gaps between back-to-back loads.
IDLE_RELEASE_SECONDS = 2.0
# After a close, the run opens the file again no sooner than this: longer than a waiting reader's retry pause,
# so a reader waiting for the file gets it rather than losing the race to the next batch.
READER_TURN_SECONDS = 2 * _RETRY_PAUSE_SECONDS
# ... and while a reader in another process says it is waiting for the file (it touches `<file>.waiting` on each
# refused try; a busy machine may not run it within a fixed turn), up to this long.
WAITER_TURN_SECONDS = 2.0
_WAITER_FRESH_SECONDS = 0.3


@dataclass
class _HeldWriter:
    """The writer connection a run keeps between batches: opened on first use; closed after max_hold_seconds, or
    by a watcher thread while the run waits (the run's own thread is then blocked in the wait)."""

    max_hold_seconds: float
    memory_limit: str | None
    idle_seconds: float = IDLE_RELEASE_SECONDS
    lock: threading.RLock = field(default_factory=threading.RLock)  # one user at a time, whatever the thread
    con: duckdb.DuckDBPyConnection | None = None
    opened_at: float = 0.0
    last_used: float = 0.0
    released_at: float = float("-inf")
    waits: int = 0  # waits on the network in progress (waiting_on_network)
    waiting_since: float = 0.0
    stop: threading.Event = field(default_factory=threading.Event)

    def release(self) -> None:
        if self.con is not None:
            self.con.close()  # checkpoints
            self.con = None
            self.released_at = time.monotonic()

    def wait_for_readers_turn(self, db_path: Path) -> None:
        time.sleep(max(0.0, self.released_at + READER_TURN_SECONDS - time.monotonic()))
        while _someone_waits(db_path) and time.monotonic() < self.released_at + WAITER_TURN_SECONDS:
            time.sleep(_RETRY_PAUSE_SECONDS)

    def should_release(self) -> bool:
        if self.con is None:
            return False
        now = time.monotonic()
        if self.waits and now - max(self.last_used, self.waiting_since) >= WAIT_RELEASE_SECONDS:
            return True
        # past its age between two uses (the run builds the next batch): closed now, not after that batch's load
        return now - self.last_used >= self.idle_seconds or now - self.opened_at >= self.max_hold_seconds

    def watch(self) -> None:
        """Close the connection while the run waits; never while in use (the user holds the lock)."""
        while not self.stop.wait(WAIT_RELEASE_SECONDS / 4):
            if self.should_release() and self.lock.acquire(blocking=False):
                try:
                    if self.should_release():
                        self.release()
                finally:
                    self.lock.release()


_held: dict[Path, _HeldWriter] = {}


@contextmanager
def hold_writer(
    db_path: Path, max_hold_seconds: float, memory_limit: str | None = None, idle_seconds: float = IDLE_RELEASE_SECONDS
) -> Iterator[None]:
    """Within this block, open_writer and open_reader on `db_path` (in this process) share one writer connection.

    It is closed once it has been open `max_hold_seconds` (at the end of the use that passes that age), while the
    run waits on the network (waiting_on_network) or has not used it for `idle_seconds`, and on leaving the block:
    other processes (`wirehouse sql`) wait at most about `max_hold_seconds` for the file.
    `memory_limit` (DuckDB's, e.g. "256MB") caps what DuckDB keeps cached: without it the process's peak memory
    grew with the warehouse during a long run, not with the batch. A nested hold on the same file is part of
    the outer one.
    """
    key = Path(db_path).resolve()
    if key in _held:
        yield
        return
    held = _held[key] = _HeldWriter(max_hold_seconds, memory_limit, idle_seconds)
    watcher = threading.Thread(target=held.watch, name=f"writer-idle-{key.name}", daemon=True)
    watcher.start()
    try:
        yield
    finally:
        held.stop.set()
        watcher.join()
        with held.lock:
            del _held[key]
            held.release()
        _waiting_mark(key).unlink(missing_ok=True)


@contextmanager
def waiting_on_network(db_path: Path) -> Iterator[None]:
    """Around a wait of the run on the network (or a retry's sleep): if it lasts WAIT_RELEASE_SECONDS, this
    process's held writer on `db_path` is closed, so readers in other processes get the file meanwhile."""
    held = _held.get(Path(db_path).resolve())
    if held is None:
        yield
        return
    if not held.waits:
        held.waiting_since = time.monotonic()
    held.waits += 1
    try:
        yield
    finally:
        held.waits -= 1


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
            held.wait_for_readers_turn(db_path)
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
        held.last_used = time.monotonic()
        if held.last_used - held.opened_at >= held.max_hold_seconds:
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
            try:
                yield held.con
            finally:
                held.last_used = time.monotonic()
            return
        with closing(_connect(db_path, read_only=True, wait_seconds=wait_seconds)) as con:
            yield con


def _waiting_mark(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".waiting")


def _someone_waits(db_path: Path) -> bool:
    try:
        return time.time() - _waiting_mark(db_path).stat().st_mtime < _WAITER_FRESH_SECONDS
    except OSError:
        return False


def _say_waiting(db_path: Path) -> None:
    with suppress(OSError):  # a read-only folder: the reader still gets the fixed turn
        _waiting_mark(db_path).touch()


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
            if read_only:
                _say_waiting(db_path)
            time.sleep(min(_RETRY_PAUSE_SECONDS, max(0.0, deadline - time.monotonic())))
            continue
        except duckdb.Error as exc:
            raise WarehouseError(f"cannot open warehouse {db_path}: {exc}") from exc
        # Session time zone UTC: TIMESTAMPTZ values come back as UTC datetimes and now() is read as UTC.
        con.execute("SET TimeZone = 'UTC'")
        return con
