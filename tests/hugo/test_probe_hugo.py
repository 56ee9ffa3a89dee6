"""`sources add` on the Hugo news site: a sitemap source, its monthly index and news sitemap, the short feed."""

from __future__ import annotations

import asyncio

import httpx

from tasks.config.entries import validated
from tasks.fetch.fetcher import Fetcher
from tasks.sources.probe import Proposal, probe_site
from testing.hugo import HugoSite
from tests.hugo.test_hugo_site import site_source


def test_the_hugo_site_is_proposed_as_a_sitemap_source_with_its_feed(hugo_site: HugoSite) -> None:
    async def probe() -> Proposal:
        async with httpx.AsyncClient() as client:
            return await probe_site(Fetcher(site_source(hugo_site), client, "wirehouse-test").get,
                                    f"{hugo_site.base_url}/")

    proposal = asyncio.run(probe())
    entry, reasons, base = proposal.entry, proposal.reasons, hugo_site.base_url
    assert entry["kind"] == "sitemap" and entry["base_url"] == f"{base}/"
    assert entry["politeness"] == {"allow_private_addresses": True}  # served on loopback
    assert validated(entry).kind == "sitemap"
    assert entry["sitemaps"] == [f"{base}/sitemap_index.xml", f"{base}/news-sitemap.xml"]
    assert entry["feed_url"] == f"{base}/index.xml"
    assert "declared by the home page; it holds only recent items" in reasons["feed_url"]
    assert "splits 36 sitemaps by period back to 2023-01-01" in reasons["sitemaps"]
    assert reasons["sitemaps_left_out"].startswith(f"{base}/sitemap.xml:")  # Hugo's catch-all, tags and authors too
    assert reasons["rest_api"].startswith("WordPress REST API absent")
    assert reasons["selectors"].startswith("none needed")
    newest = sorted(hugo_site.articles, key=lambda s: s.published)[-3:]
    assert {s.url for s in proposal.findings.samples} == {s.url for s in newest}
