"""Forward-only schema migrations: warehouse/migrations/NNN_name.sql, applied in order, each in a transaction.

A migration that needs Python (SQL cannot sanitize HTML) names a step in PYTHON_STEPS: it runs after the
file's SQL, in the same transaction, so the version is recorded only when both succeed.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from schemas.errors import WarehouseError
from warehouse.resanitize import resanitize_stored_html

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
_FILE_NAME = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")
PYTHON_STEPS: dict[str, Callable[[duckdb.DuckDBPyConnection], object]] = {
    "009_resanitize_html.sql": resanitize_stored_html,
}


@dataclass(frozen=True)
class Migration:
    version: int
    path: Path


def available_migrations(directory: Path = MIGRATIONS_DIR) -> list[Migration]:
    """Migration files in version order; gaps or duplicate numbers are a packaging bug, so refuse them."""
    found = sorted(
        (Migration(int(m.group(1)), path) for path in directory.iterdir() if (m := _FILE_NAME.match(path.name))),
        key=lambda migration: migration.version,
    )
    expected = list(range(1, len(found) + 1))
    if [migration.version for migration in found] != expected:
        names = ", ".join(migration.path.name for migration in found)
        raise WarehouseError(f"migrations must be numbered 001, 002, … without gaps; found: {names}")
    return found


def current_version(con: duckdb.DuckDBPyConnection) -> int:
    """Applied schema version; 0 for a file that was never migrated."""
    try:
        row = con.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchall()[0]
    except duckdb.CatalogException:
        return 0
    return int(row[0])


def migrate(con: duckdb.DuckDBPyConnection, directory: Path = MIGRATIONS_DIR) -> int:
    """Apply the migrations not yet applied and return the resulting version.

    When the file is up to date this costs one query, so opening a writer stays cheap.
    """
    version = current_version(con)
    migrations = available_migrations(directory)
    latest = migrations[-1].version if migrations else 0
    if version == latest:
        return version
    if version > latest:
        raise WarehouseError(
            f"warehouse schema version {version} is newer than this Wirehouse understands ({latest}); upgrade it"
        )
    for migration in migrations[version:]:
        _apply(con, migration)
        version = migration.version
    return version


def _apply(con: duckdb.DuckDBPyConnection, migration: Migration) -> None:
    log.info("applying warehouse migration %s", migration.path.name)
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(migration.path.read_text(encoding="utf-8"))
        if (step := PYTHON_STEPS.get(migration.path.name)) is not None:
            step(con)
        con.execute(
            "INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, now())",
            [migration.version, migration.path.name],
        )
        con.execute("COMMIT")
    except Exception as exc:
        con.execute("ROLLBACK")
        raise WarehouseError(f"migration {migration.path.name} failed: {exc}") from exc
