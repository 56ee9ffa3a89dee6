"""Article history: an edited article's previous version goes to article_versions in the load's transaction."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import duckdb
import pytest

from tests.warehouse.test_load import FETCHED, RUN, SOURCE, make_article, snapshot
from warehouse import comment_steps
from warehouse.connection import open_writer
from warehouse.load import load_batch

ORIGINAL = "While reports of ISIS' outright defeat in Iraq are dramatically overstated, they have lost ground."
CORRECTED = ("While reports of ISIS' outright defeat in Iraq are dramatically overstated, they have lost a lot of "
             "territory since the Mosul offensive began.")


@pytest.fixture
def con(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    with open_writer(tmp_path / "wirehouse.duckdb") as connection:
        yield connection


def history(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return con.execute("""
        SELECT version, title, body_text, valid_from, valid_to, is_current FROM article_history
        WHERE article_id = ? ORDER BY version
    """, [f"{SOURCE}:101"]).fetchall()


def test_an_edited_body_archives_the_previous_version(con: duckdb.DuckDBPyConnection) -> None:
    load_batch(con, SOURCE, [make_article(body=ORIGINAL)], [], [], RUN)
    (first_seen, old_hash), = con.execute("SELECT first_seen_at, content_hash FROM articles").fetchall()

    counts = load_batch(con, SOURCE, [make_article(body=CORRECTED, fetched_at=FETCHED + timedelta(hours=3))],
                        [], [], "run-2")

    assert (counts.articles_updated, counts.article_versions_inserted) == (1, 1)
    (updated_at,), = con.execute("SELECT updated_at FROM articles").fetchall()
    archived = con.execute("""
        SELECT version, body_text, content_hash, fetched_at, valid_from, valid_to FROM article_versions
    """).fetchall()
    assert archived == [(1, ORIGINAL, old_hash, FETCHED, first_seen, updated_at)]
    rows = history(con)
    assert [(v, body, current) for v, _, body, _, _, current in rows] == [(1, ORIGINAL, False), (2, CORRECTED, True)]
    assert rows[1][3] == rows[0][4] and rows[1][4] is None, "the current version starts where the old one ended"


def test_unchanged_refetches_and_byline_changes_write_no_version(con: duckdb.DuckDBPyConnection) -> None:
    load_batch(con, SOURCE, [make_article(body=ORIGINAL)], [], [], RUN)
    again = load_batch(con, SOURCE, [make_article(body=ORIGINAL, fetched_at=FETCHED + timedelta(days=1))],
                       [], [], "run-2")
    byline = load_batch(con, SOURCE, [make_article(body=ORIGINAL, authors=[("Dave DeCamp", None)])], [], [], "run-3")

    assert again.article_versions_inserted == 0 and again.articles_updated == 0
    assert byline.articles_updated == 1 and byline.article_versions_inserted == 0
    assert con.execute("SELECT count(*) FROM article_versions").fetchall() == [(0,)]
    assert [row[0] for row in history(con)] == [1]


def test_successive_edits_chain_their_validity(con: duckdb.DuckDBPyConnection) -> None:
    titles = ["ISIS Shifts Focus to Syria", "ISIS Shifts Focus to Syria as They Lose Ground",
              "ISIS Shifts Focus to Syria as They Lose Ground in Iraq"]
    for n, title in enumerate(titles):
        load_batch(con, SOURCE, [make_article(title=title, body=ORIGINAL)], [], [], f"run-{n}")

    rows = history(con)
    assert [(version, title, current) for version, title, _, _, _, current in rows] == [
        (1, titles[0], False), (2, titles[1], False), (3, titles[2], True)
    ]
    assert rows[0][4] == rows[1][3] and rows[1][4] == rows[2][3]
    assert rows[0][3] < rows[0][4] < rows[1][4]
    # Diffing two versions is a self-join in SQL.
    changed = con.execute("""
        SELECT old.title, new.title FROM article_history AS old
        JOIN article_history AS new ON new.article_id = old.article_id AND new.version = old.version + 1
        WHERE old.title <> new.title ORDER BY old.version
    """).fetchall()
    assert changed == [(titles[0], titles[1]), (titles[1], titles[2])]


def test_a_failed_batch_archives_nothing(con: duckdb.DuckDBPyConnection, monkeypatch: pytest.MonkeyPatch) -> None:
    load_batch(con, SOURCE, [make_article(body=ORIGINAL)], [], [], RUN)
    before = snapshot(con)

    def explode(*_args: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(comment_steps, "_upsert_comment_sections", explode)
    with pytest.raises(RuntimeError):
        load_batch(con, SOURCE, [make_article(body=CORRECTED)], [], [], "run-2")

    assert con.execute("SELECT count(*) FROM article_versions").fetchall() == [(0,)]
    assert snapshot(con) == before
