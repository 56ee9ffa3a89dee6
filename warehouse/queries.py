"""Small reads and writes the flows and the CLI need, besides batch loads (see load.py)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import duckdb
import pyarrow as pa

from schemas.errors import WarehouseError
from schemas.report import RunReport
from schemas.rows import StoredArticleFacts
from schemas.source import Source
from schemas.verdict import StoredThread

RUN_COUNT_FIELDS = (
    "discovered", "fetched", "parsed", "articles_written", "comments_written", "authors_written", "failed",
)
# Statement types run_readonly_sql lets through; everything else could change the file or the session.
_READONLY_STATEMENTS = {duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN}
_SOURCE_SCHEMA = pa.schema([
    ("name", pa.string()), ("kind", pa.string()), ("base_url", pa.string()), ("enabled", pa.bool_()),
    ("config", pa.string()),
])


def upsert_sources(con: duckdb.DuckDBPyConnection, sources: list[Source]) -> None:
    """Insert new sources and update changed declarations; watermarks are kept, absent sources left alone."""
    table = pa.table(
        {
            "name": [s.name for s in sources],
            "kind": [s.kind for s in sources],
            "base_url": [str(s.base_url) for s in sources],
            "enabled": [s.enabled for s in sources],
            "config": [s.model_dump_json() for s in sources],
        },
        schema=_SOURCE_SCHEMA,
    )
    con.register("_batch_sources", table)
    try:
        con.execute("""
            INSERT INTO sources (name, kind, base_url, enabled, config, watermark, updated_at)
            SELECT name, kind, base_url, enabled, CAST(config AS JSON), NULL, now() FROM _batch_sources
            ON CONFLICT (name) DO UPDATE SET
                kind = excluded.kind,
                base_url = excluded.base_url,
                enabled = excluded.enabled,
                config = excluded.config,
                updated_at = excluded.updated_at
            WHERE sources.kind IS DISTINCT FROM excluded.kind
               OR sources.base_url IS DISTINCT FROM excluded.base_url
               OR sources.enabled IS DISTINCT FROM excluded.enabled
               OR CAST(sources.config AS VARCHAR) IS DISTINCT FROM CAST(excluded.config AS VARCHAR)
        """)
    finally:
        con.unregister("_batch_sources")


def require_source(con: duckdb.DuckDBPyConnection, name: str) -> None:
    """Raise WarehouseError when the warehouse knows no source of this name (a typo would find nothing, silently).

    Known: declared by a run (`sources`), or holding articles or health rows (warehouses loaded by other means).
    """
    if con.execute("SELECT 1 FROM sources WHERE name = ?", [name]).fetchone() is not None:
        return
    tables = {row[0] for row in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    selects = ["SELECT name FROM sources", "SELECT DISTINCT source FROM articles"]
    if "source_health" in tables:
        selects.append("SELECT DISTINCT source FROM source_health")
    known = sorted(row[0] for row in con.execute(" UNION ".join(selects)).fetchall())
    if name not in known:
        raise WarehouseError(f"unknown source {name!r}: this warehouse holds "
                             + (", ".join(known) if known else "no sources yet"))


def get_watermark(con: duckdb.DuckDBPyConnection, source: str) -> datetime | None:
    rows = con.execute("SELECT watermark FROM sources WHERE name = ?", [source]).fetchall()
    return rows[0][0] if rows else None


def advance_watermark(con: duckdb.DuckDBPyConnection, source: str, value: datetime) -> None:
    """Move the source's watermark to value, never backwards (a late, older batch must not rewind it)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    exists = con.execute("SELECT count(*) FROM sources WHERE name = ?", [source]).fetchall()[0][0]
    if not exists:
        raise WarehouseError(f"unknown source {source!r}: call upsert_sources before advancing its watermark")
    con.execute(
        "UPDATE sources SET watermark = ? WHERE name = ? AND (watermark IS NULL OR watermark < ?)",
        [value, source, value],
    )


def alias_map(con: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    """alias -> author_ids it stands for, in position order."""
    rows = con.execute("""
        SELECT alias, list(author_id ORDER BY position, author_id)
        FROM author_aliases GROUP BY alias ORDER BY alias
    """).fetchall()
    return {alias: list(author_ids) for alias, author_ids in rows}


def stored_article_facts(con: duckdb.DuckDBPyConnection, article_ids: list[str]) -> dict[str, StoredArticleFacts]:
    """What is stored about each of `article_ids` that is stored at all, in one query: for checks a batch makes
    before it loads (is the new title the same article's, did the body shrink, which channel wrote it)."""
    if not article_ids:
        return {}
    result = con.execute(
        """
        SELECT article_id, post_id, url, title, word_count, content_hash, published_at, modified_at, parser,
               field_channels.body AS channel, field_channels
        FROM articles WHERE article_id IN ?
        """,
        [list(article_ids)],
    )
    columns = [d[0] for d in result.description]
    facts = [StoredArticleFacts(**dict(zip(columns, row, strict=True))) for row in result.fetchall()]
    return {fact.article_id: fact for fact in facts}


def author_bios(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """author_id -> bio, for authors with a non-empty bio."""
    rows = con.execute("SELECT author_id, bio FROM authors WHERE coalesce(bio, '') <> '' ORDER BY author_id")
    return dict(rows.fetchall())


def record_run(con: duckdb.DuckDBPyConnection, report: RunReport) -> None:
    """Insert the runs row for report.run_id, or overwrite it with the report's current state."""
    counts_sql = ", ".join(f"{name} := ?" for name in RUN_COUNT_FIELDS)
    con.execute(
        f"""
        INSERT INTO runs (run_id, flow, started_at, finished_at, status, sources, window_start, window_end,
                          counts, report)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, struct_pack({counts_sql}), CAST(? AS JSON))
        ON CONFLICT (run_id) DO UPDATE SET
            flow = excluded.flow,
            started_at = excluded.started_at,
            finished_at = excluded.finished_at,
            status = excluded.status,
            sources = excluded.sources,
            window_start = excluded.window_start,
            window_end = excluded.window_end,
            counts = excluded.counts,
            report = excluded.report
        """,
        [
            report.run_id, report.flow, report.started_at, report.finished_at, report.status,
            list(report.sources), report.window_start, report.window_end,
            *(getattr(report, name) for name in RUN_COUNT_FIELDS),
            report.model_dump_json(),
        ],
    )


def table_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Row count of every base table except schema_version and the search index's, by table name."""
    names = [
        row[0]
        for row in con.execute("""
            SELECT table_name FROM duckdb_tables()
            WHERE database_name = current_database() AND schema_name = 'main' AND NOT temporary
              AND table_name <> 'schema_version' AND table_name NOT LIKE 'search\\_%' ESCAPE '\\'
            ORDER BY table_name
        """).fetchall()
    ]
    if not names:
        return {}
    union = " UNION ALL ".join(f"SELECT ? AS name, count(*) FROM {_quote(name)}" for name in names)
    return {name: int(count) for name, count in con.execute(union, names).fetchall()}


def recent_runs(con: duckdb.DuckDBPyConnection, limit: int = 10) -> list[dict[str, Any]]:
    """Newest runs first; each dict has the runs columns (no report) with the counts flattened in."""
    counts_sql = ", ".join(f"counts.{name} AS {name}" for name in RUN_COUNT_FIELDS)
    result = con.execute(
        f"""
        SELECT run_id, flow, started_at, finished_at, status, sources, window_start, window_end, {counts_sql}
        FROM runs ORDER BY started_at DESC, run_id LIMIT ?
        """,
        [limit],
    )
    columns = [d[0] for d in result.description]
    return [dict(zip(columns, row, strict=True)) for row in result.fetchall()]


def run_readonly_sql(con: duckdb.DuckDBPyConnection, query: str) -> tuple[list[str], list[tuple]]:
    """Run one analyst query (SELECT, FROM …, DESCRIBE, SUMMARIZE, EXPLAIN) and return (columns, rows)."""
    _check_readonly(con, query)
    try:
        result = con.execute(query)
        columns = [d[0] for d in result.description]
        return columns, result.fetchall()
    except duckdb.Error as exc:
        raise WarehouseError(_one_line(exc)) from exc


def run_readonly_sql_arrow(con: duckdb.DuckDBPyConnection, query: str) -> pa.Table:
    """run_readonly_sql with the result as an arrow table, types kept (for Parquet output)."""
    _check_readonly(con, query)
    try:
        return con.sql(query).to_arrow_table()
    except duckdb.Error as exc:
        raise WarehouseError(_one_line(exc)) from exc


def _check_readonly(con: duckdb.DuckDBPyConnection, query: str) -> None:
    try:
        statements = con.extract_statements(query)
    except duckdb.Error as exc:
        raise WarehouseError(_one_line(exc)) from exc
    if len(statements) != 1:
        raise WarehouseError(f"expected exactly one SQL statement, got {len(statements)}")
    if statements[0].type not in _READONLY_STATEMENTS:
        raise WarehouseError(f"only read-only queries are allowed here, not {statements[0].type.name}")


def iter_raw_responses(
    con: duckdb.DuckDBPyConnection, source: str | None = None, batch_size: int = 500
) -> Iterator[list[dict[str, Any]]]:
    """Stored responses oldest first, in lists of up to batch_size dicts (RawResponse fields plus
    response_id, source, body_sha256, run_id; RawResponse(**d) accepts them).

    Pages by key rather than holding a cursor open, so the caller may write to the same connection
    (e.g. re-parse and load) between batches.
    """
    last: tuple[datetime, str] | None = None
    while True:
        conditions: list[str] = []
        params: list[Any] = []
        if source is not None:
            conditions.append("source = ?")
            params.append(source)
        if last is not None:
            conditions.append("(fetched_at > ? OR (fetched_at = ? AND response_id > ?))")
            params += [last[0], last[0], last[1]]
        where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
        result = con.execute(
            f"""
            SELECT response_id, source, url, final_url, status, CAST(headers AS VARCHAR) AS headers, body,
                   body_sha256, fetched_at, elapsed_ms, role, run_id
            FROM raw_responses {where}
            ORDER BY fetched_at, response_id LIMIT ?
            """,
            [*params, batch_size],
        )
        columns = [d[0] for d in result.description]
        rows = [dict(zip(columns, row, strict=True)) for row in result.fetchall()]
        if not rows:
            return
        for row in rows:
            row["headers"] = json.loads(row["headers"])
            row["body"] = bytes(row["body"])
        yield rows
        last = (rows[-1]["fetched_at"], rows[-1]["response_id"])


def open_failures(con: duckdb.DuckDBPyConnection, source: str, max_attempts: int) -> list[str]:
    """URLs of the source still failing after fewer than max_attempts tries, oldest failure first.

    Discover failures are left out: their URLs are listings and feeds, not articles to retry.
    """
    rows = con.execute(
        """
        SELECT url FROM failures
        WHERE source = ? AND resolved_at IS NULL AND attempts < ? AND stage NOT IN ('discover', 'refresh')
        GROUP BY url ORDER BY min(first_failed_at), url
        """,
        [source, max_attempts],
    ).fetchall()
    return [row[0] for row in rows]


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).split())


def author_display_names(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """author_id -> display name, so an alias seen alone still shows the person's name."""
    return dict(con.execute("SELECT author_id, display_name FROM authors").fetchall())


def completed_chunks(con: duckdb.DuckDBPyConnection, source: str) -> set[tuple[datetime, datetime]]:
    """The source's backfill chunks that are done; open ones (pending targets) are read again."""
    rows = con.execute(
        "SELECT window_start, window_end FROM backfill_chunks WHERE source = ? AND status = 'done'", [source]
    ).fetchall()
    return {(start, end) for start, end in rows}


def record_chunk(
    con: duckdb.DuckDBPyConnection, source: str, start: datetime, end: datetime, run_id: str, *,
    discovery_complete: bool = True, loaded: int = 0, failed_permanent: int = 0, pending: int = 0,
) -> None:
    """The outcome of one read of a backfill chunk: done when its listings were read whole and nothing is pending."""
    done = discovery_complete and pending == 0
    con.execute(
        """
        INSERT INTO backfill_chunks (source, window_start, window_end, completed_at, run_id, status,
                                     discovery_complete, loaded, failed_permanent, pending, updated_at)
        VALUES (?, ?, ?, CASE WHEN ? THEN now() END, ?, CASE WHEN ? THEN 'done' ELSE 'open' END, ?, ?, ?, ?, now())
        ON CONFLICT (source, window_start, window_end) DO UPDATE SET
            completed_at = excluded.completed_at, run_id = excluded.run_id, status = excluded.status,
            discovery_complete = excluded.discovery_complete, loaded = excluded.loaded,
            failed_permanent = excluded.failed_permanent, pending = excluded.pending, updated_at = excluded.updated_at
        """,
        [source, start, end, done, run_id, done, discovery_complete, loaded, failed_permanent, pending],
    )


def mark_chunk_done(
    con: duckdb.DuckDBPyConnection, source: str, start: datetime, end: datetime, run_id: str
) -> None:
    record_chunk(con, source, start, end, run_id)


def open_chunks(con: duckdb.DuckDBPyConnection, limit: int = 20) -> list[dict[str, Any]]:
    """Backfill chunks still open (pending targets or listings not read whole), oldest first; [] on a file a
    writer has not yet brought to version 10."""
    if not con.execute(
        "SELECT 1 FROM information_schema.columns WHERE table_name = 'backfill_chunks' AND column_name = 'status'"
    ).fetchall():
        return []
    result = con.execute(
        """
        SELECT source, window_start, window_end, loaded, failed_permanent, pending, discovery_complete, updated_at
        FROM backfill_chunks WHERE status = 'open'
        ORDER BY source, window_start
        LIMIT ?
        """,
        [limit],
    )
    columns = [d[0] for d in result.description]
    return [dict(zip(columns, row, strict=True)) for row in result.fetchall()]


def latest_articles(con: duckdb.DuckDBPyConnection, limit: int = 10) -> list[dict[str, Any]]:
    """Newest articles with their byline and loaded comment count."""
    result = con.execute(
        """
        SELECT a.source, a.published_at, a.title, b.byline AS authors, a.word_count,
               (SELECT count(*) FROM comments AS c WHERE c.article_id = a.article_id) AS comments
        FROM articles AS a
        LEFT JOIN article_bylines AS b USING (article_id)
        ORDER BY a.published_at DESC NULLS LAST, a.article_id
        LIMIT ?
        """,
        [limit],
    )
    columns = [d[0] for d in result.description]
    return [dict(zip(columns, row, strict=True)) for row in result.fetchall()]


def article_thread(con: duckdb.DuckDBPyConnection, url: str) -> list[dict[str, Any]]:
    """The comment thread of the article at `url`, in page order (parents before their replies)."""
    result = con.execute(
        """
        SELECT t.comment_id, t.parent_id, t.depth, t.path, t.author_name, t.posted_at, t.text
        FROM comment_threads AS t
        JOIN articles AS a ON a.article_id = t.article_id
        WHERE a.url = ?
        ORDER BY t.path
        """,
        [url],
    )
    columns = [d[0] for d in result.description]
    return [dict(zip(columns, row, strict=True)) for row in result.fetchall()]


def stored_threads(con: duckdb.DuckDBPyConnection, article_ids: list[str]) -> dict[str, StoredThread]:
    """How many comments each of `article_ids` shows in the warehouse (not marked deleted), for the plausibility
    gate: a new read that loses most of them is suspect. Articles without stored comments are left out."""
    if not article_ids:
        return {}
    rows = con.execute(
        """
        SELECT article_id, count(*) FROM comments
        WHERE article_id IN ? AND deleted_at IS NULL GROUP BY article_id
        """,
        [list(article_ids)],
    ).fetchall()
    return {article_id: StoredThread(article_id=article_id, live_comments=count) for article_id, count in rows}
