"""Idempotent, set-based batch loads: one transaction per batch, arrow tables in, counts out.

Each batch is turned into pyarrow tables registered on the connection as `_batch_*` views, and every
write is a single INSERT … SELECT / UPDATE … FROM over them (never row-at-a-time), so a million comments
load in seconds. Rows are only touched when something changed, which keeps reloads free of side effects.
`now()` is the transaction start in DuckDB, so every row of a batch gets the same timestamp.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Iterable, Iterator
from typing import Any

import duckdb
import pyarrow as pa
from pydantic import BaseModel

from schemas.pipeline import RawResponse
from schemas.report import CommentCountDifference, FailureRecord
from schemas.rows import AuthorRow, CommentRow, CommentSectionRow, NormalizedArticle


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


_TS = pa.timestamp("us", tz="UTC")
# Arrow tables the steps register on the connection while a batch loads (see batch_transaction).
_SCRATCH = (
    "_changed_articles", "_batch_comments", "_batch_commenters", "_batch_comment_sections", "_fresh_threads",
    "_changed_threads", "_thread_digests", "_stored_comments",
)

ARTICLE_SCHEMA = pa.schema([
    ("article_id", pa.string()), ("source", pa.string()), ("post_id", pa.int64()), ("url", pa.string()),
    ("title", pa.string()), ("deck", pa.string()), ("published_at", _TS), ("modified_at", _TS),
    ("body_text", pa.string()), ("body_html", pa.string()), ("word_count", pa.int32()),
    ("content_hash", pa.string()), ("categories", pa.list_(pa.string())), ("tags", pa.list_(pa.string())),
    ("comment_count_hint", pa.int32()), ("parser", pa.string()), ("fetched_at", _TS),
    ("reprinted_from", pa.string()), ("reprinted_from_url", pa.string()), ("reprint_note", pa.string()),
])
ARTICLE_AUTHOR_SCHEMA = pa.schema([("article_id", pa.string()), ("author_id", pa.string()), ("position", pa.int32())])
AUTHOR_SCHEMA = pa.schema([
    ("author_id", pa.string()), ("display_name", pa.string()), ("bio", pa.string()), ("kind", pa.string()),
])
ALIAS_SCHEMA = pa.schema([("alias", pa.string()), ("author_id", pa.string()), ("position", pa.int32())])
COMMENT_SCHEMA = pa.schema([
    ("comment_id", pa.string()), ("article_id", pa.string()), ("site_comment_id", pa.string()),
    ("parent_id", pa.string()), ("depth", pa.int32()), ("position", pa.int32()), ("author_name", pa.string()),
    ("posted_at", _TS), ("text", pa.string()), ("html", pa.string()), ("content_hash", pa.string()),
    ("commenter_id", pa.string()),
])
COMMENTER_SCHEMA = pa.schema([("commenter_id", pa.string()), ("display_name", pa.string())])
COMMENT_SECTION_SCHEMA = pa.schema([
    ("article_id", pa.string()), ("system", pa.string()), ("fetched", pa.bool_()), ("complete", pa.bool_()),
    ("note", pa.string()), ("thread_ref", pa.string()),
])
RESPONSE_SCHEMA = pa.schema([
    ("response_id", pa.string()), ("source", pa.string()), ("url", pa.string()), ("final_url", pa.string()),
    ("status", pa.int32()), ("headers", pa.string()), ("body", pa.binary()), ("body_sha256", pa.string()),
    ("fetched_at", _TS), ("elapsed_ms", pa.float64()), ("role", pa.string()), ("run_id", pa.string()),
])
FAILURE_SCHEMA = pa.schema([
    ("source", pa.string()), ("url", pa.string()), ("stage", pa.string()), ("reason", pa.string()),
    ("detail", pa.string()), ("run_id", pa.string()),
])


def response_id(url: str, body_sha256: str) -> str:
    """Identity of a stored response: the same URL with the same body is the same response."""
    return hashlib.sha256((url + body_sha256).encode("utf-8")).hexdigest()


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
        _run_steps(con, counts, comments, sections)
    return counts


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
        for name in tables:
            con.unregister(name)
        for name in _SCRATCH:  # registered by the steps; unregistering an unknown name is a no-op
            con.unregister(name)


# --- batch -> arrow -------------------------------------------------------------------------------------


def build_batch_tables(
    source: str,
    articles: list[NormalizedArticle],
    responses: list[RawResponse],
    failures: list[FailureRecord],
    run_id: str,
) -> dict[str, pa.Table]:
    """The batch (but its comments) as arrow tables, deduplicated by key (the last occurrence wins) so SQL sees
    unique keys; `articles` come one per article_id (load_batch sees to it). Comments are turned into tables
    later, and only for threads that changed (run_comment_steps)."""
    return {
        "_batch_articles": _table(ARTICLE_SCHEMA, [item.article for item in articles]),
        "_batch_article_authors": _table(
            ARTICLE_AUTHOR_SCHEMA, [row for item in articles for row in item.article_authors],
            key=("article_id", "author_id"),
        ),
        "_batch_authors": _table(AUTHOR_SCHEMA, _merge_authors(a for item in articles for a in item.authors)),
        "_batch_aliases": _table(
            ALIAS_SCHEMA, [row for item in articles for row in item.aliases], key=("alias", "author_id")
        ),
        "_batch_responses": _responses_table(source, responses, run_id),
        "_batch_failures": _table(
            FAILURE_SCHEMA, [{**f.model_dump(), "run_id": run_id} for f in failures], key=("source", "url", "stage")
        ),
    }


def _table(schema: pa.Schema, rows: list[Any], key: tuple[str, ...] = ()) -> pa.Table:
    """Column-wise arrow table from models or dicts whose field names equal the schema's column names.

    Rows repeating a key are collapsed to the last one. Duplicates are rare, so they are only looked for
    with a set over the key column, which costs far less than keying every row up front.
    """
    # A pydantic model keeps its field values in __dict__; indexing dicts is markedly faster than getattr
    # over a million rows.
    records = rows if rows and isinstance(rows[0], dict) else [row.__dict__ for row in rows]
    columns = {name: [record[name] for record in records] for name in schema.names}
    if key:
        keys = columns[key[0]] if len(key) == 1 else list(zip(*(columns[name] for name in key), strict=True))
        if len(set(keys)) != len(records):
            records = list(dict(zip(keys, records, strict=True)).values())
            columns = {name: [record[name] for record in records] for name in schema.names}
    return pa.table(columns, schema=schema)


def comment_tables(comments: list[CommentRow], sections: list[CommentSectionRow]) -> dict[str, pa.Table]:
    """Comments, their commenters and the sections (how each thread was read) of a batch, as arrow tables."""
    commenters = {c.commenter_id: c.author_name for c in reversed(comments) if c.commenter_id}  # first name wins
    return {
        "_batch_comments": _table(COMMENT_SCHEMA, comments, key=("comment_id",)),
        "_batch_commenters": _table(
            COMMENTER_SCHEMA, [{"commenter_id": k, "display_name": v} for k, v in commenters.items()]
        ),
        "_batch_comment_sections": _table(COMMENT_SECTION_SCHEMA, sections, key=("article_id",)),
    }


def thread_digest(comments: Iterable[CommentRow]) -> str:
    """Fingerprint of a thread as read: every comment's id, content and place, in id order.

    Two reads with the same fingerprint show the same comments with the same texts in the same places, so the
    second one has nothing to write. Computed in Python: cheaper than turning the rows into arrow first.
    """
    rows = sorted(
        f"{c.comment_id}\x1f{c.content_hash}\x1f{c.parent_id}\x1f{c.depth}\x1f{c.position}\x1f{c.commenter_id}"
        for c in comments
    )
    return hashlib.md5("\x1e".join(rows).encode(), usedforsecurity=False).hexdigest()


def _merge_authors(authors: Iterable[AuthorRow]) -> list[AuthorRow]:
    """One row per author; a bio seen anywhere in the batch is kept even if a later mention lacks it."""
    merged: dict[str, AuthorRow] = {}
    for author in authors:
        known = merged.get(author.author_id)
        bio = author.bio or (known.bio if known else None)
        merged[author.author_id] = author.model_copy(update={"bio": bio})
    return list(merged.values())


def _responses_table(source: str, responses: list[RawResponse], run_id: str) -> pa.Table:
    rows: dict[str, dict[str, Any]] = {}
    for response in responses:
        body_sha256 = hashlib.sha256(response.body).hexdigest()
        key = response_id(response.url, body_sha256)
        rows.setdefault(key, {
            **response.model_dump(),
            "response_id": key,
            "source": source,
            "headers": json.dumps(response.headers, ensure_ascii=False),
            "body_sha256": body_sha256,
            "run_id": run_id,
        })
    return _table(RESPONSE_SCHEMA, list(rows.values()))


# --- steps, in order; each one is a set-based statement or two ------------------------------------------

_ARTICLE_PAYLOAD = [name for name in ARTICLE_SCHEMA.names if name != "article_id"]
_CHANGED_SCHEMA = pa.schema([("article_id", pa.string())])
# Columns whose change means the article itself changed; fetched_at or a comment-count hint alone do not.
_ARTICLE_TRACKED = [
    "title", "deck", "published_at", "modified_at", "content_hash", "categories", "tags", "reprinted_from",
    "reprinted_from_url", "reprint_note",
]
_COMMENT_PAYLOAD = [name for name in COMMENT_SCHEMA.names if name != "comment_id"]
_COMMENT_PLACE = ["parent_id", "depth", "position", "commenter_id"]
_DIGEST_SCHEMA = pa.schema([("article_id", pa.string()), ("digest", pa.string())])


def _count(con: duckdb.DuckDBPyConnection, sql: str, parameters: dict[str, Any] | None = None) -> int:
    """Run a DML statement and return the number of rows it changed."""
    return int(con.execute(sql, parameters).fetchall()[0][0])


def _mark_changed_articles(con: duckdb.DuckDBPyConnection, counts: LoadCounts) -> int:
    """Register `_changed_articles`: stored articles whose tracked columns or byline (authors with positions)
    differ from the batch. Returns how many; most reloads change nothing, and the steps that only concern
    changed articles are then skipped.

    An arrow table rather than a temp table: creating and dropping a catalog entry per batch costs more
    than the query itself.
    """
    tracked = " OR ".join(f"a.{col} IS DISTINCT FROM b.{col}" for col in _ARTICLE_TRACKED)
    changed = [row[0] for row in con.execute(f"""
        WITH batch_bylines AS (
            SELECT article_id, list({{'author_id': author_id, 'position': position}}
                                    ORDER BY position, author_id) AS byline
            FROM _batch_article_authors GROUP BY article_id
        ), stored_bylines AS (
            SELECT article_id, list({{'author_id': author_id, 'position': position}}
                                    ORDER BY position, author_id) AS byline
            FROM article_authors
            WHERE article_id IN (SELECT article_id FROM _batch_articles)
            GROUP BY article_id
        )
        SELECT b.article_id
        FROM _batch_articles AS b
        JOIN articles AS a ON a.article_id = b.article_id
        LEFT JOIN batch_bylines AS nb ON nb.article_id = b.article_id
        LEFT JOIN stored_bylines AS sb ON sb.article_id = b.article_id
        WHERE {tracked} OR coalesce(nb.byline, []) IS DISTINCT FROM coalesce(sb.byline, [])
    """).fetchall()]
    con.register("_changed_articles", pa.table({"article_id": changed}, schema=_CHANGED_SCHEMA))
    return len(changed)


def _archive_replaced_versions(con: duckdb.DuckDBPyConnection, counts: LoadCounts) -> None:
    """Copy each stored article whose title, deck or body is about to change into article_versions.

    Runs before the UPDATE, inside the batch's transaction, so a version is archived exactly when it is
    replaced. A version became current when the previous one ended, or at the article's first load.
    """
    counts.article_versions_inserted = _count(con, """
        INSERT INTO article_versions (article_id, version, title, deck, body_text, body_html, word_count,
                                      content_hash, modified_at, fetched_at, valid_from, valid_to)
        WITH earlier AS (
            SELECT article_id, max(version) AS version, max(valid_to) AS valid_to FROM article_versions
            WHERE article_id IN (SELECT article_id FROM _changed_articles)
            GROUP BY article_id
        )
        SELECT a.article_id, coalesce(e.version, 0) + 1, a.title, a.deck, a.body_text, a.body_html,
               a.word_count, a.content_hash, a.modified_at, a.fetched_at, coalesce(e.valid_to, a.first_seen_at),
               now()
        FROM articles AS a
        JOIN _batch_articles AS b ON b.article_id = a.article_id
        LEFT JOIN earlier AS e ON e.article_id = a.article_id
        WHERE a.article_id IN (SELECT article_id FROM _changed_articles)
          AND (a.content_hash IS DISTINCT FROM b.content_hash OR a.title IS DISTINCT FROM b.title)
    """)


def _update_changed_articles(con: duckdb.DuckDBPyConnection, counts: LoadCounts) -> None:
    assignments = ", ".join(f"{col} = b.{col}" for col in _ARTICLE_PAYLOAD)
    counts.articles_updated = _count(con, f"""
        UPDATE articles SET {assignments}, updated_at = now()
        FROM _batch_articles AS b
        WHERE articles.article_id = b.article_id
          AND b.article_id IN (SELECT article_id FROM _changed_articles)
    """)


def _insert_new_articles(con: duckdb.DuckDBPyConnection, counts: LoadCounts) -> None:
    columns = ", ".join(ARTICLE_SCHEMA.names)
    counts.articles_inserted = _count(con, f"""
        INSERT INTO articles ({columns}, first_seen_at, updated_at)
        SELECT {columns}, now(), now() FROM _batch_articles AS b
        WHERE NOT EXISTS (SELECT 1 FROM articles AS a WHERE a.article_id = b.article_id)
    """)


def _replace_article_authors(con: duckdb.DuckDBPyConnection, counts: LoadCounts) -> None:
    """Make each batch article's byline exactly the batch's list, touching only rows that differ."""
    con.execute("""
        DELETE FROM article_authors AS aa
        WHERE aa.article_id IN (SELECT article_id FROM _batch_articles)
          AND NOT EXISTS (SELECT 1 FROM _batch_article_authors AS b
                          WHERE b.article_id = aa.article_id AND b.author_id = aa.author_id)
    """)
    con.execute("""
        UPDATE article_authors SET position = b.position
        FROM _batch_article_authors AS b
        WHERE article_authors.article_id = b.article_id AND article_authors.author_id = b.author_id
          AND article_authors.position <> b.position
    """)
    con.execute("""
        INSERT INTO article_authors (article_id, author_id, position)
        SELECT b.article_id, b.author_id, b.position FROM _batch_article_authors AS b
        WHERE b.article_id IN (SELECT article_id FROM _batch_articles)
          AND NOT EXISTS (SELECT 1 FROM article_authors AS aa
                          WHERE aa.article_id = b.article_id AND aa.author_id = b.author_id)
    """)


def _upsert_authors(con: duckdb.DuckDBPyConnection, counts: LoadCounts) -> None:
    # A known author's bio is filled in or replaced only by a non-empty one: pages without a bio never erase it.
    # The kind follows the rules of the loading code (authors loaded before version 6 start as 'person').
    con.execute("""
        UPDATE authors SET
            bio = CASE WHEN coalesce(b.bio, '') <> '' THEN b.bio ELSE authors.bio END,
            kind = b.kind
        FROM _batch_authors AS b
        WHERE authors.author_id = b.author_id
          AND ((coalesce(b.bio, '') <> '' AND authors.bio IS DISTINCT FROM b.bio)
               OR authors.kind IS DISTINCT FROM b.kind)
    """)
    counts.authors_inserted = _count(con, """
        INSERT INTO authors (author_id, display_name, bio, kind, first_seen_at)
        SELECT b.author_id, b.display_name, nullif(b.bio, ''), b.kind, now() FROM _batch_authors AS b
        WHERE NOT EXISTS (SELECT 1 FROM authors AS a WHERE a.author_id = b.author_id)
    """)


def _insert_aliases(con: duckdb.DuckDBPyConnection, counts: LoadCounts) -> None:
    counts.aliases_inserted = _count(con, """
        INSERT INTO author_aliases (alias, author_id, position)
        SELECT b.alias, b.author_id, b.position FROM _batch_aliases AS b
        WHERE NOT EXISTS (SELECT 1 FROM author_aliases AS a WHERE a.alias = b.alias AND a.author_id = b.author_id)
    """)


def _upsert_commenters(con: duckdb.DuckDBPyConnection, counts: LoadCounts) -> None:
    con.execute("""
        INSERT INTO commenters (commenter_id, display_name, first_seen_at)
        SELECT b.commenter_id, b.display_name, now() FROM _batch_commenters AS b
        WHERE NOT EXISTS (SELECT 1 FROM commenters AS c WHERE c.commenter_id = b.commenter_id)
    """)


def _classify_threads(
    con: duckdb.DuckDBPyConnection, digests: dict[str, str], complete: dict[str, bool]
) -> dict[str, list[str]]:
    """Sort the batch's threads by what loading them takes (threads keyed by article_id):

    fresh    nothing of the thread is stored: its comments are inserted as they are
    same     the read shows exactly what the last read showed (same fingerprint) and is no more complete:
             nothing to write, not even arrow tables to build; most nightly and refresh reads are this
    changed  anything else: the thread is diffed comment by comment against its stored rows

    Every scan of `comments` here and in the diff is filtered by article_id, which DuckDB pushes into the scan;
    a join against the whole table per batch is what made loads slow as the warehouse grew.
    """
    ids = list(digests)
    # article_id -> (fingerprint of the last read, whether that read was complete)
    last_read: dict[str, tuple[str | None, bool]] = {
        article_id: (digest, bool(was_complete))
        for article_id, digest, was_complete in con.execute(
            "SELECT article_id, thread_digest, complete AND fetched FROM comment_sections WHERE article_id IN ?",
            [ids],
        ).fetchall()
    } if ids else {}
    # Without a fingerprint (a thread first read now, or before version 5) only the rows tell what is stored.
    unknown = [article_id for article_id in ids if last_read.get(article_id, (None, False))[0] is None]
    with_rows = {row[0] for row in con.execute(
        "SELECT DISTINCT article_id FROM comments WHERE article_id IN ?", [unknown]
    ).fetchall()} if unknown else set()
    kinds: dict[str, list[str]] = {"fresh": [], "same": [], "changed": []}
    for article_id in ids:
        last_digest, last_complete = last_read.get(article_id, (None, False))
        if last_digest is None:
            kinds["changed" if article_id in with_rows else "fresh"].append(article_id)
        elif last_digest == digests[article_id] and (last_complete or not complete[article_id]):
            kinds["same"].append(article_id)
        else:
            kinds["changed"].append(article_id)
    return kinds


def _insert_comments(con: duckdb.DuckDBPyConnection, counts: LoadCounts, rows: str, where: str) -> None:
    """Insert the comments of `rows` (a batch table or subquery, aliased b) that satisfy `where`, as new."""
    columns = ", ".join(COMMENT_SCHEMA.names)
    counts.comments_inserted += _count(con, f"""
        INSERT INTO comments ({columns}, first_seen_at, updated_at)
        SELECT {columns}, now(), now() FROM {rows} AS b WHERE {where}
    """)


# The batch's comments of the changed threads. Stored rows of those threads are found with `article_id IN ?`
# and the thread ids as a parameter: DuckDB pushes a constant list into the scan and reads the other columns
# only where it matched, where a subquery would read them for the whole table (a third of the time per batch
# at a million comments).
_BATCH_OF_CHANGED = "(SELECT * FROM _batch_comments WHERE article_id IN (SELECT article_id FROM _changed_threads))"


def _diff_changed_threads(
    con: duckdb.DuckDBPyConnection, counts: LoadCounts, changed: list[str], complete: dict[str, bool]
) -> None:
    """Apply changed threads comment by comment: new comments added; edits (text or name) update the row with
    edited_at after the earlier text went to comment_versions; moves in the thread update the place; a
    comment marked deleted that is shown again comes back; and when the read was complete, stored comments it
    no longer shows are marked deleted (never removed)."""
    place = ", ".join(_COMMENT_PLACE)
    con.register("_stored_comments", con.sql(
        f"SELECT comment_id, content_hash, deleted_at, {place} FROM comments WHERE article_id IN ?", params=[changed]
    ).to_arrow_table())
    same_place = " AND ".join(f"c.{col} IS NOT DISTINCT FROM b.{col}" for col in _COMMENT_PLACE)
    new, edited, moved, restored = con.execute(f"""
        SELECT count(*) FILTER (WHERE c.comment_id IS NULL),
               count(*) FILTER (WHERE c.content_hash <> b.content_hash),
               count(*) FILTER (WHERE c.content_hash = b.content_hash AND NOT ({same_place})),
               count(*) FILTER (WHERE c.deleted_at IS NOT NULL)
        FROM {_BATCH_OF_CHANGED} AS b LEFT JOIN _stored_comments AS c ON c.comment_id = b.comment_id
    """).fetchall()[0]
    counts.comments_updated, counts.comments_moved, counts.comments_restored = edited, moved, restored
    if edited:
        _archive_edited_comments(con, changed)
    if edited or moved or restored:
        _update_changed_comments(con, changed)
    if new:
        _insert_comments(con, counts, _BATCH_OF_CHANGED,
                         "NOT EXISTS (SELECT 1 FROM _stored_comments AS c WHERE c.comment_id = b.comment_id)")
    _mark_deleted_comments(con, counts, [article_id for article_id in changed if complete[article_id]])


def _archive_edited_comments(con: duckdb.DuckDBPyConnection, changed: list[str]) -> None:
    """Copy each stored comment whose text is about to change into comment_versions, before the UPDATE."""
    con.execute(f"""
        INSERT INTO comment_versions (comment_id, version, author_name, text, html, content_hash, valid_from,
                                      valid_to)
        WITH edited AS (
            SELECT b.comment_id FROM {_BATCH_OF_CHANGED} AS b
            JOIN _stored_comments AS s ON s.comment_id = b.comment_id
            WHERE s.content_hash <> b.content_hash
        ), earlier AS (
            SELECT comment_id, max(version) AS version, max(valid_to) AS valid_to FROM comment_versions
            WHERE comment_id IN (SELECT comment_id FROM edited)
            GROUP BY comment_id
        )
        SELECT c.comment_id, coalesce(e.version, 0) + 1, c.author_name, c.text, c.html, c.content_hash,
               coalesce(e.valid_to, c.first_seen_at), now()
        FROM comments AS c
        LEFT JOIN earlier AS e ON e.comment_id = c.comment_id
        WHERE c.article_id IN $changed AND c.comment_id IN (SELECT comment_id FROM edited)
    """, {"changed": changed})


def _update_changed_comments(con: duckdb.DuckDBPyConnection, changed: list[str]) -> None:
    """One UPDATE for edits, moves and returns: the batch's values, edited_at only when the text changed."""
    assignments = ", ".join(f"{col} = b.{col}" for col in _COMMENT_PAYLOAD)
    changed_place = " OR ".join(f"comments.{col} IS DISTINCT FROM b.{col}" for col in _COMMENT_PLACE)
    con.execute(f"""
        UPDATE comments SET {assignments},
            edited_at = CASE WHEN comments.content_hash <> b.content_hash THEN now() ELSE comments.edited_at END,
            deleted_at = NULL, updated_at = now()
        FROM {_BATCH_OF_CHANGED} AS b
        WHERE comments.article_id IN $changed
          AND comments.comment_id = b.comment_id
          AND (comments.content_hash <> b.content_hash OR comments.deleted_at IS NOT NULL OR {changed_place})
    """, {"changed": changed})


def _mark_deleted_comments(con: duckdb.DuckDBPyConnection, counts: LoadCounts, complete: list[str]) -> None:
    """A stored comment missing from a complete read of its thread was deleted on the site: mark it, keep it.

    `complete` holds the threads read completely; an incomplete read (a failed page, a capped feed) never deletes.
    """
    if not complete:
        return
    counts.comments_deleted = _count(con, """
        UPDATE comments SET deleted_at = now(), updated_at = now()
        WHERE article_id IN $complete AND deleted_at IS NULL
          AND NOT EXISTS (SELECT 1 FROM _batch_comments AS b WHERE b.comment_id = comments.comment_id)
    """, {"complete": complete})


def _upsert_comment_sections(con: duckdb.DuckDBPyConnection, counts: LoadCounts) -> None:
    changed = " OR ".join(f"s.{col} IS DISTINCT FROM b.{col}" for col in COMMENT_SECTION_SCHEMA.names[1:])
    con.execute(f"""
        UPDATE comment_sections AS s SET system = b.system, fetched = b.fetched, complete = b.complete,
            note = b.note, thread_ref = b.thread_ref, thread_digest = d.digest, updated_at = now()
        FROM _batch_comment_sections AS b JOIN _thread_digests AS d ON d.article_id = b.article_id
        WHERE s.article_id = b.article_id AND ({changed} OR s.thread_digest IS DISTINCT FROM d.digest)
    """)
    con.execute("""
        INSERT INTO comment_sections (article_id, system, fetched, complete, note, thread_ref, thread_digest,
                                      first_seen_at, updated_at)
        SELECT b.article_id, b.system, b.fetched, b.complete, b.note, b.thread_ref, d.digest, now(), now()
        FROM _batch_comment_sections AS b JOIN _thread_digests AS d ON d.article_id = b.article_id
        WHERE NOT EXISTS (SELECT 1 FROM comment_sections AS s WHERE s.article_id = b.article_id)
    """)


def _check_comment_counts(con: duckdb.DuckDBPyConnection, counts: LoadCounts) -> None:
    """Compare each read thread's advertised count (the feed's slash:comments) with the comments it now shows."""
    rows = con.execute("""
        WITH hinted AS (
            SELECT a.article_id, a.source, a.url, a.comment_count_hint, s.system
            FROM _batch_articles AS a
            JOIN _batch_comment_sections AS s ON s.article_id = a.article_id
            WHERE a.comment_count_hint IS NOT NULL
        ), shown AS (
            SELECT article_id, count(*) AS comments FROM comments
            WHERE deleted_at IS NULL AND article_id IN (SELECT article_id FROM hinted)
            GROUP BY article_id
        )
        SELECT h.source, h.url, h.comment_count_hint, coalesce(shown.comments, 0), h.system
        FROM hinted AS h LEFT JOIN shown ON shown.article_id = h.article_id
        ORDER BY h.url
    """).fetchall()
    counts.comment_counts_checked = len(rows)
    counts.comment_count_differences = [
        CommentCountDifference(source=source, url=url, advertised=advertised, loaded=loaded, system=system)
        for source, url, advertised, loaded, system in rows
        if advertised != loaded
    ]


def run_comment_steps(
    con: duckdb.DuckDBPyConnection,
    counts: LoadCounts,
    comments: list[CommentRow],
    sections: list[CommentSectionRow],
) -> None:
    """Load the comment threads of a batch inside its transaction; warehouse.comments runs this too, for threads
    re-read without their article. A thread is an article's comments plus its section (how it was read)."""
    threads: dict[str, list[CommentRow]] = {section.article_id: [] for section in sections}
    for comment in comments:
        threads.setdefault(comment.article_id, []).append(comment)
    complete = dict.fromkeys(threads, False) | {s.article_id: s.complete and s.fetched for s in sections}
    digests = {article_id: thread_digest(rows) for article_id, rows in threads.items()}
    kinds = _classify_threads(con, digests, complete)
    to_load = [row for kind in ("fresh", "changed") for article_id in kinds[kind] for row in threads[article_id]]
    for name, table in comment_tables(to_load, sections).items():
        con.register(name, table)
    for name, kind in (("_fresh_threads", "fresh"), ("_changed_threads", "changed")):
        con.register(name, pa.table({"article_id": kinds[kind]}, schema=_CHANGED_SCHEMA))
    con.register("_thread_digests", pa.table(
        {"article_id": list(digests), "digest": list(digests.values())}, schema=_DIGEST_SCHEMA
    ))
    _upsert_commenters(con, counts)
    if kinds["fresh"]:  # nothing of these threads is stored: every comment is new, no comparison needed
        _insert_comments(con, counts, "_batch_comments", "article_id IN (SELECT article_id FROM _fresh_threads)")
    if kinds["changed"]:
        _diff_changed_threads(con, counts, kinds["changed"], complete)
    _upsert_comment_sections(con, counts)  # after the diff: it stores this read's fingerprints


def _insert_raw_responses(con: duckdb.DuckDBPyConnection, counts: LoadCounts) -> None:
    columns = ", ".join(RESPONSE_SCHEMA.names)
    selected = ", ".join("CAST(headers AS JSON)" if name == "headers" else name for name in RESPONSE_SCHEMA.names)
    counts.raw_responses_inserted = _count(con, f"""
        INSERT INTO raw_responses ({columns})
        SELECT {selected} FROM _batch_responses AS b
        WHERE NOT EXISTS (SELECT 1 FROM raw_responses AS r WHERE r.response_id = b.response_id)
    """)


def _record_failures(con: duckdb.DuckDBPyConnection, counts: LoadCounts) -> None:
    # Resolve first, so a URL that both loaded and failed (another stage) in this batch stays open.
    con.execute("""
        UPDATE failures SET resolved_at = now()
        WHERE resolved_at IS NULL AND url IN (SELECT url FROM _batch_articles)
    """)
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


def _run_steps(
    con: duckdb.DuckDBPyConnection,
    counts: LoadCounts,
    comments: list[CommentRow],
    sections: list[CommentSectionRow],
) -> None:
    # Order matters: changes are detected before the article rows they compare against are rewritten.
    if _mark_changed_articles(con, counts):
        _archive_replaced_versions(con, counts)
        _update_changed_articles(con, counts)
    _insert_new_articles(con, counts)
    if counts.articles_updated or counts.articles_inserted:  # otherwise every stored byline equals the batch's
        _replace_article_authors(con, counts)
    _upsert_authors(con, counts)
    _insert_aliases(con, counts)
    run_comment_steps(con, counts, comments, sections)
    _check_comment_counts(con, counts)
    _insert_raw_responses(con, counts)
    _record_failures(con, counts)
