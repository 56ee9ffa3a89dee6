"""One run per warehouse at a time: an OS file lock held for the whole flow run.

Batches already keep DuckDB's write lock short; this lock is what stops two runs from interleaving.
The OS drops it when the process dies, even by SIGKILL, so a crashed run never blocks the next one.
"""

from __future__ import annotations

import fcntl
import json
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from schemas.errors import RunInProgress, WarehouseError


def lock_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".run.lock")


@contextmanager
def run_lock(db_path: Path, flow: str, wait_seconds: float = 0.0) -> Iterator[None]:
    path = lock_path(Path(db_path))
    if not path.parent.is_dir():
        raise WarehouseError(f"folder {path.parent} does not exist; create it or choose another warehouse path")
    handle = path.open("a+")
    deadline = time.monotonic() + wait_seconds
    try:
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise RunInProgress(
                        f"another Wirehouse run holds {db_path} ({_holder(path)}); it must finish first"
                    ) from None
                time.sleep(0.5)
        handle.seek(0)
        handle.truncate()
        handle.write(json.dumps({"pid": os.getpid(), "flow": flow, "since": datetime.now(UTC).isoformat()}))
        handle.flush()
        yield
    finally:
        handle.close()  # closing releases the lock


def check_free(db_path: Path) -> None:
    """Raise RunInProgress now if another run holds the warehouse (so a CLI user gets one clear line
    before any flow starts); the flow itself still takes the lock, which settles any race."""
    path = lock_path(Path(db_path))
    if not path.exists():
        return
    with path.open("a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise RunInProgress(
                f"another Wirehouse run holds {db_path} ({_holder(path)}); it must finish first"
            ) from None


def _holder(path: Path) -> str:
    try:
        info = json.loads(path.read_text() or "{}")
    except (OSError, ValueError):
        return "holder unknown"
    return f"{info.get('flow', '?')} run, pid {info.get('pid', '?')}, started {info.get('since', '?')}"
