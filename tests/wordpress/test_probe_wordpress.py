"""`sources add` against a real WordPress in both themes: a wordpress source, whatever its sitemaps answer.

WordPress renders its core sitemaps only with PHP's SimpleXML (Debian: php-xml, which tests/wordpress/install_deps.sh
does not install): without it /wp-sitemap.xml answers 501, which the walk must record, not crash on.
"""

from __future__ import annotations

import asyncio

import httpx

from schemas import Politeness, Source
from tasks.config.entries import validated
from tasks.fetch.fetcher import Fetcher
from tasks.sources.probe import Proposal, probe_site
from tasks.sources.sitemap.walk import SitemapWalk, walk_sitemaps
from tests.wordpress.conftest import Wire


def _fetcher_get(base: str, client: httpx.AsyncClient) -> Fetcher:
    source = Source(name="probe", kind="feed", base_url=f"{base}/",
                    politeness=Politeness(allow_private_addresses=True, max_retries=0, requests_per_second=100))
    return Fetcher(source, client, "wirehouse-test")


def test_a_real_wordpress_is_proposed_as_a_wordpress_source(wire: Wire) -> None:
    base = wire.site.base_url

    async def probe() -> tuple[Proposal, SitemapWalk]:
        async with httpx.AsyncClient(timeout=30) as client:
            fetcher = _fetcher_get(base, client)
            proposal = await probe_site(fetcher.get, f"{base}/")
            return proposal, await walk_sitemaps(fetcher.get, [s.url for s in proposal.findings.sitemaps])

    proposal, walk = asyncio.run(probe())
    assert proposal.entry["kind"] == "wordpress" and proposal.entry["feed_url"] == f"{base}/feed/"
    assert validated(proposal.entry).politeness.allow_private_addresses  # it runs on loopback
    assert proposal.findings.rest is not None and proposal.findings.rest.state == "open"
    assert proposal.findings.robots_sitemaps == [f"{base}/wp-sitemap.xml"]
    assert len(proposal.findings.samples) == 3
    if not walk.complete:  # no SimpleXML: the 501 is recorded, the proposal stands on the REST API
        assert [(f.url, f.status) for f in walk.failures] == [(f"{base}/wp-sitemap.xml", 501)]
        return
    # WordPress's own sitemaps (an index of posts, pages, taxonomies and users) list every published post
    assert set(wire.site.links.values()) <= {entry.url for entry in walk.entries}
