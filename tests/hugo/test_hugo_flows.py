"""The real flows on the Hugo news site over loopback: a sitemap-only source backfilled over its three years, a
feed source nightly, a sitemap source's nightly runs; each story loaded once, as its content file states it."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pytest

from flows.backfill import backfill
from flows.nightly import nightly
from schemas import RunReport
from tasks.normalize.bodies import normalize_text
from testing.hugo import YEARS, HugoArticle, HugoSite
from tests.acceptance.digest import warehouse_digest
from tests.flows.helpers import FAST_LOOPBACK, write_sources

pytestmark = pytest.mark.usefixtures("prefect_harness")
def query(db: Path, sql: str) -> list[tuple[Any, ...]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def stored_stories(db: Path, source: str) -> dict[str, tuple[Any, ...]]:
    """url -> (title, author names in byline order, published_at, body_text) of each loaded article."""
    rows = query(db, f"""
        SELECT a.url, a.title, b.author_names, a.published_at, a.body_text
        FROM articles a JOIN article_bylines b USING (article_id) WHERE a.source = '{source}'""")
    return {str(url): (title, tuple(names), published, body) for url, title, names, published, body in rows}


def mismatches(stored: dict[str, tuple[Any, ...]], stories: list[HugoArticle], dates: bool) -> list[str]:
    found = []
    for story in stories:
        title, authors, published, body = stored[story.url]
        want = (story.title, story.authors, story.published.astimezone(UTC), normalize_text(story.body_text))
        for name, got, expected in zip(("title", "authors", "date", "body"), (title, authors, published, body), want,
                                       strict=True):
            if (name != "date" or dates) and got != expected:
                found.append(f"{story.path} {name}: {got!r:.80} != {expected!r:.80}")
    return found


@pytest.fixture(scope="module")
def sitemap_backfill(hugo_site: HugoSite, tmp_path_factory: pytest.TempPathFactory
                     ) -> tuple[Path, RunReport, RunReport, dict[str, Any], dict[str, Any]]:
    """A sitemap source declared by its URL alone (its sitemaps found at the usual places), backfilled by month
    over the site's three years, then again."""
    folder = tmp_path_factory.mktemp("hugo-backfill")
    db = folder / "warehouse.duckdb"
    sources = write_sources(folder / "sources.yaml", [
        {"name": "wire", "kind": "sitemap", "base_url": f"{hugo_site.base_url}/", "politeness": FAST_LOOPBACK}])

    def run(redo: bool) -> RunReport:
        return asyncio.run(backfill(source="wire", start=date(YEARS[0], 1, 1), end=date(YEARS[-1], 12, 31),
                                    chunk="month", db=str(db), sources_file=str(sources), redo=redo))

    first = run(redo=False)
    after_first = warehouse_digest(db)
    second = run(redo=True)
    return db, first, second, after_first, warehouse_digest(db)


def test_a_sitemap_backfill_loads_every_story_once(hugo_site: HugoSite, sitemap_backfill: tuple) -> None:
    db, first, *_ = sitemap_backfill
    assert first.status == "completed" and first.failed == 0, first.failures
    urls = [url for (url,) in query(db, "SELECT url FROM articles")]
    assert sorted(urls) == sorted(s.url for s in hugo_site.articles)  # no tag, author or section page
    assert query(db, "SELECT count(*) FROM backfill_chunks WHERE source = 'wire'") == [(36,)]  # every month done
    # each page fetched once: the month it was published in, by the sitemap it is listed in
    assert query(db, "SELECT count(*), count(DISTINCT url) FROM raw_responses WHERE role = 'article'") == [(81, 81)]


def test_each_story_has_its_title_authors_and_body(hugo_site: HugoSite, sitemap_backfill: tuple) -> None:
    db = sitemap_backfill[0]
    assert mismatches(stored_stories(db, "wire"), list(hugo_site.articles), dates=False) == []
    two = next(s for s in hugo_site.articles if len(s.authors) == 2)
    assert stored_stories(db, "wire")[two.url][1] == ("Ana Ruiz", "Ben Okafor")


@pytest.mark.parametrize("section", ["news", "analysis"])
def test_each_story_has_its_publication_time(hugo_site: HugoSite, sitemap_backfill: tuple, section: str) -> None:
    stories = [s for s in hugo_site.articles if s.section == section]
    stored = stored_stories(sitemap_backfill[0], "wire")
    assert {s.path: stored[s.url][2] for s in stories} == {s.path: s.published.astimezone(UTC) for s in stories}


def test_a_second_backfill_writes_nothing(sitemap_backfill: tuple) -> None:
    _, _, second, after_first, after_second = sitemap_backfill
    assert second.status == "completed" and second.failed == 0
    assert (second.articles_written, second.authors_written, second.fetched) == (0, 0, 0)
    assert second.not_modified == second.discovered == 81
    assert after_second == after_first


def test_a_feed_source_nightly_reads_the_feeds_stories(hugo_site: HugoSite, tmp_path: Path) -> None:
    db = tmp_path / "warehouse.duckdb"
    sources = write_sources(tmp_path / "sources.yaml", [
        {"name": "wire-feed", "kind": "feed", "base_url": f"{hugo_site.base_url}/",
         "feed_url": f"{hugo_site.base_url}/index.xml", "politeness": FAST_LOOPBACK}])
    since, until = datetime(2025, 12, 20, tzinfo=UTC), datetime(2026, 1, 1, tzinfo=UTC)

    def run() -> RunReport:
        return asyncio.run(nightly(db=str(db), sources_file=str(sources), since=since, until=until))

    first = run()
    assert first.status == "completed" and first.failed == 0, first.failures
    expected = [s for s in hugo_site.articles if since <= s.published < until]
    stored = stored_stories(db, "wire-feed")
    assert sorted(stored) == sorted(s.url for s in expected) and len(expected) >= 7
    assert mismatches(stored, expected, dates=True) == []  # the page's own date markup: exact times
    before = warehouse_digest(db)
    second = run()
    assert (second.articles_written, second.fetched, second.not_modified) == (0, 0, len(expected))
    assert warehouse_digest(db) == before


def test_a_sitemap_source_nightly_opens_only_what_changed(hugo_site: HugoSite, tmp_path: Path) -> None:
    db = tmp_path / "warehouse.duckdb"
    sources = write_sources(tmp_path / "sources.yaml", [
        {"name": "wire", "kind": "sitemap", "base_url": f"{hugo_site.base_url}/", "politeness": FAST_LOOPBACK,
         "sitemaps": [f"{hugo_site.base_url}/sitemap_index.xml", f"{hugo_site.base_url}/news-sitemap.xml"]}])
    now = datetime.now(UTC)
    since = datetime(2025, 12, 25, tzinfo=UTC)
    first = asyncio.run(nightly(db=str(db), sources_file=str(sources), since=since, until=now))
    assert first.status == "completed" and first.failed == 0, first.failures
    # published in the window, or edited in it (a sitemap dates an edit by its lastmod)
    expected = {s.url for s in hugo_site.articles
                if any(since <= moment.astimezone(UTC) for moment in (s.lastmod, s.published))}
    assert set(stored_stories(db, "wire")) == expected and len(expected) >= 7
    assert query(db, "SELECT watermark FROM sources WHERE name = 'wire'") == [(now,)]

    # A later night, after the sitemaps were stored: the news sitemap is asked with its validators and, unchanged,
    # answers 304; the index is read (an index is never asked conditionally), its months are older than the
    # window by their lastmod: none is opened, nothing is fetched or written.
    served = len(hugo_site.requests)
    later = now + timedelta(hours=1)
    second = asyncio.run(nightly(db=str(db), sources_file=str(sources), since=later, until=later + timedelta(hours=1)))
    assert second.status == "completed" and (second.discovered, second.articles_written) == (0, 0)
    asked = [(path, status) for path, status in hugo_site.requests[served:] if "sitemap" in path]
    assert asked == [("/sitemap_index.xml", 200), ("/news-sitemap.xml", 304)]
