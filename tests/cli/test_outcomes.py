"""Honest outcomes at the command line: exit codes 0 / 3 / 1, failures grouped by reason, open chunks in status."""

from __future__ import annotations

import asyncio
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from typer.testing import CliRunner

from flows.nightly import nightly
from testing.loopback import free_port
from testing.snapshot.site import SNAPSHOT_NOW, SnapshotResponse, SnapshotSite, serve_on_loopback
from tests.flows.helpers import REAL_RETRIES, news_on_loopback, write_sources
from tests.flows.test_flows import query
from wirehouse.cli import app
from wirehouse.demo import DEMO_SINCE

pytestmark = pytest.mark.usefixtures("prefect_harness")
runner = CliRunner()

GONE = "/wp-json/wp/v2/posts/173701"  # a post of 2026-06-30, deleted: 404 for good
FLAKY = "/wp-json/wp/v2/posts/173715"  # a post of 2026-07-01 whose backend errs: 503 until it recovers


def _one_line(output: str) -> str:
    return " ".join(output.split())


def test_some_failed_pages_exit_3_with_failures_grouped_and_open_chunks_shown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "w.duckdb"
    broken = {GONE: 404, FLAKY: 503}
    real_handle = SnapshotSite.handle

    def handle(self: SnapshotSite, method: str, url: str, headers: dict[str, str]) -> SnapshotResponse:
        status = broken.get(urlsplit(url).path)
        if status:
            body = b'{"code":"rest_post_invalid_id","message":"Invalid post ID.","data":{"status":404}}'
            return SnapshotResponse(status, {"Content-Type": "application/json; charset=UTF-8",
                                             "Content-Length": str(len(body))}, body)
        return real_handle(self, method, url, headers)

    monkeypatch.setattr(SnapshotSite, "handle", handle)
    with serve_on_loopback("news.antiwar.com") as base:
        # one request per post, so the 404 and the 503 hit one post each (bulk faults: tests/sources/wordpress)
        sources = write_sources(tmp_path / "sources.yaml", [{**news_on_loopback(base), "bulk": False}])
        args = ["backfill", "-s", "news", "--start", "2026-06-30", "--end", "2026-07-01", "--db", str(db),
                "--sources-file", str(sources)]
        first = runner.invoke(app, args)
        assert first.exit_code == 3, first.output
        out = _one_line(first.output)
        assert "completed_with_failures" in out and "failed 2" in out
        assert f"failed 1 × http_404 [fetch], e.g. {base}/2026/06/30/" in out
        assert f"failed 1 × http_503 [fetch], e.g. {base}/2026/07/01/" in out and "— HTTP 503" in out

        # a 404 is for good: its day is done; a 503 may pass: its day stays open, and status says so
        assert query(db, "SELECT strftime(window_start, '%m-%d'), status, loaded, failed_permanent, pending "
                        "FROM backfill_chunks ORDER BY window_start") == [
            ("06-30", "done", 2, 1, 0), ("07-01", "open", 3, 0, 1)]
        status = runner.invoke(app, ["status", "--db", str(db)])
        assert status.exit_code == 0
        assert "Open backfill chunks" in status.output and "2026-07-01" in _one_line(status.output)
        assert query(db, "SELECT status FROM runs") == [("completed_with_failures",)]

        # the server recovers: the rerun reads only the open day, and everything it reads loads
        del broken[FLAKY]
        again = runner.invoke(app, args)
        assert again.exit_code == 0, again.output
        assert query(db, "SELECT count(*) FROM backfill_chunks WHERE status = 'done'") == [(2,)]
        assert "discovered 4," in _one_line(again.output)  # the four articles of 07-01, not 06-30's three
    assert "Open backfill chunks" not in runner.invoke(app, ["status", "--db", str(db)]).output


def test_offline_backfill_says_so_up_front_and_exits_1(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    base = f"http://127.0.0.1:{free_port()}"
    sources = write_sources(tmp_path / "sources.yaml", [{**news_on_loopback(base), "politeness": REAL_RETRIES}])
    result = runner.invoke(app, ["backfill", "-s", "news", "--start", "2026-07-01", "--end", "2026-07-02",
                                 "--db", str(db), "--sources-file", str(sources)])
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("warning: network unreachable for news: cannot connect to 127.0.0.1")
    out = _one_line(result.output)
    assert "run failed: no request reached news: ConnectError" in out
    assert "× unreachable [discover]" in out and "Traceback" not in out
    assert query(db, "SELECT count(*) FROM backfill_chunks WHERE status = 'open'") == [(2,)]


def test_offline_ingest_exits_1_and_keeps_the_watermark(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    base = f"http://127.0.0.1:{free_port()}"
    sources = write_sources(tmp_path / "sources.yaml", [{**news_on_loopback(base), "politeness": REAL_RETRIES}])
    result = runner.invoke(app, ["ingest", "--db", str(db), "--sources-file", str(sources)])
    assert result.exit_code == 1, result.output
    assert result.output.startswith("warning: network unreachable for news")
    assert "run failed: no request reached news" in _one_line(result.output)
    assert query(db, "SELECT name, watermark FROM sources") == [("news", None)]  # the days are read next time


def test_comments_refresh_offline_records_its_failures_and_exits_1(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    sources = write_sources(tmp_path / "sources.yaml", [{**news_on_loopback(base), "politeness": REAL_RETRIES}])
    with serve_on_loopback("news.antiwar.com", port=port):
        asyncio.run(nightly(db=str(db), sources_file=str(sources), since=DEMO_SINCE, until=SNAPSHOT_NOW))
    threads = query(db, "SELECT count(*) FROM articles")[0][0]
    assert threads > 0

    # the site is gone: every thread fails, fast, and the failures are recorded under stage 'refresh'
    result = runner.invoke(app, ["comments", "refresh", "--days", "3650", "--db", str(db),
                                 "--sources-file", str(sources)])
    assert result.exit_code == 1, result.output
    out = _one_line(result.output)
    assert "warning: network unreachable for news" in out
    assert f"failed {threads} × unreachable [refresh]" in out and "ConnectError" in out
    assert query(db, "SELECT status FROM runs WHERE flow = 'refresh-comments'") == [("failed",)]
    recorded = query(db, "SELECT stage, reason, detail FROM failures WHERE resolved_at IS NULL")
    assert len(recorded) == threads
    assert all(stage == "refresh" and reason == "unreachable" and "ConnectError" in detail
               for stage, reason, detail in recorded)

    # back online: the threads are read and their refresh failures resolved
    with serve_on_loopback("news.antiwar.com", port=port):
        back = runner.invoke(app, ["comments", "refresh", "--days", "3650", "--db", str(db),
                                   "--sources-file", str(sources)])
    assert back.exit_code == 0, back.output
    assert query(db, "SELECT count(*) FROM failures WHERE resolved_at IS NULL") == [(0,)]
