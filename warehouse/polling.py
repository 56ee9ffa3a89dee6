"""What adaptive polling reads back: each nightly run's check (or skip) of a source, kept in the run report
(`runs.report`, its `polling` list), and how many articles a source has (a check's new ones are the difference)."""

from __future__ import annotations

from datetime import datetime

import duckdb

from schemas.report import SourceCheck

RUNS_READ = 90  # nightly runs looked at: far more than the checks a decision needs, however many nights skipped


def recent_checks(con: duckdb.DuckDBPyConnection, source: str, before: datetime, limit: int = 30) -> list[SourceCheck]:
    """The source's checks and skips by nightly runs before `before` (a run's `until`), newest first."""
    rows = con.execute(
        """
        WITH recent AS (
            SELECT report FROM runs WHERE flow = 'nightly' ORDER BY started_at DESC LIMIT ?
        ), entries AS (
            SELECT unnest(from_json(report->'polling', '["JSON"]')) AS e FROM recent
        )
        SELECT CAST(e->>'at' AS TIMESTAMPTZ) AS checked_at, CAST(e->>'checked' AS BOOLEAN),
               coalesce(CAST(e->>'new_articles' AS INTEGER), 0), coalesce(CAST(e->>'complete' AS BOOLEAN), true)
        FROM entries
        WHERE e->>'source' = ? AND e->>'at' IS NOT NULL AND CAST(e->>'at' AS TIMESTAMPTZ) < ?
        ORDER BY checked_at DESC LIMIT ?
        """,
        [RUNS_READ, source, before, limit],
    ).fetchall()
    return [SourceCheck(checked_at=at, checked=checked, new_articles=new, complete=complete)
            for at, checked, new, complete in rows]


def article_count(con: duckdb.DuckDBPyConnection, source: str) -> int:
    """Articles of `source` in the warehouse."""
    return int(con.execute("SELECT count(*) FROM articles WHERE source = ?", [source]).fetchall()[0][0])


def last_nightly_skips(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """(source, reason) of each source the newest nightly run left unchecked on purpose."""
    rows = con.execute(
        """
        WITH newest AS (SELECT report FROM runs WHERE flow = 'nightly' ORDER BY started_at DESC LIMIT 1)
        SELECT e->>'source', e->>'reason'
        FROM (SELECT unnest(from_json(report->'polling', '["JSON"]')) AS e FROM newest)
        WHERE e->>'checked' = 'false' ORDER BY 1
        """
    ).fetchall()
    return [(source, reason) for source, reason in rows]
