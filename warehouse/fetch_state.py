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


def validators_stored_before(
    con: duckdb.DuckDBPyConnection, source: str, roles: Sequence[str], before: datetime
) -> dict[str, Validators]:
    """ETag / Last-Modified of each URL of `source` and these roles whose newest stored 200 response was first
    fetched before `before` (an unchanged body is stored once, with the time it was first seen)."""
    rows = con.execute(
        """
        SELECT url, etag, last_modified FROM (
            SELECT url, headers->>'etag' AS etag, headers->>'last-modified' AS last_modified, fetched_at
            FROM raw_responses
            WHERE source = ? AND role IN (SELECT unnest(?::VARCHAR[])) AND status = 200
            QUALIFY row_number() OVER (PARTITION BY url ORDER BY fetched_at DESC) = 1
        )
        WHERE fetched_at < ? AND (etag IS NOT NULL OR last_modified IS NOT NULL)
        """,
        [source, list(roles), before],
    ).fetchall()
    return {url: Validators(etag=etag, last_modified=last_modified) for url, etag, last_modified in rows}


def fetched_or_failed(con: duckdb.DuckDBPyConnection, source: str, urls: Sequence[str]) -> set[str]:
    """Those of `urls` that `source` has fetched as an article page, or has a failure recorded for."""
    if not urls:
        return set()
    rows = con.execute(
        """
        SELECT url FROM raw_responses
        WHERE source = ? AND role = 'article' AND url IN (SELECT unnest(?::VARCHAR[]))
        UNION
        SELECT url FROM failures WHERE source = ? AND url IN (SELECT unnest(?::VARCHAR[]))
        """,
        [source, list(urls), source, list(urls)],
    ).fetchall()
    return {row[0] for row in rows}


def failures_due(
    con: duckdb.DuckDBPyConnection, source: str, max_attempts: int, now: datetime, base_backoff_hours: float = 1.0
) -> list[str]:
    """Article URLs still failing, fewer than max_attempts tries, whose backoff (doubling per try) has passed."""
    rows = con.execute(
        """
        SELECT url FROM failures
        WHERE source = ? AND resolved_at IS NULL AND attempts < ? AND stage IN ('fetch', 'parse', 'normalize', 'verify')
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
