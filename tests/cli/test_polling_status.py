"""`wirehouse status` names the sources the last nightly run left unchecked on purpose, and why."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from typer.testing import CliRunner

from schemas import RunReport
from schemas.report import PollingDecision
from warehouse.connection import open_writer
from warehouse.queries import record_run
from wirehouse.cli import app


def test_status_lists_sources_not_checked_by_the_last_nightly(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    reason = "quiet (nothing new in 2 checks; every 2 nights): next check 2026-12-08"
    with open_writer(db) as con:
        record_run(con, RunReport(run_id="n1", flow="nightly", started_at=datetime.now(UTC), status="completed",
                                  polling=[PollingDecision(source="blog", checked=False, reason=reason),
                                           PollingDecision(source="news", checked=True, reason="busy")]))
    result = CliRunner().invoke(app, ["status", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "Not checked by the last nightly run" in result.output
    assert "blog" in result.output and "quiet" in result.output and "2026-12-08" in result.output
    assert "busy" not in result.output
