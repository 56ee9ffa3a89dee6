"""The plausibility gate on the real flows: an article page that answers 200 with a bot challenge never replaces
the stored article or its thread; the refusal is a failure (stage verify, reason implausible) that the next clean
run resolves."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from flows.nightly import nightly
from flows.refresh_comments import refresh_comments
from testing import faults as f
from testing.snapshot.site import SNAPSHOT_NOW
from tests.flows.helpers import original_on_loopback, write_sources
from tests.flows.test_flows import query
from tests.verify.bad_pages import cloudflare_just_a_moment
from wirehouse.demo import DEMO_SINCE

pytestmark = pytest.mark.usefixtures("prefect_harness")

COLUMN_PATH = "/paul/2026/07/01/a-memorandum-is-not-peace/"
CHALLENGE = f.body(cloudflare_just_a_moment().encode("utf-8"), "text/html; charset=UTF-8")
STORED = f"""SELECT title, body_text, word_count, content_hash, parser, published_at
             FROM articles WHERE url LIKE '%{COLUMN_PATH}'"""
THREAD = f"""SELECT c.comment_id, c.text, c.deleted_at FROM comments c JOIN articles a USING (article_id)
            WHERE a.url LIKE '%{COLUMN_PATH}' ORDER BY c.comment_id"""


def ingest(db: Path, sources: Path):  # type: ignore[no-untyped-def]
    return asyncio.run(nightly(db=str(db), sources_file=str(sources), since=DEMO_SINCE, until=SNAPSHOT_NOW))


def test_a_challenge_page_never_replaces_the_stored_article_and_a_clean_run_resolves_it(tmp_path: Path) -> None:
    site = f.FaultySite("original.antiwar.com")
    db = tmp_path / "w.duckdb"
    with site.serve() as base:
        sources = write_sources(tmp_path / "sources.yaml", [original_on_loopback(base)])
        ingest(db, sources)
        stored, thread = query(db, STORED), query(db, THREAD)
        assert len(stored) == 1 and len(thread) == 3

        site.faults[COLUMN_PATH] = CHALLENGE
        report = ingest(db, sources)
        assert query(db, STORED) == stored and query(db, THREAD) == thread
        ((stage, reason, detail, resolved),) = query(db, "SELECT stage, reason, detail, resolved_at FROM failures")
        assert (stage, reason, resolved) == ("verify", "implausible", None)
        assert str(detail).startswith("challenge page;") and "body" in str(detail)
        assert report.failed == 1 and [x.reason for x in report.failures] == ["implausible"]
        assert query(db, "SELECT count(*) FROM articles WHERE title ILIKE '%moment%'") == [(0,)]

        del site.faults[COLUMN_PATH]  # the site recovers
        ingest(db, sources)
    assert query(db, STORED) == stored
    assert query(db, "SELECT count(*) FROM failures WHERE resolved_at IS NULL") == [(0,)]


def test_a_first_read_that_is_a_challenge_stores_nothing(tmp_path: Path) -> None:
    site = f.FaultySite("original.antiwar.com")
    site.faults[COLUMN_PATH] = CHALLENGE
    db = tmp_path / "w.duckdb"
    with site.serve() as base:
        sources = write_sources(tmp_path / "sources.yaml", [original_on_loopback(base)])
        ingest(db, sources)
        assert query(db, STORED) == []
        assert query(db, "SELECT reason FROM failures WHERE resolved_at IS NULL") == [("implausible",)]
        del site.faults[COLUMN_PATH]
        ingest(db, sources)
    assert len(query(db, STORED)) == 1 and len(query(db, THREAD)) == 3
    assert query(db, "SELECT count(*) FROM failures WHERE resolved_at IS NULL") == [(0,)]


def test_a_refresh_that_reads_a_challenge_page_keeps_the_thread(tmp_path: Path) -> None:
    site = f.FaultySite("original.antiwar.com")
    db = tmp_path / "w.duckdb"
    with site.serve() as base:
        sources = write_sources(tmp_path / "sources.yaml", [original_on_loopback(base)])
        ingest(db, sources)
        thread = query(db, THREAD)
        site.faults[COLUMN_PATH] = CHALLENGE
        report = asyncio.run(refresh_comments(days=3650, db=str(db), sources_file=str(sources), now=SNAPSHOT_NOW))
    assert query(db, THREAD) == thread  # no comment marked deleted
    # a refresh's failures are threads to read again (stage refresh), the failing step first in the detail
    assert [(x.stage, x.reason) for x in report.failures] == [("refresh", "implausible")]
    ((detail,),) = query(db, "SELECT detail FROM failures WHERE reason = 'implausible' AND resolved_at IS NULL")
    assert str(detail).startswith("verify: challenge page;")
