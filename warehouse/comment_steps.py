"""The comment half of a batch load: each thread the batch read, diffed against what is stored.

warehouse.comments runs these steps too, for threads re-read without their article. Every scan of `comments` is
filtered by article_id, which DuckDB pushes into the scan; a join against the whole table per batch is what made
loads slow as the warehouse grew. `comments` has no primary key (migration 005): a thread is inserted whole only
when nothing of it is stored, otherwise diffed against its own stored rows, which keeps comment_id unique.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

import duckdb
import pyarrow as pa

from schemas.report import CommentCountDifference
from schemas.rows import CommentRow, CommentSectionRow, NormalizedArticle
from warehouse.batch import LoadCounts, count_changed, id_table
from warehouse.batch_tables import COMMENT_SCHEMA, COMMENT_SECTION_SCHEMA, comment_tables

_COMMENT_PAYLOAD = [name for name in COMMENT_SCHEMA.names if name != "comment_id"]
_COMMENT_PLACE = ["parent_id", "depth", "position", "commenter_id"]
_DIGEST_SCHEMA = pa.schema([("article_id", pa.string()), ("digest", pa.string())])


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


def _upsert_commenters(con: duckdb.DuckDBPyConnection, counts: LoadCounts) -> None:
    con.execute("""
        INSERT INTO commenters (commenter_id, display_name, first_seen_at)
        SELECT b.commenter_id, b.display_name, now() FROM _batch_commenters AS b
        WHERE NOT EXISTS (SELECT 1 FROM commenters AS c WHERE c.commenter_id = b.commenter_id)
    """)


def _classify_threads(
    con: duckdb.DuckDBPyConnection, digests: dict[str, str], complete: dict[str, bool]
) -> tuple[dict[str, list[str]], set[str]]:
    """Sort the batch's threads by what loading them takes (threads keyed by article_id), and say which of them
    have a comment_sections row already:

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
    return kinds, set(last_read)


def _insert_comments(con: duckdb.DuckDBPyConnection, counts: LoadCounts, rows: str, where: str) -> None:
    """Insert the comments of `rows` (a batch table or subquery, aliased b) that satisfy `where`, as new."""
    columns = ", ".join(COMMENT_SCHEMA.names)
    counts.comments_inserted += count_changed(con, f"""
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
    counts.comments_deleted = count_changed(con, """
        UPDATE comments SET deleted_at = now(), updated_at = now()
        WHERE article_id IN $complete AND deleted_at IS NULL
          AND NOT EXISTS (SELECT 1 FROM _batch_comments AS b WHERE b.comment_id = comments.comment_id)
    """, {"complete": complete})


def _upsert_comment_sections(con: duckdb.DuckDBPyConnection, stored: int, read: int) -> None:
    """Record how each thread was read and its fingerprint; `stored` of the `read` sections exist already."""
    changed = " OR ".join(f"s.{col} IS DISTINCT FROM b.{col}" for col in COMMENT_SECTION_SCHEMA.names[1:])
    if stored:
        _update_comment_sections(con, changed)
    if stored < read:
        _insert_comment_sections(con)


def _update_comment_sections(con: duckdb.DuckDBPyConnection, changed: str) -> None:
    con.execute(f"""
        UPDATE comment_sections AS s SET system = b.system, fetched = b.fetched, complete = b.complete,
            note = b.note, thread_ref = b.thread_ref, thread_digest = d.digest, updated_at = now()
        FROM _batch_comment_sections AS b JOIN _thread_digests AS d ON d.article_id = b.article_id
        WHERE s.article_id = b.article_id AND ({changed} OR s.thread_digest IS DISTINCT FROM d.digest)
    """)


def _insert_comment_sections(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("""
        INSERT INTO comment_sections (article_id, system, fetched, complete, note, thread_ref, thread_digest,
                                      first_seen_at, updated_at)
        SELECT b.article_id, b.system, b.fetched, b.complete, b.note, b.thread_ref, d.digest, now(), now()
        FROM _batch_comment_sections AS b JOIN _thread_digests AS d ON d.article_id = b.article_id
        WHERE NOT EXISTS (SELECT 1 FROM comment_sections AS s WHERE s.article_id = b.article_id)
    """)


def check_comment_counts(
    con: duckdb.DuckDBPyConnection, counts: LoadCounts, articles: list[NormalizedArticle]
) -> None:
    """Compare each read thread's advertised count (the feed's slash:comments) with the comments it now shows."""
    hinted = [
        (item.article, item.article.comment_count_hint, item.comment_section.system)
        for item in articles
        if item.comment_section is not None and item.article.comment_count_hint is not None
    ]
    if not hinted:
        return
    # A constant id list is pushed into the scan of comments; a subquery over the batch would not be.
    shown = dict(con.execute(
        "SELECT article_id, count(*) FROM comments WHERE deleted_at IS NULL AND article_id IN ? GROUP BY article_id",
        [[article.article_id for article, _, _ in hinted]],
    ).fetchall())
    counts.comment_counts_checked = len(hinted)
    counts.comment_count_differences = sorted(
        (
            CommentCountDifference(source=article.source, url=article.url, advertised=advertised,
                                   loaded=shown.get(article.article_id, 0), system=system)
            for article, advertised, system in hinted
            if advertised != shown.get(article.article_id, 0)
        ),
        key=lambda difference: difference.url,
    )


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
    if not threads:
        return
    complete = dict.fromkeys(threads, False) | {s.article_id: s.complete and s.fetched for s in sections}
    digests = {article_id: thread_digest(rows) for article_id, rows in threads.items()}
    kinds, with_section = _classify_threads(con, digests, complete)
    to_load = [row for kind in ("fresh", "changed") for article_id in kinds[kind] for row in threads[article_id]]
    for name, table in comment_tables(to_load, sections).items():
        con.register(name, table)
    for name, kind in (("_fresh_threads", "fresh"), ("_changed_threads", "changed")):
        con.register(name, id_table(kinds[kind]))
    con.register("_thread_digests", pa.table(
        {"article_id": list(digests), "digest": list(digests.values())}, schema=_DIGEST_SCHEMA
    ))
    if to_load:
        _upsert_commenters(con, counts)
    if kinds["fresh"]:  # nothing of these threads is stored: every comment is new, no comparison needed
        only_fresh = "TRUE" if not kinds["changed"] else "article_id IN (SELECT article_id FROM _fresh_threads)"
        _insert_comments(con, counts, "_batch_comments", only_fresh)
    if kinds["changed"]:
        _diff_changed_threads(con, counts, kinds["changed"], complete)
    read = {section.article_id for section in sections}
    # after the diff: it stores this read's fingerprints
    _upsert_comment_sections(con, len(read & with_section), len(read))
