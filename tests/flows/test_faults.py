"""The fault suite: the real nightly flow against a loopback site that misbehaves on chosen URLs.

For each fault: the run finishes, the other articles are all there, the failure is recorded with its reason,
and a second run duplicates nothing.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import duckdb
import pytest

from flows.nightly import nightly
from testing import faults as f
from testing.snapshot.site import SNAPSHOT_NOW
from tests.flows.helpers import FAST_LOOPBACK, news_on_loopback, original_on_loopback, write_sources
from wirehouse.demo import DEMO_SINCE

pytestmark = pytest.mark.usefixtures("prefect_harness")

NEWS_ARTICLES = 11
POST = "/wp-json/wp/v2/posts/173724"
POST_URL_PATH = "/2026/07/02/car-bomb-in-damascus-market-kills-at-least-7/"
COLUMN_PATH = "/paul/2026/07/01/a-memorandum-is-not-peace/"
COLUMN_ARTICLES = 6


def run(db: Path, sources: Path):  # type: ignore[no-untyped-def]
    return asyncio.run(nightly(db=str(db), sources_file=str(sources), since=DEMO_SINCE, until=SNAPSHOT_NOW))


def rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def news_source(base: str, **politeness: object) -> dict[str, object]:
    source = news_on_loopback(base)
    source["fetch_article_html"] = False  # the REST post is the only channel, so a fault on it shows
    source["bulk"] = False  # one request per post: the fault hits one post (bulk faults: tests/sources/wordpress)
    source["politeness"] = {**FAST_LOOPBACK, "timeout_seconds": 1, "max_retries": 2, **politeness}
    return source


LOST = [  # faults after which the article cannot be had this run: (fault, expected failure reason)
    pytest.param(f.status(500), "http_500", id="500"),
    pytest.param(f.sleep_then_serve(3), "timeout", id="read-timeout"),
    pytest.param(f.reset_mid_body, "transport", id="reset-mid-body"),
    pytest.param(f.truncated, "transport", id="truncated-content-length"),
    pytest.param(f.redirect(POST + "?loop=1"), "fetch_error", id="301-loop"),
    pytest.param(f.redirect("https://elsewhere.example/post"), "offsite", id="redirect-offsite"),
    pytest.param(f.gzip_bomb, "too_large", id="gzip-bomb"),
    pytest.param(f.huge_body, "too_large", id="50MB-body"),
    pytest.param(f.body(b"{not json at all", "application/json"), "unparseable", id="malformed-json"),
    pytest.param(f.body(b"<html>maintenance</html>", "text/html"), "bad_content", id="wrong-content-type"),
]


@pytest.mark.parametrize(("fault", "reason"), LOST)
def test_a_lost_article_is_recorded_and_the_run_goes_on(fault: f.Fault, reason: str, tmp_path: Path) -> None:
    site = f.FaultySite("news.antiwar.com")
    site.faults[POST] = fault
    if reason == "fetch_error":  # the loop: every hop redirects to the next
        site.faults[POST] = lambda request, _serve: f.send(request, 301, b"", {"Location": request.path + "x"})
    with site.serve() as base:
        sources = write_sources(tmp_path / "sources.yaml", [news_source(base, max_response_bytes=5_000_000)])
        db = tmp_path / "w.duckdb"
        report = run(db, sources)
        assert report.status == "completed_with_failures"  # honest: the run went on, one article did not load
        assert rows(db, "SELECT count(*) FROM articles") == [(NEWS_ARTICLES - 1,)]
        assert rows(db, "SELECT count(*) FROM articles WHERE post_id = 173724") == [(0,)]
        failures = rows(db, "SELECT url, reason, attempts, resolved_at FROM failures WHERE stage <> 'discover'")
        assert len(failures) == 1
        url, got_reason, attempts, resolved = failures[0]
        assert str(url).endswith(POST_URL_PATH) and attempts == 1 and resolved is None
        assert got_reason == reason or (reason == "transport" and got_reason in ("transport", "timeout"))
        before = rows(db, "SELECT count(*), count(DISTINCT article_id) FROM articles")

        again = run(db, sources)  # the failure is retried (or rediscovered); nothing is duplicated
        assert again.status == "completed_with_failures"
        assert rows(db, "SELECT count(*), count(DISTINCT article_id) FROM articles") == before
        assert (
            rows(db, "SELECT count(*), count(DISTINCT comment_id) FROM comments")[0][0]
            == rows(db, "SELECT count(DISTINCT comment_id) FROM comments")[0][0]
        )
        assert rows(db, "SELECT max(attempts) FROM failures WHERE stage <> 'discover'") == [(2,)]


@pytest.mark.parametrize(
    "fault",
    [
        pytest.param(f.once(f.status(503, {"Retry-After": "1"})), id="503-retry-after-seconds"),
        pytest.param(f.once(f.retry_after_date(429, 1)), id="429-retry-after-http-date"),
        pytest.param(f.once(f.status(502)), id="502-once"),
    ],
)
def test_a_transient_error_is_retried_within_the_run(fault: f.Fault, tmp_path: Path) -> None:
    site = f.FaultySite("news.antiwar.com")
    site.faults[POST] = fault
    with site.serve() as base:
        sources = write_sources(tmp_path / "sources.yaml", [news_source(base)])
        db = tmp_path / "w.duckdb"
        report = run(db, sources)
    assert report.failed == 0 and report.retried >= 1
    assert rows(db, "SELECT count(*) FROM articles") == [(NEWS_ARTICLES,)]
    assert len([p for _, p in site.requests if p.startswith(POST)]) == 2


def test_a_page_recovered_by_a_later_run_resolves_its_failure(tmp_path: Path) -> None:
    site = f.FaultySite("news.antiwar.com")
    site.faults[POST] = f.status(500)
    with site.serve() as base:
        sources = write_sources(tmp_path / "sources.yaml", [news_source(base)])
        db = tmp_path / "w.duckdb"
        run(db, sources)
        del site.faults[POST]  # the server recovers
        run(db, sources)
    assert rows(db, "SELECT count(*) FROM articles") == [(NEWS_ARTICLES,)]
    assert rows(db, "SELECT count(*) FROM failures WHERE resolved_at IS NULL") == [(0,)]


def test_robots_disallow_skips_and_counts(tmp_path: Path) -> None:
    site = f.FaultySite("news.antiwar.com")
    site.faults["/robots.txt"] = f.body(b"User-agent: *\nDisallow: " + POST.encode() + b"\n", "text/plain")
    with site.serve() as base:
        sources = write_sources(tmp_path / "sources.yaml", [news_source(base, obey_robots=True)])
        db = tmp_path / "w.duckdb"
        report = run(db, sources)
    assert report.skipped_by_robots == 1
    assert rows(db, "SELECT count(*) FROM articles") == [(NEWS_ARTICLES - 1,)]
    assert not [p for _, p in site.requests if p.startswith(POST)]
    assert rows(db, "SELECT reason FROM failures") == [("robots",)]


def test_unchanged_pages_answer_304_and_cost_no_write(tmp_path: Path) -> None:
    site = f.FaultySite("original.antiwar.com")
    with site.serve() as base:
        sources = write_sources(tmp_path / "sources.yaml", [original_on_loopback(base)])
        db = tmp_path / "w.duckdb"
        first = run(db, sources)
        responses = rows(db, "SELECT count(*) FROM raw_responses")
        second = run(db, sources)
    assert first.articles_written == COLUMN_ARTICLES and first.not_modified == 0
    assert second.not_modified == COLUMN_ARTICLES and second.parsed == 0 and second.articles_written == 0
    assert rows(db, "SELECT count(*) FROM raw_responses") == responses


def test_malformed_feed_is_recorded_and_rest_still_delivers(tmp_path: Path) -> None:
    site = f.FaultySite("news.antiwar.com")
    site.faults["/feed/"] = f.body(b"<rss><channel><item><title>broken", "application/rss+xml")
    with site.serve() as base:
        sources = write_sources(tmp_path / "sources.yaml", [news_source(base)])
        db = tmp_path / "w.duckdb"
        report = run(db, sources)
    assert report.status == "completed_with_failures"
    assert rows(db, "SELECT count(*) FROM articles") == [(NEWS_ARTICLES,)]
    assert rows(db, "SELECT stage, reason FROM failures") == [("discover", "bad_feed")]


def test_connection_refused_source_fails_alone(tmp_path: Path) -> None:
    site = f.FaultySite("news.antiwar.com")
    with site.serve() as base:
        dead = original_on_loopback("http://127.0.0.1:9", name="dead")  # the discard port: nothing listens
        dead["politeness"] = {**FAST_LOOPBACK, "max_retries": 1}
        sources = write_sources(tmp_path / "sources.yaml", [news_source(base), dead])
        db = tmp_path / "w.duckdb"
        report = run(db, sources)
    assert report.status == "completed_with_failures"  # one source reached: not a failed run
    assert rows(db, "SELECT count(*) FROM articles") == [(NEWS_ARTICLES,)]
    # refused twice without ever answering: given up as unreachable, its requests not retried
    assert rows(db, "SELECT DISTINCT reason FROM failures WHERE source = 'dead'") == [("unreachable",)]


def cp1252_labelled_utf8(page: bytes) -> bytes:
    return page.decode("utf-8").encode("cp1252", errors="replace")


@pytest.mark.parametrize(
    ("fault", "check"),
    [
        pytest.param(
            f.transform(cp1252_labelled_utf8, "text/html; charset=utf-8"),
            lambda body: "’" in body and "\ufffd" not in body,
            id="windows-1252-labelled-utf-8",
        ),
        pytest.param(
            f.transform(lambda page: page.replace(b"<p>", b"<p>\xff\xfe\xc3(", 3), "text/html; charset=utf-8"),
            lambda body: len(body) > 300,
            id="invalid-utf-8-bytes",
        ),
    ],
)
def test_bad_encodings_are_read_not_crashed_on(fault: f.Fault, check, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    site = f.FaultySite("original.antiwar.com")
    site.faults[COLUMN_PATH] = fault
    with site.serve() as base:
        sources = write_sources(tmp_path / "sources.yaml", [original_on_loopback(base)])
        db = tmp_path / "w.duckdb"
        report = run(db, sources)
    assert report.failed == 0
    ((text,),) = rows(db, f"SELECT body_text FROM articles WHERE url LIKE '%{COLUMN_PATH}'")
    assert check(text)


def test_html_without_a_body_is_a_recorded_failure(tmp_path: Path) -> None:
    site = f.FaultySite("original.antiwar.com")
    site.faults[COLUMN_PATH] = f.body(b"<html><head><title>A Memorandum</title></head></html>", "text/html")
    with site.serve() as base:
        sources = write_sources(tmp_path / "sources.yaml", [original_on_loopback(base)])
        db = tmp_path / "w.duckdb"
        report = run(db, sources)
    assert report.status == "completed_with_failures"
    assert rows(db, "SELECT count(*) FROM articles") == [(COLUMN_ARTICLES - 1,)]
    assert rows(db, "SELECT stage, reason FROM failures") == [("parse", "unparseable")]
