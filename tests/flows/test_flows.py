"""The real nightly and backfill flows under Prefect's test harness, against the bundled snapshot."""

from __future__ import annotations

import asyncio
import hashlib
from datetime import date
from pathlib import Path

import duckdb
import pytest

from flows.backfill import backfill
from flows.nightly import nightly
from testing.snapshot.site import SNAPSHOT_NOW, serve_on_loopback
from tests.flows.helpers import news_on_loopback, original_on_loopback, write_sources
from wirehouse.demo import DEMO_SINCE, SEED_URL

# When a row was fetched or written (and the Date header of a response) differs between two runs;
# what it says must not.
VOLATILE_COLUMNS = {"first_seen_at", "updated_at", "fetched_at", "run_id", "elapsed_ms", "headers"}
CONTENT_TABLES = ["articles", "authors", "author_aliases", "article_authors", "comments", "raw_responses"]


pytestmark = pytest.mark.usefixtures("prefect_harness")


def table_digest(db: Path, timeless: bool = False) -> dict[str, str]:
    """A digest of every content table's rows, to compare two warehouses or two moments.

    `timeless` leaves out REST listings: their URLs carry the run's own `before=now`.
    """
    con = duckdb.connect(str(db), read_only=True)
    try:
        digests = {}
        for table in CONTENT_TABLES:
            columns = [name for (name,) in con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position",
                [table]).fetchall() if name not in VOLATILE_COLUMNS]
            where = "WHERE role <> 'listing'" if timeless and table == "raw_responses" else ""
            rows = con.execute(f"SELECT {', '.join(columns)} FROM {table} {where} ORDER BY ALL").fetchall()
            digests[table] = hashlib.sha256(repr(rows).encode()).hexdigest()
        return digests
    finally:
        con.close()


def query(db: Path, sql: str, params: list[object] | None = None) -> list[tuple[object, ...]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory, prefect_harness: None) -> Path:
    db = tmp_path_factory.mktemp("demo") / "warehouse.duckdb"
    report = asyncio.run(nightly(db=str(db), transport="snapshot", since=DEMO_SINCE, until=SNAPSHOT_NOW))
    assert report.status == "completed" and report.failed == 0
    return db


def test_seed_article_round_trips(demo_db: Path) -> None:
    ((title, deck, body, article_id),) = query(
        demo_db, "SELECT title, deck, body_text, article_id FROM articles WHERE url = ?", [SEED_URL])
    assert title == "ISIS Shifts Focus to Syria as They Lose Ground in Iraq"
    assert deck == "Deir Ezzor offensive seen as effort to shore up control in Syria’s east"
    assert body.startswith("While reports of ISIS’ outright defeat in Iraq are dramatically overstated")
    assert body.endswith("shore up their control over the eastern half of the country.")
    assert "Author:" not in body and "news editor" not in body

    authors = query(demo_db, """SELECT au.display_name, au.bio FROM article_authors aa JOIN authors au USING (author_id)
                                WHERE aa.article_id = ? ORDER BY aa.position""", [article_id])
    assert authors == [("Jason Ditz", "Jason Ditz is news editor of Antiwar.com.")]

    thread = query(demo_db, """SELECT t.depth, t.author_name, p.author_name FROM comment_threads t
                               LEFT JOIN comments p ON p.comment_id = t.parent_id
                               WHERE t.article_id = ? ORDER BY t.path""", [article_id])
    assert thread == [(0, "Don", None), (1, "Tom Mauel", "Don"), (2, "Don", "Tom Mauel"),
                      (1, "Bianca", "Don"), (2, "Don", "Bianca")]


def test_author_disagreements_end_as_one_row_per_person(demo_db: Path) -> None:
    names = {row[0] for row in query(demo_db, "SELECT display_name FROM authors")}
    ids = {row[0] for row in query(demo_db, "SELECT author_id FROM authors")}
    assert {"Jason Ditz", "Kelley Beaucar Vlahos", "Noah Carl", "Ron Paul", "Daniel McAdams"} <= names
    assert not ids & {"jason", "vlahos", "noahcarl", "paul-mcadams", "marc-a-scaringi"}
    assert len([n for n in names if "Scaringi" in n]) == 1
    # the shared account stands for both people, in byline order
    assert query(demo_db, "SELECT author_id FROM author_aliases WHERE alias = 'paul mcadams' ORDER BY position") == [
        ("ron-paul",), ("daniel-mcadams",)]
    bylines = query(demo_db, """SELECT byline FROM article_bylines b JOIN articles a USING (article_id)
                                WHERE a.source = 'antiwar-blog' AND byline LIKE '%McAdams%'""")
    assert bylines and all(b == ("Ron Paul, Daniel McAdams",) for b in bylines)


def test_every_source_loaded_with_utc_dates_and_canonical_urls(demo_db: Path) -> None:
    per_source = dict(query(demo_db, "SELECT source, count(*) FROM articles GROUP BY source"))
    assert set(per_source) == {"antiwar-news", "antiwar-blog", "antiwar-original"}
    assert all(count >= 5 for count in per_source.values())
    assert query(demo_db, "SELECT count(*) FROM articles WHERE url LIKE '%utm_%' OR url LIKE '%#%'") == [(0,)]
    assert query(demo_db, "SELECT count(*) FROM articles WHERE published_at IS NULL OR word_count < 50") == [(0,)]
    assert query(demo_db, "SELECT count(*) FROM runs WHERE status = 'completed'") == [(1,)]


def test_second_run_changes_nothing(demo_db: Path) -> None:
    before = table_digest(demo_db)
    report = asyncio.run(nightly(db=str(demo_db), transport="snapshot", since=DEMO_SINCE, until=SNAPSHOT_NOW))
    assert report.articles_written == 0 and report.comments_written == 0
    assert table_digest(demo_db) == before


def test_crash_mid_run_then_rerun_equals_a_clean_run(tmp_path: Path, demo_db: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    import tasks.load as load_stage

    db = tmp_path / "crashed.duckdb"
    real_load = load_stage.load_batch
    calls = {"n": 0}

    def crash_from_third_batch(*args: object, **kwargs: object) -> object:
        calls["n"] += 1
        if calls["n"] >= 3:  # every retry of the task crashes too, so the run dies here
            raise RuntimeError("simulated crash mid-load")
        return real_load(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(load_stage, "load_batch", crash_from_third_batch)
    monkeypatch.setenv("WIREHOUSE_BATCH_SIZE", "4")
    with pytest.raises(RuntimeError):
        asyncio.run(nightly(db=str(db), transport="snapshot", since=DEMO_SINCE, until=SNAPSHOT_NOW))
    assert query(db, "SELECT status FROM runs") == [("failed",)]
    partial = query(db, "SELECT count(*) FROM articles")[0][0]
    assert 0 < partial < query(demo_db, "SELECT count(*) FROM articles")[0][0]

    monkeypatch.setattr(load_stage, "load_batch", real_load)
    asyncio.run(nightly(db=str(db), transport="snapshot", since=DEMO_SINCE, until=SNAPSHOT_NOW))
    # the clean run at the same batch size: WordPress bulk reads ask for a batch's posts together, so the stored
    # raw responses (not the content read from them) follow the batching
    clean = tmp_path / "clean.duckdb"
    asyncio.run(nightly(db=str(clean), transport="snapshot", since=DEMO_SINCE, until=SNAPSHOT_NOW))
    assert table_digest(db) == table_digest(clean)
    assert {k: v for k, v in table_digest(db).items() if k != "raw_responses"} == {
        k: v for k, v in table_digest(demo_db).items() if k != "raw_responses"}


def test_backfill_over_loopback_is_resumable(tmp_path: Path) -> None:
    db = tmp_path / "backfill.duckdb"
    with serve_on_loopback("news.antiwar.com") as base:
        sources = write_sources(tmp_path / "sources.yaml", [news_on_loopback(base)])
        first = asyncio.run(backfill(source="news", start=date(2026, 6, 30), end=date(2026, 7, 1), db=str(db),
                                     sources_file=str(sources)))
        assert first.status == "completed" and first.failed == 0
        days_loaded = query(db, "SELECT count(*) FROM backfill_chunks WHERE source = 'news'")[0][0]
        assert days_loaded == 2
        first_days = query(db, "SELECT count(*) FROM articles")[0][0]
        assert first_days == first.discovered > 0

        # interrupted-and-rerun: the done days are skipped, a new day is read
        again = asyncio.run(backfill(source="news", start=date(2026, 6, 30), end=date(2026, 7, 2), db=str(db),
                                     sources_file=str(sources)))
        assert query(db, "SELECT count(*) FROM backfill_chunks")[0][0] == 3
        assert again.discovered == query(db, "SELECT count(*) FROM articles")[0][0] - first_days > 0
        urls = [row[0] for row in query(db, "SELECT url FROM articles")]
        assert all(url.startswith(base) for url in urls)


def test_feed_source_over_loopback_reads_html_and_comments(tmp_path: Path) -> None:
    db = tmp_path / "original.duckdb"
    with serve_on_loopback("original.antiwar.com") as base:
        sources = write_sources(tmp_path / "sources.yaml", [original_on_loopback(base)])
        report = asyncio.run(nightly(db=str(db), sources_file=str(sources), since=DEMO_SINCE, until=SNAPSHOT_NOW))
    assert report.failed == 0 and report.articles_written >= 5
    rows = query(db, "SELECT body_text FROM articles")
    assert all("Share" not in body[-200:] and len(body) > 300 for (body,) in rows)
    assert query(db, "SELECT count(*) FROM comments")[0][0] >= 3
    assert query(db, "SELECT count(*) FROM articles WHERE post_id IS NULL")[0][0] == 0
