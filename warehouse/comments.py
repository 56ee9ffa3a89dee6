"""Comment threads without their articles: which threads a refresh reads again, and loading what it read.

A refreshed thread goes through the same comment steps as an ingest batch (warehouse.comment_steps):
new comments added, edited ones updated with edited_at and their earlier text kept, a complete read marking
what it no longer shows as deleted, a deleted comment that is shown again brought back.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import duckdb

from schemas.pipeline import RawResponse, ThreadTarget
from schemas.report import FailureRecord
from schemas.rows import CommentThreadRows
from warehouse.batch import LoadCounts, batch_transaction
from warehouse.batch_tables import build_batch_tables
from warehouse.comment_steps import run_comment_steps
from warehouse.load import insert_raw_responses, record_failures


def threads_to_refresh(con: duckdb.DuckDBPyConnection, source: str, since: datetime) -> list[ThreadTarget]:
    """Articles of `source` published since `since` (first loaded since then, when the date is unknown),
    newest first, with how their threads were read last."""
    rows = con.execute(
        """
        SELECT a.article_id, a.source, a.url, a.post_id, a.comment_count_hint,
               coalesce(s.system, ''), coalesce(s.fetched, TRUE), coalesce(s.thread_ref, '')
        FROM articles AS a
        LEFT JOIN comment_sections AS s ON s.article_id = a.article_id
        WHERE a.source = ? AND coalesce(a.published_at, a.first_seen_at) >= ?
        ORDER BY coalesce(a.published_at, a.first_seen_at) DESC, a.article_id
        """,
        [source, since],
    ).fetchall()
    return [
        ThreadTarget(article_id=article_id, source=name, url=url, post_id=post_id, comment_count_hint=hint,
                     system=system, fetched=fetched, thread_ref=thread_ref)
        for article_id, name, url, post_id, hint, system, fetched, thread_ref in rows
    ]


def load_threads(
    con: duckdb.DuckDBPyConnection,
    source: str,
    threads: list[CommentThreadRows],
    responses: list[RawResponse],
    run_id: str,
    failures: list[FailureRecord] | None = None,
    read_urls: Sequence[str] = (),
) -> LoadCounts:
    """Load re-read threads and their responses in one transaction; nothing of it stays on error.

    `failures` (stage 'refresh') go to the failures table like an ingest's; the open refresh failures of
    `read_urls`, the threads read this time (or answered 304), are resolved.
    """
    counts = LoadCounts()
    with batch_transaction(con, build_batch_tables(source, [], responses, failures or [], run_id)):
        run_comment_steps(con, counts, [c for t in threads for c in t.comments], [t.section for t in threads])
        if responses:
            insert_raw_responses(con, counts)  # their validators make the next refresh conditional
        if read_urls:
            con.execute(
                """
                UPDATE failures SET resolved_at = now()
                WHERE source = ? AND stage = 'refresh' AND resolved_at IS NULL
                  AND url IN (SELECT unnest(?::VARCHAR[]))
                """,
                [source, list(read_urls)],
            )
        record_failures(con, False, bool(failures))
    return counts

