"""What every batch load shares: its transaction, the counts it reports, and the scratch tables it registers.

A batch is turned into pyarrow tables registered on the connection as `_batch_*` views, and every write is a
single INSERT … SELECT / UPDATE … FROM over them (never row-at-a-time). `now()` is the transaction start in
DuckDB, so every row a batch writes gets the same timestamp.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import duckdb
import pyarrow as pa
from pydantic import BaseModel

from schemas.report import CommentCountDifference


class LoadCounts(BaseModel):
    """What one load_batch call changed; all zero when the batch was already loaded."""

    articles_inserted: int = 0
    articles_updated: int = 0
    article_versions_inserted: int = 0
    comments_inserted: int = 0
    comments_updated: int = 0  # text (or name) changed: an edit, the earlier text kept in comment_versions
    comments_moved: int = 0  # place in the thread changed (parent, depth, position) with the same text
    comments_deleted: int = 0  # gone from a completely read thread: deleted_at set
    comments_restored: int = 0  # marked deleted earlier, shown again by a read
    # Articles whose advertised comment count (slash:comments) was compared with what they hold after the load.
    comment_counts_checked: int = 0
    comment_count_differences: list[CommentCountDifference] = []
    authors_inserted: int = 0
    aliases_inserted: int = 0
    raw_responses_inserted: int = 0


# Arrow tables the steps register on the connection while a batch loads; batch_transaction unregisters them.
SCRATCH_TABLES = (
    "_merged_articles", "_byline_articles", "_batch_comments", "_batch_commenters", "_batch_comment_sections",
    "_fresh_threads", "_changed_threads", "_thread_digests", "_stored_comments",
)


@contextlib.contextmanager
def batch_transaction(con: duckdb.DuckDBPyConnection, tables: dict[str, pa.Table]) -> Iterator[None]:
    """Register a batch's arrow tables and run the body in one transaction; on any error nothing stays."""
    for name, table in tables.items():
        con.register(name, table)
    try:
        con.execute("BEGIN TRANSACTION")
        try:
            yield
            con.execute("COMMIT")
        except BaseException:
            # The original error is what matters; a rollback failing on a dead connection must not mask it.
            with contextlib.suppress(duckdb.Error):
                con.execute("ROLLBACK")
            raise
    finally:
        for name in (*tables, *SCRATCH_TABLES):  # unregistering a name never registered is a no-op
            con.unregister(name)


def count_changed(con: duckdb.DuckDBPyConnection, sql: str, parameters: dict[str, Any] | None = None) -> int:
    """Run a DML statement and return the number of rows it changed."""
    return int(con.execute(sql, parameters).fetchall()[0][0])


def id_table(ids: list[str], name: str = "article_id") -> pa.Table:
    """A one-column arrow table of ids, to register as a scratch table."""
    return pa.table({name: pa.array(ids, pa.string())})
