"""What the fetch stage needs to remember between runs: validators for conditional GETs, failures to retry."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import duckdb

from schemas import Validators


def latest_validators(con: duckdb.DuckDBPyConnection, urls: Sequence[str]) -> dict[str, Validators]:
    """ETag / Last-Modified of the newest stored 200 response of each URL that has either."""
    if not urls:
        return {}
    rows = con.execute(
        """
        SELECT url, headers->>'etag' AS etag, headers->>'last-modified' AS last_modified
        FROM raw_responses
        WHERE url IN (SELECT unnest(?::VARCHAR[])) AND status = 200
        QUALIFY row_number() OVER (PARTITION BY url ORDER BY fetched_at DESC) = 1
        """,
        [list(urls)],
    ).fetchall()
    return {
        url: Validators(etag=etag, last_modified=last_modified)
        for url, etag, last_modified in rows
        if etag or last_modified
    }


def failures_due(
    con: duckdb.DuckDBPyConnection, source: str, max_attempts: int, now: datetime, base_backoff_hours: float = 1.0
) -> list[str]:
    """Article URLs still failing, fewer than max_attempts tries, whose backoff (doubling per try) has passed."""
    rows = con.execute(
        """
        SELECT url FROM failures
        WHERE source = ? AND resolved_at IS NULL AND attempts < ? AND stage IN ('fetch', 'parse', 'normalize')
          AND last_failed_at + to_milliseconds(CAST(? * 3600000 * pow(2, attempts - 1) AS BIGINT)) <= ?
        GROUP BY url ORDER BY min(first_failed_at), url
        """,
        [source, max_attempts, base_backoff_hours, now],
    ).fetchall()
    return [row[0] for row in rows]


def unresolved_failure_urls(con: duckdb.DuckDBPyConnection, source: str) -> set[str]:
    """URLs with an open failure: fetched again unconditionally, since their stored version did not load."""
    rows = con.execute(
        "SELECT DISTINCT url FROM failures WHERE source = ? AND resolved_at IS NULL", [source]
    ).fetchall()
    return {row[0] for row in rows}
