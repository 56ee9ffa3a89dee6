"""A warehouse created by the previous schema version (2) upgrades in place when a writer opens it.

The version-2 file is written with version 2's own columns only (plain INSERTs, not today's load path), so the
test keeps describing that file however load.py evolves.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from tests.warehouse.data import ARTICLES, article
from warehouse.connection import open_reader, open_writer
from warehouse.load import load_batch
from warehouse.migrate import MIGRATIONS_DIR, available_migrations, current_version, migrate
from warehouse.search import pending_documents, refresh_index, search

# Version 2's columns of the tables the test fills (created by 001_initial.sql, never edited).
V2_COLUMNS = {
    "articles": ["article_id", "source", "post_id", "url", "title", "deck", "published_at", "modified_at",
                 "body_text", "body_html", "word_count", "content_hash", "categories", "tags",
                 "comment_count_hint", "parser", "fetched_at"],
    "comments": ["comment_id", "article_id", "site_comment_id", "parent_id", "depth", "position", "author_name",
                 "posted_at", "text", "html", "content_hash"],
    "authors": ["author_id", "display_name", "bio"],
    "article_authors": ["article_id", "author_id", "position"],
}
STAMPED = {"articles": ["first_seen_at", "updated_at"], "comments": ["first_seen_at", "updated_at"],
           "authors": ["first_seen_at"], "article_authors": []}


def _v2_rows() -> dict[str, list[dict]]:
    items = [item for _, item in (article(key) for key, *_ in ARTICLES)]
    authors = {a.author_id: a for item in items for a in item.authors}
    return {
        "articles": [item.article.model_dump() for item in items],
        "comments": [c.model_dump() for item in items for c in item.comments],
        "authors": [a.model_dump() for a in authors.values()],
        "article_authors": [r.model_dump() for item in items for r in item.article_authors],
    }


@pytest.fixture
def version2_db(tmp_path: Path) -> Path:
    old = tmp_path / "migrations-v2"
    old.mkdir()
    for name in ("001_initial.sql", "002_backfill_chunks.sql"):
        shutil.copy(MIGRATIONS_DIR / name, old)
    db = tmp_path / "old.duckdb"
    con = duckdb.connect(str(db))
    try:
        con.execute("SET TimeZone = 'UTC'")
        assert migrate(con, old) == 2
        for table, rows in _v2_rows().items():
            columns = V2_COLUMNS[table]
            con.register("_rows", pa.Table.from_pylist([{c: row[c] for c in columns} for row in rows]))
            stamps = "".join(", now()" for _ in STAMPED[table])
            con.execute(f"INSERT INTO {table} ({', '.join(columns + STAMPED[table])}) "
                        f"SELECT {', '.join(columns)}{stamps} FROM _rows")
            con.unregister("_rows")
    finally:
        con.close()
    return db


def v2_snapshot(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple]]:
    return {table: con.execute(f"SELECT {', '.join(cols + STAMPED[table])} FROM {table} ORDER BY ALL").fetchall()
            for table, cols in V2_COLUMNS.items()}


def test_version_2_file_upgrades_in_place_and_keeps_its_rows(version2_db: Path) -> None:
    con = duckdb.connect(str(version2_db))
    before = v2_snapshot(con)
    con.close()
    assert len(before["articles"]) == 5 and len(before["comments"]) == 11

    with open_writer(version2_db) as con:
        assert current_version(con) == len(available_migrations()) >= 3
        assert v2_snapshot(con) == before
        assert con.execute("SELECT count(*) FROM article_versions").fetchall() == [(0,)]
        history = con.execute("""
            SELECT count(*), count(*) FILTER (WHERE is_current AND version = 1
                AND valid_from = (SELECT first_seen_at FROM articles AS a WHERE a.article_id = h.article_id))
            FROM article_history AS h
        """).fetchall()
        assert history == [(5, 5)]
        # The upgraded comment_threads view keeps its old columns first, in order.
        columns = [r[0] for r in con.execute("DESCRIBE comment_threads").fetchall()]
        assert columns[:9] == ["article_id", "article_title", "path", "depth", "comment_id", "parent_id",
                               "author_name", "posted_at", "text"]
        assert con.execute("SELECT count(*) FROM comment_threads").fetchall() == [(11,)]
        assert con.execute("SELECT sum(articles) FROM daily_articles").fetchall() == [(5,)]

        # History starts with the first edit after the upgrade.
        source, edited = article("isis-syria", title="ISIS Shifts Focus to Syria, Loses Ground in Iraq")
        counts = load_batch(con, source, [edited], [], [], "run-after-upgrade")
        assert counts.article_versions_inserted == 1
        assert con.execute("SELECT version, title FROM article_versions").fetchall() == [
            (1, "ISIS Shifts Focus to Syria as They Lose Ground in Iraq")
        ]

        # Everything the old file held becomes searchable.
        assert pending_documents(con) == 5 + 11
        refresh_index(con)
        assert search(con, "Damascus market")[0].title == "Car Bomb in Damascus Market Kills at Least 7"


def test_a_reader_sees_the_old_schema_until_a_writer_opens_the_file(version2_db: Path) -> None:
    with open_reader(version2_db) as con:
        assert current_version(con) == 2
        with pytest.raises(duckdb.CatalogException):
            con.execute("SELECT * FROM article_versions")
    with open_writer(version2_db):
        pass
    with open_reader(version2_db) as con:
        assert current_version(con) == len(available_migrations())
        assert con.execute("SELECT count(*) FROM daily_articles").fetchall() == [(4,)]


def test_comments_of_an_upgraded_file_are_diffed_not_loaded_twice(version2_db: Path) -> None:
    """Version 5 dropped the comments primary key; threads stored before it have no fingerprint yet."""
    with open_writer(version2_db) as con:
        for key, *_ in ARTICLES:
            source, item = article(key)
            counts = load_batch(con, source, [item], [], [], "reload-after-upgrade")
            assert (counts.comments_inserted, counts.comments_updated, counts.comments_moved) == (0, 0, 0), key
        assert con.execute("SELECT count(*), count(DISTINCT comment_id) FROM comments").fetchall() == [(11, 11)]
        constraints = con.execute(
            "SELECT constraint_type FROM duckdb_constraints() WHERE table_name = 'comments'").fetchall()
        assert ("PRIMARY KEY",) not in constraints
