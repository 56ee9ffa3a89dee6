"""Idempotent, set-based batch loads: one transaction per batch, arrow tables in, counts out.

A batch's articles are merged field by field into what is stored (warehouse.article_merge), its comment threads
diffed against their stored rows (warehouse.comment_steps), its raw responses and failures recorded; rows are
only touched when something changed, which keeps reloads free of side effects.
"""

from __future__ import annotations

import duckdb

from schemas.pipeline import RawResponse
from schemas.report import FailureRecord
from schemas.rows import NormalizedArticle
from warehouse.article_steps import run_article_steps
from warehouse.batch import LoadCounts, batch_transaction, count_changed
from warehouse.batch_tables import RESPONSE_SCHEMA, build_batch_tables, response_id
from warehouse.comment_steps import check_comment_counts, run_comment_steps

__all__ = ["LoadCounts", "batch_transaction", "build_batch_tables", "insert_raw_responses", "load_batch",
           "response_id", "run_comment_steps"]


def load_batch(
    con: duckdb.DuckDBPyConnection,
    source: str,
    articles: list[NormalizedArticle],
    responses: list[RawResponse],
    failures: list[FailureRecord],
    run_id: str,
) -> LoadCounts:
    """Load one batch in one transaction; on any error nothing of it stays and the error is re-raised."""
    counts = LoadCounts()
    by_article = list({item.article.article_id: item for item in articles}.values())  # the last one wins
    comments = [row for item in by_article for row in item.comments]
    sections = [item.comment_section for item in by_article if item.comment_section is not None]
    with batch_transaction(con, build_batch_tables(source, by_article, responses, failures, run_id)):
        if by_article:
            run_article_steps(con, counts)
        run_comment_steps(con, counts, comments, sections)
        check_comment_counts(con, counts, by_article)
        if responses:
            insert_raw_responses(con, counts)
        record_failures(con, bool(by_article), bool(failures))
    return counts


def insert_raw_responses(con: duckdb.DuckDBPyConnection, counts: LoadCounts) -> None:
    columns = ", ".join(RESPONSE_SCHEMA.names)
    selected = ", ".join("CAST(headers AS JSON)" if name == "headers" else name for name in RESPONSE_SCHEMA.names)
    counts.raw_responses_inserted = count_changed(con, f"""
        INSERT INTO raw_responses ({columns})
        SELECT {selected} FROM _batch_responses AS b
        WHERE NOT EXISTS (SELECT 1 FROM raw_responses AS r WHERE r.response_id = b.response_id)
    """)


def record_failures(con: duckdb.DuckDBPyConnection, loaded_articles: bool, failed: bool) -> None:
    """Resolve the open failures of the URLs that loaded, then record this batch's failures."""
    # Resolve first, so a URL that both loaded and failed (another stage) in this batch stays open.
    if loaded_articles:
        con.execute("""
            UPDATE failures SET resolved_at = now()
            WHERE resolved_at IS NULL AND url IN (SELECT url FROM _batch_articles)
        """)
    if failed:
        con.execute("""
            INSERT INTO failures (source, url, stage, reason, detail, first_failed_at, last_failed_at, attempts,
                                  resolved_at, run_id)
            SELECT source, url, stage, reason, detail, now(), now(), 1, NULL, run_id FROM _batch_failures
            ON CONFLICT (source, url, stage) DO UPDATE SET
                reason = excluded.reason,
                detail = excluded.detail,
                last_failed_at = excluded.last_failed_at,
                attempts = failures.attempts + 1,
                resolved_at = NULL,
                run_id = excluded.run_id
        """)
