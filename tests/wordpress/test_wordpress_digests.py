"""Acceptance: the nightly, backfill and refresh flows against a real WordPress, in both themes, build the golden
warehouses, before and after the site changes (an edited post, new and moderated comments).

Each theme gets a site of its own (not the shared `wire`, which other modules change). See
tests/acceptance/digest.py for what a digest covers and how to record goldens again.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from flows.backfill import backfill
from flows.nightly import nightly
from flows.refresh_comments import refresh_comments
from tests.acceptance.digest import check_golden
from tests.flows.helpers import write_sources
from tests.wordpress.conftest import SEED_ARTICLE
from tests.wordpress.content import PERMALINKS, SINCE, SITE_OPTIONS, UNTIL, changed, scenario
from tests.wordpress.fixture import THEMES, WordPressHost, WordPressSite
from tests.wordpress.model import read_seed_article

SOURCE = "wire"


@pytest.fixture(scope="module", params=THEMES)
def fresh_site(request: pytest.FixtureRequest, wordpress: WordPressHost) -> Iterator[WordPressSite]:
    if not SEED_ARTICLE.is_file():
        pytest.skip("../shared reference material is not present (the seed article's thread comes from it)")
    with wordpress.site(request.param, SITE_OPTIONS, PERMALINKS, name=f"digest_{request.param}") as site:
        yield site


def test_wordpress_flows_build_the_golden_warehouses(
    fresh_site: WordPressSite, prefect_harness: None, tmp_path: Path
) -> None:
    content = scenario(read_seed_article(SEED_ARTICLE))
    fresh_site.apply(content.ops())
    golden = f"wordpress-{fresh_site.theme}"
    sources = write_sources(tmp_path / "sources.yaml", [{
        "name": SOURCE, "kind": "wordpress", "base_url": fresh_site.base_url + "/",
        "politeness": {"allow_private_addresses": True, "requests_per_second": 1000},
    }])
    nightly_db, backfill_db = tmp_path / "nightly.duckdb", tmp_path / "backfill.duckdb"

    def run_nightly() -> None:
        report = asyncio.run(nightly(sources=[SOURCE], db=str(nightly_db), sources_file=str(sources),
                                     since=SINCE, until=UNTIL))
        assert report.status == "completed"

    run_nightly()
    check_golden(golden, "nightly", nightly_db)
    report = asyncio.run(backfill(source=SOURCE, start=date(2017, 1, 1), end=date(2017, 2, 28), chunk="month",
                                  db=str(backfill_db), sources_file=str(sources)))
    assert report.status == "completed"
    check_golden(golden, "backfill", backfill_db)

    _, ops = changed(content)
    fresh_site.apply(ops)
    run_nightly()
    check_golden(golden, "changed/nightly", nightly_db)
    report = asyncio.run(refresh_comments(db=str(backfill_db), sources_file=str(sources), days=36500, now=UNTIL))
    assert report.status == "completed"
    check_golden(golden, "changed/refresh", backfill_db)
