"""Every line of SQL about source health: the `source_health` rows and their `source_health_baseline`."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import duckdb
import pyarrow as pa

from schemas.health import (
    ChannelTally,
    HealthBaseline,
    HealthReason,
    HealthStatus,
    SelectorTally,
    SourceHealth,
    SourceHealthFigures,
)

_COUNTS = pa.map_(pa.string(), pa.int32())
_SELECTOR = pa.struct([("field", pa.string()), ("selector", pa.string()), ("pages", pa.int32()),
                       ("matched", pa.int32())])
_CHANNEL = pa.struct([("url", pa.string()), ("role", pa.string()), ("requests", pa.int32()),
                      ("failures", pa.int32()), ("status", pa.int32()), ("reason", pa.string())])
_INTEGER_COLUMNS = (
    "discovered", "retried", "attempted", "fetched", "not_modified", "failed", "failed_permanent", "failed_transient",
    "articles", "generic_fallback", "empty_bodies", "implausible_bodies", "bodies_checked", "no_author", "no_date",
    "threads_advertised", "threads_advertised_empty", "comments_advertised", "comments_found", "requests",
)
_FIGURE_COLUMNS = (
    "run_id", "source", "flow", "started_at", "finished_at", "window_days", *_INTEGER_COLUMNS,
    "failures_by_reason", "articles_by_parser", "latency_median_ms", "latency_p95_ms", "status_mix", "selectors",
    "channels",
)
_SCHEMA = pa.schema([
    ("run_id", pa.string()), ("source", pa.string()), ("flow", pa.string()),
    ("started_at", pa.timestamp("us", tz="UTC")), ("finished_at", pa.timestamp("us", tz="UTC")),
    ("window_days", pa.float64()), *((name, pa.int32()) for name in _INTEGER_COLUMNS),
    ("failures_by_reason", _COUNTS), ("articles_by_parser", _COUNTS), ("latency_median_ms", pa.float64()),
    ("latency_p95_ms", pa.float64()), ("status_mix", _COUNTS), ("selectors", pa.list_(_SELECTOR)),
    ("channels", pa.list_(_CHANNEL)),
])
_BASELINE_COLUMNS = (
    "baseline_runs", "discovered_per_day", "min_ok_discovered_per_day", "weekday_runs",
    "weekday_discovered_per_day", "failure_share", "empty_share",
    "implausible_share", "no_author_share", "no_date_share", "advertised_empty_share", "latency_p95_ms",
)


@contextlib.contextmanager
def health_transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Store a run's figures, read its baseline and store its status in one transaction: no reader ever sees a
    row without its status."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield
        con.execute("COMMIT")
    except BaseException:
        with contextlib.suppress(duckdb.Error):
            con.execute("ROLLBACK")
        raise


def store_figures(con: duckdb.DuckDBPyConnection, figures: SourceHealthFigures) -> None:
    """Insert the run's row for the source, replacing one a retried task stored before (status cleared)."""
    row = figures.model_dump(include=set(_FIGURE_COLUMNS))
    for name in ("failures_by_reason", "articles_by_parser", "status_mix"):
        row[name] = list(row[name].items())
    table = pa.Table.from_pylist([row], schema=_SCHEMA)
    con.register("_health_row", table)
    try:
        con.execute("DELETE FROM source_health WHERE run_id = ? AND source = ?", [figures.run_id, figures.source])
        columns = ", ".join(_FIGURE_COLUMNS)
        con.execute(f"""
            INSERT INTO source_health ({columns}, requests_per_article)
            SELECT {columns}, requests / nullif(articles, 0) FROM _health_row
        """)
    finally:
        con.unregister("_health_row")


def store_assessment(con: duckdb.DuckDBPyConnection, health: SourceHealth) -> None:
    reasons = [
        {"code": r.code, "subject": r.subject, "severity": r.severity.value, "message": r.message,
         "since": r.since, "figure": r.figure}
        for r in health.reasons
    ]
    con.execute(
        "UPDATE source_health SET status = ?, reasons = ?, alert = ? WHERE run_id = ? AND source = ?",
        [health.status.value, reasons, health.alert, health.figures.run_id, health.figures.source],
    )


def baseline_for(con: duckdb.DuckDBPyConnection, run_id: str, source: str) -> HealthBaseline:
    columns = ", ".join(_BASELINE_COLUMNS)
    rows = con.execute(
        f"SELECT {columns} FROM source_health_baseline WHERE run_id = ? AND source = ?", [run_id, source]
    ).fetchall()
    return _baseline(dict(zip(_BASELINE_COLUMNS, rows[0], strict=True))) if rows else HealthBaseline()


def history(
    con: duckdb.DuckDBPyConnection, source: str, flow: str, before: datetime, limit: int = 90
) -> list[SourceHealth]:
    """The source's assessed runs of `flow` that started before `before`, newest first."""
    return _read(con, "source = ? AND flow = ? AND started_at < ? AND status IS NOT NULL",
                 [source, flow, before], f"started_at DESC LIMIT {int(limit)}")


def recent(
    con: duckdb.DuckDBPyConnection, since: datetime, source: str | None = None
) -> list[tuple[SourceHealth, HealthBaseline]]:
    """Assessed runs that started at or after `since` (of one source, or all), each with its baseline, oldest
    first."""
    columns = ", ".join(f"b.{name} AS base_{name}" for name in _BASELINE_COLUMNS)
    where = "h.started_at >= ? AND h.status IS NOT NULL" + (" AND h.source = ?" if source else "")
    params: list[Any] = [since, *([source] if source else [])]
    result = con.execute(f"""
        SELECT h.*, {columns} FROM source_health AS h
        JOIN source_health_baseline AS b USING (run_id, source)
        WHERE {where} ORDER BY h.source, h.flow, h.started_at
    """, params)
    names = [d[0] for d in result.description]
    rows = [dict(zip(names, values, strict=True)) for values in result.fetchall()]
    return [(_health(row), _baseline({name: row[f"base_{name}"] for name in _BASELINE_COLUMNS})) for row in rows]


def last_ok_runs(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], tuple[str, datetime]]:
    """(source, flow) -> (run_id, started_at) of its newest ok run."""
    rows = con.execute("""
        SELECT source, flow, arg_max(run_id, started_at), max(started_at)
        FROM source_health WHERE status = 'ok' GROUP BY source, flow
    """).fetchall()
    return {(source, flow): (run_id, at) for source, flow, run_id, at in rows}


def latest(con: duckdb.DuckDBPyConnection) -> list[SourceHealth]:
    """The newest assessed run of each source and flow: broken first, then degraded, then ok."""
    return _read(con, """status IS NOT NULL AND (source, flow, started_at) IN (
                             SELECT (source, flow, max(started_at)) FROM source_health
                             WHERE status IS NOT NULL GROUP BY source, flow)""", [],
                 "CASE status WHEN 'broken' THEN 0 WHEN 'degraded' THEN 1 ELSE 2 END, source, flow")


def newest_run_at(con: duckdb.DuckDBPyConnection, source: str | None = None) -> datetime | None:
    """Start of the newest assessed run (of one source, or of any)."""
    where = "status IS NOT NULL" + (" AND source = ?" if source else "")
    return con.execute(f"SELECT max(started_at) FROM source_health WHERE {where}",
                       [source] if source else []).fetchall()[0][0]


def has_health_table(con: duckdb.DuckDBPyConnection) -> bool:
    """False for a warehouse written before schema version 7 (readers do not migrate)."""
    return bool(con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'source_health'").fetchall()[0][0])


def _read(con: duckdb.DuckDBPyConnection, where: str, params: list[Any], order: str) -> list[SourceHealth]:
    result = con.execute(f"SELECT * FROM source_health WHERE {where} ORDER BY {order}", params)
    names = [d[0] for d in result.description]
    return [_health(dict(zip(names, values, strict=True))) for values in result.fetchall()]


def _health(row: dict[str, Any]) -> SourceHealth:
    figures = {name: row[name] for name in _FIGURE_COLUMNS}
    figures["selectors"] = [SelectorTally(**s) for s in row["selectors"]]
    figures["channels"] = [ChannelTally(**c) for c in row["channels"]]
    reasons = [HealthReason(**{**r, "severity": HealthStatus(r["severity"])}) for r in row["reasons"] or []]
    return SourceHealth(
        figures=SourceHealthFigures(**figures),
        status=HealthStatus(row["status"]) if row["status"] else HealthStatus.OK,
        reasons=reasons,
        alert=row["alert"],
    )


def _baseline(values: dict[str, Any]) -> HealthBaseline:
    return HealthBaseline(runs=int(values.pop("baseline_runs") or 0), weekday_runs=int(values.pop("weekday_runs") or 0),
                          **values)
