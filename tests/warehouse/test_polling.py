"""Reading adaptive polling's history back from the nightly run reports."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from schemas import RunReport
from schemas.report import PollingDecision
from warehouse.connection import open_writer
from warehouse.polling import last_nightly_skips, recent_checks
from warehouse.queries import record_run

NIGHT = datetime(2026, 11, 1, 2, 30, tzinfo=UTC)


@pytest.fixture
def con(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    with open_writer(tmp_path / "wirehouse.duckdb") as connection:
        yield connection


def nightly(con: duckdb.DuckDBPyConnection, number: int, *decisions: PollingDecision, flow: str = "nightly") -> None:
    at = NIGHT + timedelta(days=number)
    report = RunReport(run_id=f"{flow}-{number}", flow=flow, started_at=datetime.now(UTC) + timedelta(seconds=number),
                       polling=[d.model_copy(update={"at": at}) for d in decisions])
    record_run(con, report)


def test_checks_and_skips_newest_first_of_one_source(con: duckdb.DuckDBPyConnection) -> None:
    nightly(con, 0, PollingDecision(source="blog", checked=True, reason="first check", new_articles=3),
            PollingDecision(source="news", checked=True, reason="first check", new_articles=40))
    nightly(con, 1, PollingDecision(source="blog", checked=True, reason="x", new_articles=0, complete=False))
    nightly(con, 2, PollingDecision(source="blog", checked=False, reason="quiet"))
    nightly(con, 3, PollingDecision(source="blog", checked=True, reason="x", new_articles=1))
    nightly(con, 4, PollingDecision(source="blog", checked=True, reason="backfill"), flow="backfill")
    checks = recent_checks(con, "blog", NIGHT + timedelta(days=3))  # night 3's own run reads the nights before
    assert [(c.checked_at, c.checked, c.new_articles, c.complete) for c in checks] == [
        (NIGHT + timedelta(days=2), False, 0, True),
        (NIGHT + timedelta(days=1), True, 0, False),
        (NIGHT, True, 3, True),
    ]
    assert [c.new_articles for c in recent_checks(con, "news", NIGHT + timedelta(days=9))] == [40]
    assert recent_checks(con, "other", NIGHT + timedelta(days=9)) == []


def test_reports_from_before_polling_have_no_checks(con: duckdb.DuckDBPyConnection) -> None:
    record_run(con, RunReport(run_id="old", flow="nightly", started_at=NIGHT))
    con.execute("UPDATE runs SET report = json_remove(report, '$.polling')")  # a report written before it existed
    assert recent_checks(con, "blog", NIGHT + timedelta(days=1)) == []


def test_last_nightly_skips_are_those_of_the_newest_nightly(con: duckdb.DuckDBPyConnection) -> None:
    nightly(con, 0, PollingDecision(source="blog", checked=False, reason="old skip"))
    assert last_nightly_skips(con) == [("blog", "old skip")]
    nightly(con, 1, PollingDecision(source="blog", checked=False, reason="quiet (…): next check 2026-11-03"),
            PollingDecision(source="news", checked=True, reason="busy (40.0 new a check)", new_articles=41))
    nightly(con, 2, PollingDecision(source="blog", checked=True, reason="x"), flow="backfill")
    assert last_nightly_skips(con) == [("blog", "quiet (…): next check 2026-11-03")]
