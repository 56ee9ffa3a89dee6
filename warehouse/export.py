"""Parquet export for other engines: hive-partitioned by source/year/month, rewritten only where it changed.

Layout under the export folder:

    articles/source=S/year=Y/month=M/data_0.parquet           by publication month (first load if undated)
    comments/source=S/year=Y/month=M/data_0.parquet           by posting month, source of the article
    article_versions/source=S/year=Y/month=M/data_0.parquet   in the partition of their article
    authors.parquet, author_aliases.parquet, article_authors.parquet, sources.parquet, runs.parquet,
    failures.parquet                                           small tables, one file each
    _wirehouse_export.json                                     fingerprint of every partition written

A partition's fingerprint is its row count and an order-independent hash of its rows' keys and update
times; a partition is rewritten only when that changed, and removed when it has no rows any more. Every
partition is written to a staging folder first and moved into place, so readers never see half a file.
Raw responses (page bodies) and the search index are not exported.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa

from schemas.errors import WarehouseError

MANIFEST = "_wirehouse_export.json"
_MANIFEST_VERSION = 1
_PARTITION_SCHEMA = pa.schema([("source", pa.string()), ("year", pa.int64()), ("month", pa.int64())])


@dataclass(frozen=True)
class PartitionedTable:
    name: str
    select: str  # every column to export plus source, year and month; the partition columns go to the path
    fingerprint: str  # per-row expression whose XOR over a partition changes when any row changes
    order_by: str


def _month(ts: str) -> str:
    return f"year(timezone('UTC', {ts})) AS year, month(timezone('UTC', {ts})) AS month"


PARTITIONED = [
    PartitionedTable(
        "articles",
        f"SELECT a.*, {_month('coalesce(a.published_at, a.first_seen_at)')} FROM articles AS a",
        "hash(article_id, updated_at)",
        "published_at, article_id",
    ),
    PartitionedTable(
        "comments",
        f"SELECT c.*, a.source, {_month('coalesce(c.posted_at, c.first_seen_at)')} "
        "FROM comments AS c JOIN articles AS a ON a.article_id = c.article_id",
        "hash(comment_id, updated_at)",
        "article_id, posted_at, comment_id",
    ),
    PartitionedTable(
        "article_versions",
        f"SELECT v.*, a.source, {_month('coalesce(a.published_at, a.first_seen_at)')} "
        "FROM article_versions AS v JOIN articles AS a ON a.article_id = v.article_id",
        "hash(article_id, version)",
        "article_id, version",
    ),
]
WHOLE = ["authors", "author_aliases", "article_authors", "sources", "runs", "failures"]


@dataclass
class TableExport:
    written: list[str] = field(default_factory=list)  # partitions (or the file) rewritten
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)
    rows_written: int = 0


def export(con: duckdb.DuckDBPyConnection, target: Path, full: bool = False) -> dict[str, TableExport]:
    """Export the warehouse into `target`; only what changed since the last export there, unless `full`.

    A read-only connection is enough.
    """
    target = Path(target)
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WarehouseError(f"cannot create export folder {target}: {exc}") from exc
    manifest = {} if full else _read_manifest(target)
    if full:
        for table in PARTITIONED:
            shutil.rmtree(target / table.name, ignore_errors=True)
    result: dict[str, TableExport] = {}
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=target))
    try:
        for table in PARTITIONED:
            result[table.name], manifest[table.name] = _export_partitioned(
                con, table, target, staging, manifest.get(table.name, {}))
        for name in WHOLE:
            result[name], manifest[name] = _export_whole(con, name, target, staging, manifest.get(name, {}))
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        # Written after the files, so a crash in between only costs a rewrite next time.
        _write_manifest(target, manifest)
    return result


def _export_partitioned(
    con: duckdb.DuckDBPyConnection, table: PartitionedTable, target: Path, staging: Path, known: dict[str, str]
) -> tuple[TableExport, dict[str, str]]:
    current = {
        f"source={source}/year={year}/month={month}": f"{rows}:{fp}"
        for source, year, month, rows, fp in con.execute(f"""
            SELECT source, year, month, count(*), bit_xor({table.fingerprint})
            FROM ({table.select}) GROUP BY source, year, month
        """).fetchall()
    }
    outcome = TableExport()
    changed = [key for key, fp in current.items() if known.get(key) != fp or not (target / table.name / key).is_dir()]
    outcome.unchanged = len(current) - len(changed)
    if changed:
        keys = [dict(part.split("=", 1) for part in key.split("/")) for key in changed]
        con.register("_export_partitions", pa.table({
            "source": [k["source"] for k in keys],
            "year": [int(k["year"]) for k in keys],
            "month": [int(k["month"]) for k in keys],
        }, schema=_PARTITION_SCHEMA))
        try:
            outcome.rows_written = int(con.execute(f"""
                COPY (
                    SELECT * FROM ({table.select}) AS t
                    WHERE (t.source, t.year, t.month) IN (SELECT (source, year, month) FROM _export_partitions)
                    ORDER BY {table.order_by}
                ) TO '{_sql_path(staging / table.name)}'
                (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (source, year, month))
            """).fetchall()[0][0])
        finally:
            con.unregister("_export_partitions")
        for key in changed:
            _replace_dir(staging / table.name / key, target / table.name / key)
        outcome.written = changed
    for key in sorted(set(known) - set(current)):
        shutil.rmtree(target / table.name / key, ignore_errors=True)
        outcome.removed.append(key)
    _prune_empty_dirs(target / table.name)
    return outcome, current


def _export_whole(
    con: duckdb.DuckDBPyConnection, name: str, target: Path, staging: Path, known: dict[str, str]
) -> tuple[TableExport, dict[str, str]]:
    rows, fp = con.execute(f"SELECT count(*), bit_xor(hash(t)) FROM {name} AS t").fetchall()[0]
    current = {"": f"{rows}:{fp}"}
    path = target / f"{name}.parquet"
    outcome = TableExport()
    if known == current and path.is_file():
        outcome.unchanged = 1
        return outcome, current
    staged = staging / f"{name}.parquet"
    # JSON columns go out as plain strings: Parquet readers other than DuckDB see JSON as opaque binary.
    json_columns = [row[0] for row in con.execute(
        "SELECT column_name FROM duckdb_columns() WHERE table_name = ? AND data_type = 'JSON'", [name]
    ).fetchall()]
    replace = f" REPLACE ({', '.join(f'CAST({c} AS VARCHAR) AS {c}' for c in json_columns)})" if json_columns else ""
    outcome.rows_written = int(con.execute(
        f"COPY (SELECT *{replace} FROM {name} ORDER BY ALL) TO '{_sql_path(staged)}' (FORMAT parquet, COMPRESSION zstd)"
    ).fetchall()[0][0])
    os.replace(staged, path)
    outcome.written = [path.name]
    return outcome, current


def _replace_dir(staged: Path, final: Path) -> None:
    final.parent.mkdir(parents=True, exist_ok=True)
    if final.exists():
        old = final.with_name(final.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        final.rename(old)
        staged.rename(final)
        shutil.rmtree(old, ignore_errors=True)
    else:
        staged.rename(final)


def _prune_empty_dirs(root: Path) -> None:
    if not root.is_dir():
        return
    for path in sorted((p for p in root.rglob("*") if p.is_dir()), key=lambda p: len(p.parts), reverse=True):
        if not any(path.iterdir()):
            path.rmdir()


def _read_manifest(target: Path) -> dict[str, dict[str, str]]:
    path = target / MANIFEST
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}  # an unreadable manifest only means everything is written again
    if data.get("version") != _MANIFEST_VERSION:
        return {}
    return dict(data.get("tables", {}))


def _write_manifest(target: Path, tables: dict[str, dict[str, str]]) -> None:
    path = target / MANIFEST
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps({"version": _MANIFEST_VERSION, "tables": tables}, indent=1, sort_keys=True),
                         encoding="utf-8")
    os.replace(temporary, path)


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")
