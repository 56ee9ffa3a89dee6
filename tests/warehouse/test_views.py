"""The analyst views over the sample warehouse (tests/warehouse/data.py): each figure worked out by hand."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pytest

from tests.warehouse.data import BODIES, load_sample
from warehouse.connection import open_writer


@pytest.fixture(scope="module")
def con(tmp_path_factory: pytest.TempPathFactory) -> Iterator[duckdb.DuckDBPyConnection]:
    with open_writer(tmp_path_factory.mktemp("views") / "wirehouse.duckdb") as connection:
        load_sample(connection)
        yield connection


def words(key: str) -> int:
    return len(BODIES[key].split())


def test_daily_articles(con: duckdb.DuckDBPyConnection) -> None:
    rows = con.execute("SELECT source, day, articles, words, authors, comments FROM daily_articles "
                       "ORDER BY day, source").fetchall()
    assert rows == [
        ("antiwar-blog", date(2017, 1, 16), 1, words("precision-sales-pitch"), 1, 2),
        ("news-antiwar", date(2017, 1, 16), 1, words("isis-syria"), 1, 5),
        ("news-antiwar", date(2017, 1, 17), 2, words("damascus-car-bomb") + words("iran-funds-amendment"), 2, 3),
        ("original-antiwar", date(2017, 1, 18), 1, words("memorandum-not-peace"), 1, 1),
    ]


def test_author_activity(con: duckdb.DuckDBPyConnection) -> None:
    rows = {r[0]: r[1:] for r in con.execute(
        "SELECT author_id, articles, words, sources, first_published_at, last_published_at FROM author_activity"
    ).fetchall()}
    assert set(rows) == {"jason-ditz", "dave-decamp", "kyle-anzalone", "ron-paul"}
    assert rows["jason-ditz"] == (
        3, words("isis-syria") + words("damascus-car-bomb") + words("iran-funds-amendment"), ["news-antiwar"],
        datetime(2017, 1, 16, 14, 0, tzinfo=UTC), datetime(2017, 1, 17, 18, 10, tzinfo=UTC),
    )
    assert rows["dave-decamp"][:3] == (1, words("iran-funds-amendment"), ["news-antiwar"])


def test_article_comment_activity(con: duckdb.DuckDBPyConnection) -> None:
    rows = {r[0]: r[1:] for r in con.execute("""
        SELECT url, comments, commenters, replies, max_depth, first_comment_at, last_comment_at, comment_count_hint
        FROM article_comment_activity
    """).fetchall()}
    assert rows["https://news-antiwar.example/isis-syria/"] == (
        5, 3, 4, 2, datetime(2017, 1, 17, 0, 0, tzinfo=UTC), datetime(2017, 1, 17, 10, 0, tzinfo=UTC), 5)
    assert rows["https://news-antiwar.example/iran-funds-amendment/"] == (0, 0, 0, 0, None, None, 0)
    assert len(rows) == 5


def test_daily_comments_are_per_utc_day_whatever_the_session_time_zone(con: duckdb.DuckDBPyConnection) -> None:
    expected = [
        ("antiwar-blog", date(2017, 1, 16), 2, 2, 1, 1),
        ("news-antiwar", date(2017, 1, 17), 8, 5, 2, 5),
        ("original-antiwar", date(2017, 1, 18), 1, 1, 1, 0),
    ]
    query = "SELECT source, day, comments, commenters, articles, replies FROM daily_comments ORDER BY day, source"
    assert con.execute(query).fetchall() == expected
    con.execute("SET TimeZone = 'America/Los_Angeles'")  # midnight UTC on the 17th is the 16th there
    try:
        assert con.execute(query).fetchall() == expected
    finally:
        con.execute("SET TimeZone = 'UTC'")


def test_top_commenters(con: duckdb.DuckDBPyConnection) -> None:
    rows = con.execute("""
        SELECT rank, author_name, comments, articles, replies, replies_received FROM top_commenters
        ORDER BY rank, author_name
    """).fetchall()
    assert rows[:2] == [(1, "Don", 4, 2, 2, 3), (2, "Dennis", 2, 1, 1, 0)]
    assert {r[0] for r in rows[2:]} == {3} and len(rows) == 7


def test_comment_threads_roots_and_replies(con: duckdb.DuckDBPyConnection) -> None:
    rows = con.execute("""
        SELECT author_name, depth, root_comment_id, reply_to, source FROM comment_threads
        WHERE article_id = 'news-antiwar:101' ORDER BY path
    """).fetchall()
    root = "news-antiwar:101#c1"
    assert rows == [
        ("Don", 0, root, None, "news-antiwar"),
        ("Tom Mauel", 1, root, "Don", "news-antiwar"),
        ("Don", 2, root, "Tom Mauel", "news-antiwar"),
        ("Bianca", 1, root, "Don", "news-antiwar"),
        ("Don", 2, root, "Bianca", "news-antiwar"),
    ]
    threads = con.execute("SELECT count(DISTINCT root_comment_id) FROM comment_threads").fetchall()
    assert threads == [(5,)]


def test_every_view_and_its_columns_are_described(tmp_path: Path) -> None:
    with open_writer(tmp_path / "w.duckdb") as fresh:
        undocumented = fresh.execute("""
            SELECT c.table_name || '.' || c.column_name FROM duckdb_columns() AS c
            JOIN duckdb_views() AS v ON v.view_name = c.table_name AND NOT v.internal
            WHERE c.comment IS NULL
        """).fetchall()
        assert undocumented == []
