"""Migration 009 on a warehouse written by version 8: HTML stored by the old denylist is cleaned in every HTML
column (articles, article_versions, comments, comment_versions); text, hashes and clean rows are untouched."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow as pa

from tests.warehouse.test_safe_html import VECTORS, unsafe_parts
from warehouse.connection import open_writer
from warehouse.migrate import MIGRATIONS_DIR, PYTHON_STEPS, available_migrations, current_version, migrate
from warehouse.safe_html import clean_html

LOADED = datetime(2026, 7, 1, 6, 0, tzinfo=UTC)
URL = "https://news.antiwar.com/2026/07/01/hostile-page/"
HOSTILE = '<p>Officials said. <a href="/next/">next</a></p>' + "".join(vector for _, vector in VECTORS[:30])
COMMENT = '<p>Agreed.</p><a href="java&#9;script:alert(1)">me</a><img src=x onerror=alert(1)><svg/onload=alert(1)>'
CLEAN_BODY = '<p>Nothing to clean: <a href="https://example.org/">a link</a>.</p>'


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict[str, object]]) -> None:
    con.register("_rows", pa.Table.from_pylist(rows))
    con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM _rows")
    con.unregister("_rows")


def version8_warehouse(path: Path, tmp: Path) -> None:
    """A warehouse as version 8 left it, holding HTML the old sanitizer let through in all four columns."""
    old = tmp / "migrations-v8"
    old.mkdir()
    for migration in sorted(MIGRATIONS_DIR.glob("00[1-8]_*.sql")):
        shutil.copy(migration, old)
    con = duckdb.connect(str(path))
    try:
        assert migrate(con, old) == 8
        article = {"source": "news", "title": "Hostile", "body_text": "Officials said.", "word_count": 2,
                   "content_hash": "h", "categories": [], "tags": [], "parser": "wordpress_rest",
                   "fetched_at": LOADED, "first_seen_at": LOADED, "updated_at": LOADED}
        _insert(con, "articles", [
            {**article, "article_id": "a1", "url": URL, "body_html": HOSTILE},
            {**article, "article_id": "a2", "url": "https://news.antiwar.com/clean/", "body_html": CLEAN_BODY}])
        _insert(con, "article_versions", [
            {"article_id": "a1", "version": 1, "title": "Hostile", "body_text": "Officials said.", "word_count": 2,
             "body_html": HOSTILE, "content_hash": "h0", "fetched_at": LOADED, "valid_from": LOADED,
             "valid_to": LOADED}])
        comment = {"article_id": "a1", "depth": 0, "position": 0, "author_name": "Troll", "text": "Agreed. me",
                   "content_hash": "c", "first_seen_at": LOADED, "updated_at": LOADED}
        _insert(con, "comments", [{**comment, "comment_id": "c1", "site_comment_id": "1", "html": COMMENT},
                                  {**comment, "comment_id": "c2", "site_comment_id": "2", "html": "<p>Fine.</p>"}])
        _insert(con, "comment_versions", [
            {"comment_id": "c1", "version": 1, "author_name": "Troll", "text": "Agreed.", "html": COMMENT,
             "content_hash": "c0", "valid_from": LOADED, "valid_to": LOADED}])
    finally:
        con.close()


def test_migration_cleans_every_stored_html_column(tmp_path: Path) -> None:
    db = tmp_path / "v8.duckdb"
    version8_warehouse(db, tmp_path)
    with duckdb.connect(str(db), read_only=True) as con:
        before = con.execute("SELECT body_html FROM articles WHERE article_id = 'a1'").fetchall()[0][0]
    assert unsafe_parts(before), "the fixture must hold what the old sanitizer stored"

    with open_writer(db) as con:
        assert current_version(con) == len(available_migrations()) >= 9
        stored = con.execute("""
            SELECT 'articles', article_id, body_html FROM articles
            UNION ALL SELECT 'article_versions', article_id, body_html FROM article_versions
            UNION ALL SELECT 'comments', comment_id, html FROM comments
            UNION ALL SELECT 'comment_versions', comment_id, html FROM comment_versions""").fetchall()
        assert len(stored) == 6
        for table, key, html in stored:
            assert unsafe_parts(html) == [], (table, key, html)
        body = con.execute("SELECT body_html, body_text, content_hash, updated_at FROM articles "
                           "WHERE article_id = 'a1'").fetchall()[0]
        assert body[0] == clean_html(HOSTILE, URL) and "Officials said." in body[0]
        assert 'href="https://news.antiwar.com/next/"' in body[0], "relative links resolved against articles.url"
        assert body[1:] == ("Officials said.", "h", LOADED)
        assert con.execute("SELECT html FROM comment_versions").fetchall() == [(clean_html(COMMENT, URL),)]
        # rows that were clean already are left exactly as they were
        assert con.execute("SELECT body_html FROM articles WHERE article_id = 'a2'").fetchall() == [(CLEAN_BODY,)]
        assert con.execute("SELECT html FROM comments WHERE comment_id = 'c2'").fetchall() == [("<p>Fine.</p>",)]


def test_a_fresh_warehouse_runs_the_step_on_empty_tables(tmp_path: Path) -> None:
    with duckdb.connect(str(tmp_path / "fresh.duckdb")) as con:
        assert migrate(con) == len(available_migrations())


def test_every_python_step_names_a_migration_file() -> None:
    """A renumbered migration must take its Python step with it."""
    names = {migration.path.name for migration in available_migrations()}
    assert set(PYTHON_STEPS) <= names
