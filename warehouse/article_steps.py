"""The article half of a batch load: merge into stored articles (keeping replaced versions), insert new ones,
bylines, authors and their aliases. Each step is a set-based statement or two over the batch's tables."""

from __future__ import annotations

import duckdb

from warehouse.article_merge import merged_articles_sql, new_field_channels_sql
from warehouse.batch import LoadCounts, count_changed, id_table
from warehouse.batch_tables import ARTICLE_SCHEMA

_MERGED_PAYLOAD = [*(name for name in ARTICLE_SCHEMA.names if name not in ("article_id", "source")), "field_channels"]


def run_article_steps(con: duckdb.DuckDBPyConnection, counts: LoadCounts) -> None:
    """Load the batch's articles with their bylines, authors and aliases, inside the batch's transaction."""
    new_ids = [row[0] for row in con.execute("""
        SELECT article_id FROM _batch_articles AS b
        WHERE NOT EXISTS (SELECT 1 FROM articles AS a WHERE a.article_id = b.article_id)
    """).fetchall()]
    # Order matters: the merge compares against the stored rows before they are rewritten.
    fresh = set(new_ids)
    stored = [row[0] for row in con.execute("SELECT article_id FROM _batch_articles").fetchall() if row[0] not in fresh]
    rebylined = merge_stored_articles(con, counts, stored) if stored else []
    if new_ids:
        insert_new_articles(con, counts)
    if new_ids or rebylined:
        con.register("_byline_articles", id_table([*new_ids, *rebylined]))
        replace_article_authors(con, only_new=not rebylined)
    upsert_authors(con, counts)
    insert_aliases(con, counts)


def merge_stored_articles(con: duckdb.DuckDBPyConnection, counts: LoadCounts, stored: list[str]) -> list[str]:
    """Merge the batch into the `stored` articles it already holds (warehouse.article_merge) and archive every
    version a merge replaces. Returns the ids whose byline the batch replaces.

    The merged rows (only those that change) are computed once and kept as an arrow table: most reloads change
    nothing, and then this is one query.
    """
    merged = con.sql(merged_articles_sql(), params={"ids": stored}).to_arrow_table()
    if merged.num_rows == 0:
        return []
    con.register("_merged_articles", merged)
    archive_replaced_versions(con, counts)
    assignments = ", ".join(f"{col} = m.{col}" for col in _MERGED_PAYLOAD)
    counts.articles_updated = count_changed(con, f"""
        UPDATE articles SET {assignments}, updated_at = now()
        FROM _merged_articles AS m
        WHERE articles.article_id = m.article_id
    """)
    return [row[0] for row in con.execute(
        "SELECT article_id FROM _merged_articles WHERE replace_byline"
    ).fetchall()]


def archive_replaced_versions(con: duckdb.DuckDBPyConnection, counts: LoadCounts) -> None:
    """Copy each stored article whose title, deck or body is about to change into article_versions.

    Runs before the UPDATE, inside the batch's transaction, so a version is archived exactly when it is
    replaced. A version became current when the previous one ended, or at the article's first load.
    """
    counts.article_versions_inserted = count_changed(con, """
        INSERT INTO article_versions (article_id, version, title, deck, body_text, body_html, word_count,
                                      content_hash, modified_at, fetched_at, valid_from, valid_to)
        WITH archived AS (
            SELECT article_id FROM _merged_articles WHERE archive
        ), earlier AS (
            SELECT article_id, max(version) AS version, max(valid_to) AS valid_to FROM article_versions
            WHERE article_id IN (SELECT article_id FROM archived)
            GROUP BY article_id
        )
        SELECT a.article_id, coalesce(e.version, 0) + 1, a.title, a.deck, a.body_text, a.body_html,
               a.word_count, a.content_hash, a.modified_at, a.fetched_at, coalesce(e.valid_to, a.first_seen_at),
               now()
        FROM articles AS a
        LEFT JOIN earlier AS e ON e.article_id = a.article_id
        WHERE a.article_id IN (SELECT article_id FROM archived)
    """)


def insert_new_articles(con: duckdb.DuckDBPyConnection, counts: LoadCounts) -> None:
    columns = ", ".join(ARTICLE_SCHEMA.names)
    counts.articles_inserted = count_changed(con, f"""
        INSERT INTO articles ({columns}, field_channels, first_seen_at, updated_at)
        SELECT {columns}, {new_field_channels_sql("b")}, now(), now() FROM _batch_articles AS b
        WHERE NOT EXISTS (SELECT 1 FROM articles AS a WHERE a.article_id = b.article_id)
    """)


def replace_article_authors(con: duckdb.DuckDBPyConnection, only_new: bool) -> None:
    """Make the byline of each article in `_byline_articles` exactly the batch's list, touching only rows that
    differ; articles whose batch byline is empty or weaker are not in it, so their stored byline stays.
    `only_new`: they are all articles inserted by this batch, so there is nothing stored to remove or move."""
    if not only_new:
        _remove_and_move_byline_rows(con)
    con.execute("""
        INSERT INTO article_authors (article_id, author_id, position)
        SELECT b.article_id, b.author_id, b.position FROM _batch_article_authors AS b
        WHERE b.article_id IN (SELECT article_id FROM _byline_articles)
          AND NOT EXISTS (SELECT 1 FROM article_authors AS aa
                          WHERE aa.article_id = b.article_id AND aa.author_id = b.author_id)
    """)


def _remove_and_move_byline_rows(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("""
        DELETE FROM article_authors AS aa
        WHERE aa.article_id IN (SELECT article_id FROM _byline_articles)
          AND NOT EXISTS (SELECT 1 FROM _batch_article_authors AS b
                          WHERE b.article_id = aa.article_id AND b.author_id = aa.author_id)
    """)
    con.execute("""
        UPDATE article_authors SET position = b.position
        FROM _batch_article_authors AS b
        WHERE article_authors.article_id = b.article_id AND article_authors.author_id = b.author_id
          AND b.article_id IN (SELECT article_id FROM _byline_articles)
          AND article_authors.position <> b.position
    """)


def upsert_authors(con: duckdb.DuckDBPyConnection, counts: LoadCounts) -> None:
    # A known author's bio is filled in or replaced only by a non-empty one: pages without a bio never erase it.
    # The kind follows the rules of the loading code (authors loaded before migration 007 start as 'person').
    con.execute("""
        UPDATE authors SET
            bio = CASE WHEN coalesce(b.bio, '') <> '' THEN b.bio ELSE authors.bio END,
            kind = b.kind
        FROM _batch_authors AS b
        WHERE authors.author_id = b.author_id
          AND ((coalesce(b.bio, '') <> '' AND authors.bio IS DISTINCT FROM b.bio)
               OR authors.kind IS DISTINCT FROM b.kind)
    """)
    counts.authors_inserted = count_changed(con, """
        INSERT INTO authors (author_id, display_name, bio, kind, first_seen_at)
        SELECT b.author_id, b.display_name, nullif(b.bio, ''), b.kind, now() FROM _batch_authors AS b
        WHERE NOT EXISTS (SELECT 1 FROM authors AS a WHERE a.author_id = b.author_id)
    """)


def insert_aliases(con: duckdb.DuckDBPyConnection, counts: LoadCounts) -> None:
    counts.aliases_inserted = count_changed(con, """
        INSERT INTO author_aliases (alias, author_id, position)
        SELECT b.alias, b.author_id, b.position FROM _batch_aliases AS b
        WHERE NOT EXISTS (SELECT 1 FROM author_aliases AS a WHERE a.alias = b.alias AND a.author_id = b.author_id)
    """)
