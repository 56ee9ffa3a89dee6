"""The fetch client a run hands to its stages: chosen once from the flow's transport, live or snapshot."""

from __future__ import annotations

import asyncio
import pickle

import pytest

from schemas import Politeness, Source
from schemas.errors import HttpStatusError
from tasks.fetch.client import LiveClient, fetch_client
from testing.http_server import respond, serve
from testing.snapshot.client import SnapshotClient


def _source(base: str) -> Source:
    return Source(name="t", kind="feed", base_url=base + "/",
                  politeness=Politeness(allow_private_addresses=True, obey_robots=False, max_retries=0))


def test_a_transport_choice_names_its_client_and_the_client_travels_whole() -> None:
    live, snapshot = fetch_client("network", "ua/1"), fetch_client("snapshot", "ua/2")
    assert isinstance(live, LiveClient) and live.throttle and live.user_agent == "ua/1"
    assert isinstance(snapshot, SnapshotClient) and not snapshot.throttle and snapshot.user_agent == "ua/2"
    # Dask pickles task arguments: a client must survive it
    assert isinstance(pickle.loads(pickle.dumps(snapshot)), SnapshotClient)
    assert pickle.loads(pickle.dumps(live)).user_agent == "ua/1"
    with pytest.raises(ValueError, match="network, snapshot"):
        fetch_client("carrier-pigeon")


def test_the_snapshot_client_answers_at_the_sites_real_urls() -> None:
    source = Source(name="news", kind="wordpress", base_url="https://news.antiwar.com/")

    async def fetch() -> tuple[int, bytes]:
        async with SnapshotClient("wirehouse-test").session(source) as fetcher:
            response = await fetcher.get("https://news.antiwar.com/feed/", role="feed")
            return response.status, response.body

    status, body = asyncio.run(fetch())
    assert status == 200 and b"<rss" in body and b"news.antiwar.com" in body


def test_a_live_session_applies_the_sources_rules_over_its_own_client() -> None:
    with serve({"/a": respond(200, b"<html><p>a</p></html>", {"Content-Type": "text/html"}),
                "/gone": respond(404, b"no")}) as (base, hits):
        source = _source(base)

        async def fetch() -> tuple[int, str]:
            async with LiveClient("WirehouseTest/1").session(source) as fetcher:
                page = await fetcher.get(base + "/a", role="article")
                with pytest.raises(HttpStatusError) as gone:
                    await fetcher.get(base + "/gone", role="article")
                return page.status, gone.value.reason

        assert asyncio.run(fetch()) == (200, "http_404")
        assert hits == {"/a": 1, "/gone": 1}
