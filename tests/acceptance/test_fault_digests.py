"""Acceptance: the nightly and refresh flows against misbehaving and changing loopback sites build the golden
warehouses (the fault suite's faults, threads that change between runs, a Disqus thread).

See tests/acceptance/digest.py for what a digest covers and how to record goldens again.
"""

from __future__ import annotations

import asyncio
import copy
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from flows.nightly import nightly
from flows.refresh_comments import refresh_comments
from testing import faults as f
from testing.snapshot.site import SNAPSHOT_NOW, SnapshotSite
from tests.acceptance.digest import check_golden
from tests.comments.test_disqus import DisqusSite, disqus_source_entry, fixture
from tests.flows.helpers import FAST_LOOPBACK, news_on_loopback, original_on_loopback, write_sources
from tests.flows.test_faults import COLUMN_PATH, LOST, POST, cp1252_labelled_utf8, news_source
from tests.refresh.test_refresh_comments import ORIGINAL_PATH, LivePage, LiveThread, changed_thread
from wirehouse.demo import DEMO_SINCE

pytestmark = pytest.mark.usefixtures("prefect_harness")
GOLDEN = "faults"


def nightly_run(db: Path, sources: Path) -> None:
    report = asyncio.run(nightly(db=str(db), sources_file=str(sources), since=DEMO_SINCE, until=SNAPSHOT_NOW))
    assert report.status in ("completed", "completed_with_failures")  # the scenario's faults are failures


def refresh_run(db: Path, sources: Path, days: int = 3) -> None:
    report = asyncio.run(refresh_comments(db=str(db), sources_file=str(sources), days=days, now=SNAPSHOT_NOW))
    assert report.status in ("completed", "completed_with_failures")


def loop(request, _serve) -> None:  # type: ignore[no-untyped-def]
    f.send(request, 301, b"", {"Location": request.path + "x"})


NEWS_FAULTS: list[tuple[str, f.Fault, dict[str, object]]] = [
    *((str(p.id), loop if p.id == "301-loop" else p.values[0], {"max_response_bytes": 5_000_000}) for p in LOST),
    ("503-retry-after-seconds", f.once(f.status(503, {"Retry-After": "1"})), {}),
    ("502-once", f.once(f.status(502)), {}),
]


@pytest.mark.parametrize(("name", "fault", "politeness"), NEWS_FAULTS, ids=[n for n, _, _ in NEWS_FAULTS])
def test_a_fault_on_a_post_leaves_the_golden_warehouse(
    name: str, fault: f.Fault, politeness: dict[str, object], tmp_path: Path
) -> None:
    site = f.FaultySite("news.antiwar.com")
    site.faults[POST] = fault
    with site.serve() as base:
        sources = write_sources(tmp_path / "sources.yaml", [news_source(base, **politeness)])
        db = tmp_path / "w.duckdb"
        nightly_run(db, sources)
        check_golden(GOLDEN, f"news/{name}", db)
        nightly_run(db, sources)  # the failure is retried
        check_golden(GOLDEN, f"news/{name}/again", db)


SITE_FAULTS: list[tuple[str, str, str, f.Fault]] = [
    ("robots", "news.antiwar.com", "/robots.txt",
     f.body(b"User-agent: *\nDisallow: " + POST.encode() + b"\n", "text/plain")),
    ("malformed-feed", "news.antiwar.com", "/feed/",
     f.body(b"<rss><channel><item><title>broken", "application/rss+xml")),
    ("windows-1252", "original.antiwar.com", COLUMN_PATH,
     f.transform(cp1252_labelled_utf8, "text/html; charset=utf-8")),
    ("invalid-utf-8", "original.antiwar.com", COLUMN_PATH,
     f.transform(lambda page: page.replace(b"<p>", b"<p>\xff\xfe\xc3(", 3), "text/html; charset=utf-8")),
    ("no-body", "original.antiwar.com", COLUMN_PATH,
     f.body(b"<html><head><title>A Memorandum</title></head></html>", "text/html")),
    ("unchanged-304", "original.antiwar.com", "/nothing-faulty/", f.status(500)),
]


@pytest.mark.parametrize(("name", "host", "path", "fault"), SITE_FAULTS, ids=[n for n, *_ in SITE_FAULTS])
def test_a_site_fault_leaves_the_golden_warehouse(name: str, host: str, path: str, fault: f.Fault,
                                                  tmp_path: Path) -> None:
    site = f.FaultySite(host)
    site.faults[path] = fault
    with site.serve() as base:
        entry = news_source(base, obey_robots=True) if host.startswith("news") else original_on_loopback(base)
        dead = original_on_loopback("http://127.0.0.1:9", name="dead")  # nothing listens on the discard port
        dead["politeness"] = {**FAST_LOOPBACK, "max_retries": 1}
        sources = write_sources(tmp_path / "sources.yaml", [entry, dead])
        db = tmp_path / "w.duckdb"
        nightly_run(db, sources)
        nightly_run(db, sources)  # conditional requests: unchanged pages answer 304
    check_golden(GOLDEN, f"site/{name}", db)


def _edit_rest_thread(live: LiveThread) -> None:
    gained = copy.deepcopy(live.comment(2171392))
    gained.update(id=2171405, parent=2171399, author_name="Grace Okafor", date="2026-07-02T19:50:00",
                  date_gmt="2026-07-02T23:50:00", content={"rendered": "<p>A late reply.</p>\n"})
    live.items.append(gained)
    live.comment(2171392)["content"]["rendered"] += "<p>(Edited: sources added.)</p>"
    live.items.remove(live.comment(2171395))


def test_refresh_of_changed_rest_and_page_threads_leaves_the_golden_warehouse(tmp_path: Path) -> None:
    news, original = f.FaultySite("news.antiwar.com"), f.FaultySite("original.antiwar.com")
    with news.serve() as news_base, original.serve() as original_base:
        comments = json.loads(SnapshotSite(rebase={"news.antiwar.com": news_base}).handle(
            "GET", "https://news.antiwar.com/wp-json/wp/v2/comments?post=173724&per_page=100", {}).body)
        live = LiveThread(copy.deepcopy(comments))
        news.faults["/wp-json/wp/v2/comments?post=173724&"] = live
        page = LivePage(SnapshotSite(rebase={"original.antiwar.com": original_base}).handle(
            "GET", f"https://original.antiwar.com{ORIGINAL_PATH}", {}).body.decode())
        original.faults[ORIGINAL_PATH] = page
        sources = write_sources(tmp_path / "sources.yaml",
                                # per post: the live thread answers at the one post's comment URL
                                [{**news_on_loopback(news_base), "bulk": False}, original_on_loopback(original_base)])
        db = tmp_path / "w.duckdb"
        nightly_run(db, sources)
        check_golden(GOLDEN, "refresh/ingested", db)
        _edit_rest_thread(live)
        page.edit = changed_thread
        refresh_run(db, sources)
        check_golden(GOLDEN, "refresh/changed", db)
        refresh_run(db, sources)
        nightly_run(db, sources)
        check_golden(GOLDEN, "refresh/unchanged-then-nightly", db)


def test_disqus_ingest_and_refresh_leave_the_golden_warehouse(tmp_path: Path) -> None:
    site = DisqusSite()
    with site.serve() as base:
        sources = write_sources(tmp_path / "sources.yaml", [disqus_source_entry(base)])
        db = tmp_path / "w.duckdb"
        report = asyncio.run(nightly(db=str(db), sources_file=str(sources), since=datetime(2026, 6, 30, tzinfo=UTC),
                                     until=SNAPSHOT_NOW))
        assert report.status == "completed"
        check_golden(GOLDEN, "disqus/ingested", db)
        page2 = json.loads(fixture("listPosts-page2.json"))
        posts = page2["response"]
        posts[0]["message"] = "<p>The last one lasted eleven days. Correction: twelve.</p>"
        posts.pop(2)
        site.pages[1] = json.dumps(page2).encode()
        refresh_run(db, sources, days=36500)
        check_golden(GOLDEN, "disqus/refreshed", db)
