"""Opening the warehouse (locks, errors), migrations, and the queries in warehouse/queries.py."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from schemas.pipeline import RawResponse
from schemas.report import FailureRecord, RunReport
from schemas.source import Source
from warehouse.connection import (
    WarehouseBusy,
    WarehouseError,
    hold_writer,
    open_reader,
    open_writer,
    waiting_on_network,
)
from warehouse.load import load_batch
from warehouse.migrate import MIGRATIONS_DIR, available_migrations, current_version, migrate
from warehouse.queries import (
    advance_watermark,
    get_watermark,
    iter_raw_responses,
    recent_runs,
    record_run,
    run_readonly_sql,
    table_counts,
    upsert_sources,
)

REPO = Path(__file__).resolve().parents[2]
BASE_TABLES = {"sources", "articles", "authors", "author_aliases", "article_authors", "comments", "raw_responses",
               "runs", "failures", "backfill_chunks", "article_versions", "commenters", "comment_versions",
               "comment_sections", "source_health"}
SEARCH_TABLES = {"search_documents", "search_postings", "search_terms"}
VIEWS = ["article_bylines", "article_comment_activity", "article_history", "author_activity", "comment_threads",
         "daily_articles", "daily_comments", "source_health_baseline", "top_commenters"]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "wirehouse.duckdb"


@pytest.fixture
def con(db: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    with open_writer(db) as connection:
        yield connection


# --- migrations -------------------------------------------------------------------------------------------


def test_migrating_an_empty_file_creates_every_table_with_descriptions(db: Path) -> None:
    with open_writer(db) as con:
        tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
        assert tables == BASE_TABLES | SEARCH_TABLES | {"schema_version"}
        undocumented = con.execute("""
            SELECT table_name || '.' || column_name FROM duckdb_columns()
            WHERE comment IS NULL AND table_name IN (SELECT table_name FROM duckdb_tables())
        """).fetchall()
        assert undocumented == []
        views = con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal AND comment IS NOT NULL")
        assert sorted(r[0] for r in views.fetchall()) == VIEWS
        applied = con.execute("SELECT version, name FROM schema_version ORDER BY version").fetchall()
        assert applied == [(m.version, m.path.name) for m in available_migrations()]
        assert applied[0] == (1, "001_initial.sql")


def test_rerunning_migrations_is_a_no_op(db: Path) -> None:
    with open_writer(db) as con:
        applied_at = con.execute("SELECT applied_at FROM schema_version").fetchall()
    with open_writer(db) as con:
        assert migrate(con) == len(available_migrations())
        assert con.execute("SELECT applied_at FROM schema_version").fetchall() == applied_at


def test_new_migration_is_applied_and_a_broken_one_rolls_back(db: Path, tmp_path: Path) -> None:
    migrations = tmp_path / "migrations"
    migrations.mkdir()
    shutil.copy(MIGRATIONS_DIR / "001_initial.sql", migrations)
    con = duckdb.connect(str(db))
    try:
        assert migrate(con, migrations) == 1
        (migrations / "002_add_language.sql").write_text(
            "ALTER TABLE articles ADD COLUMN language VARCHAR;\n"
            "COMMENT ON COLUMN articles.language IS 'ISO language code';\n"
        )
        assert migrate(con, migrations) == 2
        assert "language" in {r[0] for r in con.execute("DESCRIBE articles").fetchall()}

        (migrations / "003_broken.sql").write_text(
            "CREATE TABLE half_done (x INTEGER);\nALTER TABLE no_such_table ADD COLUMN y INTEGER;\n"
        )
        with pytest.raises(WarehouseError, match=r"003_broken\.sql"):
            migrate(con, migrations)
        assert current_version(con) == 2
        assert con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'half_done'").fetchall() == [(0,)]
    finally:
        con.close()


def test_a_warehouse_newer_than_the_code_is_refused(db: Path) -> None:
    future = available_migrations()[-1].version + 1
    with open_writer(db) as con:
        con.execute("INSERT INTO schema_version VALUES (?, 'future.sql', now())", [future])
    with pytest.raises(WarehouseError, match="newer"), open_writer(db):
        pass


# --- opening ------------------------------------------------------------------------------------------------


def test_writer_refuses_a_missing_folder(tmp_path: Path) -> None:
    missing = tmp_path / "nope" / "wirehouse.duckdb"
    with pytest.raises(WarehouseError) as info, open_writer(missing):
        pass
    assert "\n" not in str(info.value) and str(missing.parent) in str(info.value)
    assert not missing.parent.exists()


def test_reader_refuses_a_missing_file(db: Path) -> None:
    with pytest.raises(WarehouseError, match="run `wirehouse ingest` first"), open_reader(db):
        pass
    assert not db.exists()


def test_reader_cannot_write(db: Path) -> None:
    with open_writer(db):
        pass
    with open_reader(db) as con, pytest.raises(duckdb.Error):
        con.execute("DELETE FROM articles")


_HOLD_WRITER = """
import sys, time
from pathlib import Path
from warehouse.connection import open_writer
with open_writer(Path(sys.argv[1])) as con:
    print("locked", flush=True)
    time.sleep(float(sys.argv[2]))
"""


def _hold_writer(db: Path, seconds: float) -> subprocess.Popen[str]:
    child = subprocess.Popen([sys.executable, "-c", _HOLD_WRITER, str(db), str(seconds)], cwd=REPO,
                             stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert child.stdout is not None and child.stdout.readline().strip() == "locked"
    return child


def test_reader_waits_for_a_writer_in_another_process(db: Path, caplog: pytest.LogCaptureFixture) -> None:
    with open_writer(db):
        pass
    child = _hold_writer(db, 1.5)
    try:
        started = time.monotonic()
        with caplog.at_level(logging.WARNING, logger="warehouse.connection"), open_reader(db, wait_seconds=30) as con:
            assert con.execute("SELECT count(*) FROM articles").fetchall() == [(0,)]
        assert time.monotonic() - started > 0.5
        assert "warehouse is busy (another writer); retrying…" in caplog.messages
    finally:
        child.kill()
        child.wait(timeout=30)


def test_writer_gives_up_with_warehouse_busy(db: Path) -> None:
    with open_writer(db):
        pass
    child = _hold_writer(db, 60)
    try:
        started = time.monotonic()
        with pytest.raises(WarehouseBusy), open_writer(db, wait_seconds=0.6):
            pass
        assert 0.5 < time.monotonic() - started < 10
    finally:
        child.kill()
        child.wait(timeout=30)


def _can_read_from_another_process(db: Path) -> bool:
    probe = "import duckdb, sys; duckdb.connect(sys.argv[1], read_only=True).close()"
    return subprocess.run([sys.executable, "-c", probe, str(db)], capture_output=True, timeout=60).returncode == 0


def test_a_held_writer_serves_a_run_and_lets_readers_in_when_it_expires(db: Path) -> None:
    with open_writer(db):
        pass
    with hold_writer(db, max_hold_seconds=1.0, memory_limit="128MB", idle_seconds=60):
        with open_writer(db) as first:
            limit = first.execute("SELECT current_setting('memory_limit')").fetchall()[0][0]
            assert limit == "122.0 MiB", limit  # 128 MB in DuckDB's units
            first.execute("INSERT INTO sources VALUES ('s', 'feed', 'https://x/', true, '{}', NULL, now())")
        with open_writer(db) as second, open_reader(db) as reader:
            assert second is first and reader is first, "one connection for the run's writes and its own reads"
        assert not _can_read_from_another_process(db), "held: other processes wait"
        time.sleep(1.1)
        assert _can_read_from_another_process(db), "let go after max_hold_seconds, between two uses"
        with open_reader(db) as reader:  # nothing held now: a plain read-only connection
            assert reader.execute("SELECT count(*) FROM sources").fetchall() == [(1,)]
        with open_writer(db) as fourth:
            assert fourth is not first
    assert _can_read_from_another_process(db), "released when the hold ends"


def test_a_held_writer_lets_go_while_the_run_waits_on_the_network(db: Path) -> None:
    with open_writer(db):
        pass
    with hold_writer(db, max_hold_seconds=60, idle_seconds=60):
        with open_writer(db) as first:
            first.execute("INSERT INTO sources VALUES ('s', 'feed', 'https://x/', true, '{}', NULL, now())")
        with waiting_on_network(db):
            time.sleep(0.05)  # the next batch was all but fetched
        with open_writer(db) as second:
            assert second is first, "a short wait keeps the connection"
        with waiting_on_network(db):
            time.sleep(0.6)
            assert _can_read_from_another_process(db), "let go during the wait, well before max_hold_seconds"
        with open_writer(db) as third:
            assert third is not first
            assert third.execute("SELECT count(*) FROM sources").fetchall() == [(1,)]


def test_a_held_writer_unused_for_idle_seconds_lets_go_where_no_wait_was_marked(db: Path) -> None:
    with open_writer(db):
        pass
    with hold_writer(db, max_hold_seconds=60, idle_seconds=0.3):
        with open_writer(db) as first:
            pass
        time.sleep(0.8)
        assert _can_read_from_another_process(db)
        with open_writer(db) as second:
            assert second is not first


def test_a_reopened_writer_leaves_a_waiting_reader_its_turn(db: Path) -> None:
    with open_writer(db):
        pass
    with hold_writer(db, max_hold_seconds=0, idle_seconds=60):
        with open_writer(db):
            pass  # passes max_hold_seconds at once: closed after this use
        started = time.monotonic()
        with open_writer(db):
            pass
        assert 0.1 <= time.monotonic() - started < 1.5, "a fixed turn: readers retry every 0.05 s"

        mark = db.with_name(db.name + ".waiting")  # what a reader refused the file touches on each try
        stop = threading.Event()

        def reader_waits() -> None:
            while not stop.wait(0.05):
                mark.touch()

        waiter = threading.Thread(target=reader_waits)
        waiter.start()
        try:
            started = time.monotonic()
            threading.Timer(0.8, stop.set).start()
            with open_writer(db):
                pass
            assert 0.8 <= time.monotonic() - started < 2.5, "the run stays out while a reader says it waits"
        finally:
            stop.set()
            waiter.join()
    assert not mark.exists()


def test_a_failed_use_of_the_held_writer_drops_the_connection(db: Path) -> None:
    with hold_writer(db, max_hold_seconds=60):
        with pytest.raises(duckdb.Error), open_writer(db) as con:
            con.execute("BEGIN TRANSACTION")
            con.execute("INSERT INTO nowhere VALUES (1)")
        with open_writer(db) as fresh:
            assert fresh is not con
            assert fresh.execute("SELECT count(*) FROM runs").fetchall() == [(0,)]


def test_a_load_over_the_writers_memory_cap_is_a_clear_error_and_loads_nothing(db: Path) -> None:
    with hold_writer(db, max_hold_seconds=60, memory_limit="16MB"):
        with pytest.raises(WarehouseError, match="WIREHOUSE_WRITER_MEMORY_LIMIT") as failure, open_writer(db) as con:
            con.execute("SET temp_directory = ''")  # nowhere to spill: the 16 MB cap is all DuckDB has
            con.execute("BEGIN TRANSACTION")
            con.execute("INSERT INTO sources VALUES ('s', 'feed', 'https://x/', true, '{}', NULL, now())")
            con.execute("SELECT list(repeat('x', 100) || range) FROM range(1000000)").fetchall()
        assert "16MB" in str(failure.value)
        with open_writer(db) as fresh:
            assert fresh is not con
            assert fresh.execute("SELECT count(*) FROM sources").fetchall() == [(0,)], "the batch was rolled back"


# --- queries ------------------------------------------------------------------------------------------------


def _source(name: str = "news-antiwar", enabled: bool = True) -> Source:
    return Source.model_validate({"name": name, "kind": "wordpress", "base_url": "https://news.antiwar.com/",
                                  "enabled": enabled})


def test_upsert_sources_keeps_the_watermark_and_only_bumps_changed_rows(con: duckdb.DuckDBPyConnection) -> None:
    upsert_sources(con, [_source(), _source("original-antiwar")])
    advance_watermark(con, "news-antiwar", datetime(2024, 5, 1, tzinfo=UTC))
    stamps = dict(con.execute("SELECT name, updated_at FROM sources").fetchall())

    upsert_sources(con, [_source(), _source("original-antiwar", enabled=False)])

    rows = {r[0]: r[1:] for r in con.execute(
        "SELECT name, enabled, updated_at, watermark, config->>'$.kind' FROM sources").fetchall()}
    assert rows["news-antiwar"] == (True, stamps["news-antiwar"], datetime(2024, 5, 1, tzinfo=UTC), "wordpress")
    assert rows["original-antiwar"][0] is False
    assert rows["original-antiwar"][1] > stamps["original-antiwar"]


def test_watermark_only_moves_forward(con: duckdb.DuckDBPyConnection) -> None:
    upsert_sources(con, [_source()])
    assert get_watermark(con, "news-antiwar") is None
    assert get_watermark(con, "unknown") is None
    may = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
    advance_watermark(con, "news-antiwar", may)
    advance_watermark(con, "news-antiwar", may - timedelta(days=3))
    assert get_watermark(con, "news-antiwar") == may
    advance_watermark(con, "news-antiwar", datetime(2024, 5, 2))  # naive means UTC
    assert get_watermark(con, "news-antiwar") == datetime(2024, 5, 2, tzinfo=UTC)
    with pytest.raises(WarehouseError, match="unknown source"):
        advance_watermark(con, "unknown", may)


def test_record_run_inserts_then_updates(con: duckdb.DuckDBPyConnection) -> None:
    start = datetime(2024, 5, 1, 2, 0, tzinfo=UTC)
    report = RunReport(run_id="r1", flow="nightly", started_at=start, sources=["news-antiwar"])
    record_run(con, report)
    record_run(con, RunReport(run_id="r0", flow="demo", started_at=start - timedelta(days=1), status="completed"))
    report.finished_at = start + timedelta(minutes=5)
    report.status = "completed"
    report.articles_written = 12
    report.failures.append(FailureRecord(source="news-antiwar", url="https://x.test/", stage="fetch",
                                         reason="timeout"))
    record_run(con, report)

    runs = recent_runs(con)
    assert [r["run_id"] for r in runs] == ["r1", "r0"]
    assert runs[0]["status"] == "completed" and runs[0]["articles_written"] == 12
    assert runs[0]["sources"] == ["news-antiwar"] and runs[0]["finished_at"] == start + timedelta(minutes=5)
    assert recent_runs(con, limit=1)[0]["run_id"] == "r1"
    assert con.execute("SELECT count(*), max(report->>'$.failures[0].reason') FROM runs").fetchall() == [
        (2, "timeout")
    ]


def test_table_counts_lists_every_base_table(con: duckdb.DuckDBPyConnection) -> None:
    upsert_sources(con, [_source()])
    counts = table_counts(con)
    assert set(counts) == BASE_TABLES
    assert counts["sources"] == 1 and counts["articles"] == 0


def test_run_readonly_sql(con: duckdb.DuckDBPyConnection) -> None:
    upsert_sources(con, [_source()])
    assert run_readonly_sql(con, "SELECT name, enabled FROM sources") == (["name", "enabled"],
                                                                          [("news-antiwar", True)])
    columns, _ = run_readonly_sql(con, "DESCRIBE comment_threads")
    assert "column_name" in columns
    for statement in ("DELETE FROM sources", "DROP TABLE sources", "SELECT 1; SELECT 2"):
        with pytest.raises(WarehouseError):
            run_readonly_sql(con, statement)
    with pytest.raises(WarehouseError, match="no_such_table"):
        run_readonly_sql(con, "SELECT * FROM no_such_table")
    assert table_counts(con)["sources"] == 1


def test_iter_raw_responses_pages_through_everything(con: duckdb.DuckDBPyConnection) -> None:
    start = datetime(2024, 5, 1, tzinfo=UTC)
    responses = [
        RawResponse(url=f"https://news.antiwar.com/?p={i}", final_url=f"https://news.antiwar.com/p{i}/",
                    status=200, headers={"x-wp-total": str(i)}, body=f"<html>{i}</html>".encode(),
                    fetched_at=start + timedelta(seconds=i % 3), role="article")
        for i in range(7)
    ]
    load_batch(con, "news-antiwar", [], responses, [], "run-1")
    load_batch(con, "original-antiwar", [], [responses[0].model_copy(update={"body": b"other"})], [], "run-1")

    batches = list(iter_raw_responses(con, "news-antiwar", batch_size=3))
    assert [len(b) for b in batches] == [3, 3, 1]
    rows = [row for batch in batches for row in batch]
    assert sorted(row["url"] for row in rows) == sorted(r.url for r in responses)
    assert [row["fetched_at"] for row in rows] == sorted(row["fetched_at"] for row in rows)
    first = RawResponse(**rows[0])
    original = next(r for r in responses if r.url == first.url)
    assert (first.body, first.headers, first.final_url) == (original.body, original.headers, original.final_url)
    assert sum(len(b) for b in iter_raw_responses(con)) == 8
