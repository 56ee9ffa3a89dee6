"""Acceptance: on a real WordPress, in both themes, bulk reads (posts and comments a hundred posts per request)
build the same warehouse as one request per post (`bulk: false`): nightly, backfill, and again after the site
changes (an edited post, new and moderated comments) with a nightly run and a comment refresh.

Every content table but raw_responses (other URLs were asked) is compared. The requests each path makes are
counted and printed (`-s`): the figures of tasks/sources/wordpress/README.md.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from flows.backfill import backfill
from flows.nightly import nightly
from flows.refresh_comments import refresh_comments
from tasks.fetch.fetcher import Fetcher
from tests.flows.helpers import write_sources
from tests.sources.wordpress.test_bulk import content_digest
from tests.wordpress.conftest import SEED_ARTICLE
from tests.wordpress.content import PERMALINKS, SINCE, SITE_OPTIONS, UNTIL, changed, scenario
from tests.wordpress.fixture import THEMES, WordPressHost, WordPressSite
from tests.wordpress.model import read_seed_article

SOURCE = "wire"
PATHS = {"bulk": {}, "per-post": {"bulk": False}, "bulk, no pages": {"fetch_article_html": False},
         "bulk, no pages or comments": {"fetch_article_html": False, "fetch_comments": False}}


@pytest.fixture(scope="module", params=THEMES)
def fresh_site(request: pytest.FixtureRequest, wordpress: WordPressHost) -> Iterator[WordPressSite]:
    if not SEED_ARTICLE.is_file():
        pytest.skip("../shared reference material is not present (the seed article's thread comes from it)")
    with wordpress.site(request.param, SITE_OPTIONS, PERMALINKS, name=f"bulk_{request.param}") as site:
        yield site


RUNNING = {"path": ""}  # the label of the path whose run is under way


@pytest.fixture
def requests_made(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """Requests sent, by the label in RUNNING (robots.txt and each redirect hop included, retries not again)."""
    counted: Counter[str] = Counter()
    original = Fetcher._get_with_retries

    async def counting(self: Fetcher, *args: Any, **kwargs: Any) -> Any:
        counted[RUNNING["path"]] += 1
        return await original(self, *args, **kwargs)

    monkeypatch.setattr(Fetcher, "_get_with_retries", counting)
    return counted


def test_bulk_reads_build_the_per_post_warehouse(
    fresh_site: WordPressSite, prefect_harness: None, tmp_path: Path, requests_made: Counter[str]
) -> None:
    content = scenario(read_seed_article(SEED_ARTICLE))
    fresh_site.apply(content.ops())
    declared = {"name": SOURCE, "kind": "wordpress", "base_url": fresh_site.base_url + "/",
                "politeness": {"allow_private_addresses": True, "requests_per_second": 1000}}
    sources = {label: write_sources(tmp_path / f"{i}.yaml", [{**declared, **extra}])
               for i, (label, extra) in enumerate(PATHS.items())}
    nightly_dbs = {label: tmp_path / f"nightly-{i}.duckdb" for i, label in enumerate(PATHS)}
    backfill_dbs = {label: tmp_path / f"backfill-{i}.duckdb" for i, label in enumerate(("bulk", "per-post"))}

    def run_nightly(label: str) -> int:
        RUNNING["path"] = label
        before = requests_made[label]
        report = asyncio.run(nightly(sources=[SOURCE], db=str(nightly_dbs[label]), sources_file=str(sources[label]),
                                     since=SINCE, until=UNTIL))
        assert report.status == "completed"
        return requests_made[label] - before

    def same(dbs: dict[str, Path]) -> None:
        assert content_digest(dbs["bulk"]) == content_digest(dbs["per-post"])

    figures = {label: run_nightly(label) for label in PATHS}
    articles = len(content.public_posts())
    same(nightly_dbs)
    with_pages, without = content_digest(nightly_dbs["bulk"]), content_digest(nightly_dbs["bulk, no pages"])
    page_adds = ", ".join(t for t in with_pages if with_pages[t] != without[t]) or "nothing"
    for label in backfill_dbs:
        report = asyncio.run(backfill(source=SOURCE, start=date(2017, 1, 1), end=date(2017, 2, 28), chunk="month",
                                      db=str(backfill_dbs[label]), sources_file=str(sources[label])))
        assert report.status == "completed"
    same(backfill_dbs)

    _, ops = changed(content)
    fresh_site.apply(ops)
    for label in ("bulk", "per-post"):
        run_nightly(label)
        report = asyncio.run(refresh_comments(db=str(backfill_dbs[label]), sources_file=str(sources[label]),
                                              days=36500, now=UNTIL))
        assert report.status == "completed"
    same(nightly_dbs)
    same(backfill_dbs)
    print(f"\n{fresh_site.theme}: requests of a first nightly run, {articles} posts:")
    for label, count in figures.items():
        print(f"  {label:28} {count:3} requests, {count / articles:.2f} per article")
    print(f"  what the article pages add (tables that differ without them): {page_adds}")
    assert figures["bulk"] < figures["per-post"] / 2
