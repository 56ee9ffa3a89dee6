"""A backfill day is done only when it is: an offline backfill fails fast, leaves its days open, and the rerun
against the site once it is up reads exactly those days' articles."""

from __future__ import annotations

import asyncio
import threading
import time
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from flows.backfill import backfill
from schemas.errors import RunFailed
from testing.loopback import free_port
from testing.snapshot.site import SnapshotSite, serve_on_loopback
from tests.flows.helpers import REAL_RETRIES, news_on_loopback, write_sources
from tests.flows.test_flows import query

pytestmark = pytest.mark.usefixtures("prefect_harness")

FIRST, LAST = date(2026, 6, 30), date(2026, 7, 1)


@pytest.fixture
def requests_seen(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every request path the snapshot sites answer, in order."""
    seen: list[str] = []
    lock = threading.Lock()
    real_handle = SnapshotSite.handle

    def handle(self: SnapshotSite, method: str, url: str, headers: dict[str, str]) -> object:
        with lock:
            seen.append(urlsplit(url).path + (f"?{urlsplit(url).query}" if urlsplit(url).query else ""))
        return real_handle(self, method, url, headers)

    monkeypatch.setattr(SnapshotSite, "handle", handle)
    return seen


def _run(db: Path, sources: Path) -> object:
    return asyncio.run(backfill(source="news", start=FIRST, end=LAST, db=str(db), sources_file=str(sources)))


def test_offline_backfill_fails_fast_keeps_its_days_open_and_the_rerun_reads_exactly_them(
    tmp_path: Path, requests_seen: list[str]
) -> None:
    db = tmp_path / "backfill.duckdb"
    port = free_port()  # nothing listens here yet: every connection is refused
    base = f"http://127.0.0.1:{port}"
    sources = write_sources(tmp_path / "sources.yaml", [{**news_on_loopback(base), "politeness": REAL_RETRIES}])

    started = time.monotonic()
    with pytest.raises(RunFailed) as failed:
        _run(db, sources)
    elapsed = time.monotonic() - started
    assert elapsed < 15, f"an absent source took {elapsed:.1f} s"
    assert "no request reached news" in str(failed.value) and "ConnectError" in str(failed.value)
    assert query(db, "SELECT status FROM runs") == [("failed",)]
    assert query(db, "SELECT status, discovery_complete FROM backfill_chunks ORDER BY window_start") == [
        ("open", False), ("open", False)]
    assert query(db, "SELECT count(*) FROM backfill_chunks WHERE completed_at IS NOT NULL") == [(0,)]
    assert {r for (r,) in query(db, "SELECT DISTINCT reason FROM failures")} == {"unreachable"}

    # the site comes up where nothing listened: the rerun reads both days, and only their articles
    with serve_on_loopback("news.antiwar.com", port=port):
        report = _run(db, sources)
    assert report.status == "completed" and report.failed == 0
    articles = {urlsplit(url).path for (url,) in query(db, "SELECT url FROM articles")}
    assert query(db, "SELECT status, pending, discovery_complete FROM backfill_chunks") == [("done", 0, True)] * 2
    assert query(db, "SELECT sum(loaded) FROM backfill_chunks") == [(len(articles),)]
    article_requests = sorted(p for p in requests_seen if p in articles)
    assert articles and article_requests == sorted(articles)  # each of those days' articles, once
    assert report.discovered == len(articles)
    # the articles' failures are resolved (the listings' stay recorded: discover failures are kept as history)
    assert query(db, "SELECT count(*) FROM failures WHERE resolved_at IS NULL AND stage <> 'discover'") == [(0,)]

    # done days are not read again
    requests_seen.clear()
    with serve_on_loopback("news.antiwar.com", port=port):
        again = _run(db, sources)
    assert again.status == "completed" and again.discovered == 0 and requests_seen == []


def test_an_unresolvable_host_ends_the_backfill_within_seconds(tmp_path: Path) -> None:
    db = tmp_path / "backfill.duckdb"
    sources = write_sources(tmp_path / "sources.yaml", [
        {**news_on_loopback("http://news.nonexistent.invalid"), "politeness": REAL_RETRIES}])
    started = time.monotonic()
    with pytest.raises(RunFailed, match=r"Name or service not known|name resolution"):
        _run(db, sources)
    assert time.monotonic() - started < 15
    assert query(db, "SELECT count(*) FROM backfill_chunks WHERE status = 'open'") == [(2,)]

    # what the Prefect UI shows: a Failed flow run whose message is the one line, not a traceback
    state = asyncio.run(backfill(source="news", start=FIRST, end=LAST, db=str(db), sources_file=str(sources),
                                 return_state=True))
    assert state.is_failed() and state.message.startswith("no request reached news: ConnectError: [Errno")
    assert "\n" not in state.message
