"""`wirehouse sources add URL --write`, then `wirehouse backfill` over the Hugo site's years, as a user would (and
as the independent check does on an unseen site); and `sources check` on it."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from schemas import Source
from tasks.config import load_sources
from tasks.fetch.client import fetch_client
from tasks.sources.check import check_source
from testing.hugo import HugoSite
from tests.hugo.test_hugo_flows import mismatches, query, stored_stories
from wirehouse.cli import app

runner = CliRunner()
OUR_FILE = """# Sources of the research group. Comments here must survive `sources add --write`.
sources:
  # a feed we read already
  - name: elsewhere   # keep me
    kind: feed
    base_url: 'https://elsewhere.example/'
    feed_url: "https://elsewhere.example/feed/"
"""


@pytest.mark.usefixtures("prefect_harness")
def test_add_write_then_backfill_loads_the_whole_site(hugo_site: HugoSite, tmp_path: Path) -> None:
    sources, db = tmp_path / "sources.yaml", tmp_path / "warehouse.duckdb"
    sources.write_text(OUR_FILE, encoding="utf-8")
    added = runner.invoke(app, ["sources", "add", f"{hugo_site.base_url}/", "--name", "test-wire", "--write"],
                          env={"WIREHOUSE_SOURCES_FILE": str(sources)})
    assert added.exit_code == 0, added.output
    assert f"added source 'test-wire' to {sources}" in added.stderr
    text = sources.read_text(encoding="utf-8")
    assert text.startswith(OUR_FILE)  # the file's own text and comments, untouched
    assert yaml.safe_load(text)["sources"][1] == yaml.safe_load(added.stdout)[0]  # what was printed was written
    (_, wire) = load_sources(sources)
    assert wire.kind == "sitemap" and [str(u) for u in wire.sitemaps] == [
        f"{hugo_site.base_url}/sitemap_index.xml", f"{hugo_site.base_url}/news-sitemap.xml"]

    result = runner.invoke(app, ["backfill", "--source", "test-wire", "--start", "2023-01-01", "--end", "2025-12-31",
                                 "--chunk", "month", "--db", str(db), "--sources-file", str(sources)])
    assert result.exit_code == 0, result.output
    stored = stored_stories(db, "test-wire")
    assert sorted(stored) == sorted(s.url for s in hugo_site.articles)
    assert query(db, "SELECT count(*) = count(DISTINCT url) FROM articles") == [(True,)]
    assert mismatches(stored, list(hugo_site.articles), dates=False) == []
    analysis = [s for s in hugo_site.articles if s.section == "analysis"]  # the news layout: see the xfails
    assert mismatches(stored, analysis, dates=True) == []
    assert query(db, "SELECT count(*) FROM failures") == [(0,)]


def test_check_reads_the_newest_stories_as_a_run_would(hugo_site: HugoSite) -> None:
    wire = Source.model_validate({"name": "wire", "kind": "sitemap", "base_url": f"{hugo_site.base_url}/",
                                  "sitemaps": [f"{hugo_site.base_url}/news-sitemap.xml"],
                                  "politeness": {"allow_private_addresses": True, "requests_per_second": 100}})
    result = asyncio.run(check_source(wire, fetch_client("network"), sample=3, now=datetime(2026, 1, 1, tzinfo=UTC)))
    newest = sorted(hugo_site.articles, key=lambda s: s.published, reverse=True)[:3]
    assert (result.window_days, result.listed) == (7, 3)  # two days held two; the news sitemap lists three
    assert [a.url for a in result.articles] == [s.url for s in newest]
    assert [a.title for a in result.articles] == [s.title for s in newest]
    assert [a.authors for a in result.articles] == [list(s.authors) for s in newest]
    assert all(a.parser == "generic" and a.words > 150 and not a.warnings for a in result.articles)
