"""Bulk reads of WordPress posts and comments (tasks/sources/wordpress/bulk.py) on the snapshot's news site over
loopback: the warehouse equals the per-post one (`bulk: false`) with fewer requests, and a fault on a bulk request,
or one bad item in its answer, falls back to per-post requests for just the posts concerned.

Stored raw responses differ by design (other URLs were asked), as does the stored declaration (`bulk`); every
other content table must be the same.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from flows.nightly import nightly
from testing import faults as f
from testing.snapshot.site import SNAPSHOT_NOW
from tests.acceptance.digest import warehouse_digest
from tests.flows.helpers import FAST_LOOPBACK, news_on_loopback, write_sources
from wirehouse.demo import DEMO_SINCE

pytestmark = pytest.mark.usefixtures("prefect_harness")
BULK_POSTS = "/wp-json/wp/v2/posts?include="
COMMENTS = "/wp-json/wp/v2/comments?post="
PER_POST = "/wp-json/wp/v2/posts/"


def content_digest(db: Path) -> dict[str, Any]:
    """The warehouse digest less raw_responses (bulk and per-post reads ask different URLs) and sources (the
    declarations differ in `bulk`)."""
    return {table: spec for table, spec in warehouse_digest(db).items() if table not in ("raw_responses", "sources")}


def ingest(tmp_path: Path, name: str, bulk: bool, faults: dict[str, f.Fault] | None = None
           ) -> tuple[dict[str, Any], list[str]]:
    """The nightly run of the news site: its content digest and the paths it asked for."""
    site = f.FaultySite("news.antiwar.com")
    site.faults.update(faults or {})
    with site.serve() as base:
        entry = {**news_on_loopback(base), "bulk": bulk,
                 "politeness": {**FAST_LOOPBACK, "timeout_seconds": 1, "max_retries": 1}}
        sources = write_sources(tmp_path / f"{name}.yaml", [entry])
        db = tmp_path / f"{name}.duckdb"
        report = asyncio.run(nightly(db=str(db), sources_file=str(sources), since=DEMO_SINCE, until=SNAPSHOT_NOW))
        assert report.status == "completed"
    return content_digest(db), [path for _, path in site.requests]


@pytest.fixture(scope="module")
def per_post(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], list[str]]:
    return ingest(tmp_path_factory.mktemp("per-post"), "per-post", bulk=False)


def only_bulk(fault: f.Fault) -> f.Fault:
    """`fault` on requests naming several posts (`post=1%2C2`); a one-post request is served as it is."""
    def answer(request, serve: Callable[[], None]) -> None:  # type: ignore[no-untyped-def]
        (fault if "%2C" in request.path else lambda _r, s: s())(request, serve)
    return answer


def spoil_first_item(change: Callable[[dict[str, Any]], dict[str, Any]]) -> Callable[[bytes], bytes]:
    def spoil(body: bytes) -> bytes:
        items = json.loads(body)
        items[0] = change(items[0])
        return json.dumps(items).encode()
    return spoil


def test_bulk_reads_build_the_per_post_warehouse_with_fewer_requests(
    per_post: tuple[dict[str, Any], list[str]], tmp_path: Path
) -> None:
    digest, requests = ingest(tmp_path, "bulk", bulk=True)
    assert digest == per_post[0]
    assert not [p for p in requests if p.startswith(PER_POST)]
    assert len([p for p in requests if p.startswith(BULK_POSTS)]) == 1
    assert len(requests) < len(per_post[1]) / 2


BULK_FAULTS = [
    pytest.param({BULK_POSTS: f.status(500)}, "all", id="posts-500"),
    pytest.param({BULK_POSTS: f.reset_mid_body}, "all", id="posts-reset"),
    pytest.param({BULK_POSTS: f.body(b"[{broken", "application/json")}, "all", id="posts-malformed-json"),
    pytest.param({BULK_POSTS: f.body(b'{"code":"x"}', "application/json")}, "all", id="posts-not-a-list"),
    pytest.param({BULK_POSTS: f.transform(spoil_first_item(lambda p: {"title": p["title"]}), "application/json")},
                 "one", id="posts-one-bad-item"),
    # a server that ignores `include`/`_embed` and answers a bare listing (ids and links, no rendered content)
    pytest.param({BULK_POSTS: f.transform(spoil_first_item(lambda p: {"id": p["id"], "link": p["link"]}),
                                          "application/json")}, "one", id="posts-one-item-without-content"),
    pytest.param({COMMENTS: only_bulk(f.status(500))}, "none", id="comments-500"),
    pytest.param({COMMENTS: only_bulk(f.transform(spoil_first_item(lambda c: {**c, "post": None}),
                                                  "application/json"))}, "none", id="comments-unattributable"),
]


@pytest.mark.parametrize(("faults", "posts_alone"), BULK_FAULTS)
def test_a_fault_on_a_bulk_request_falls_back_to_per_post_requests(
    faults: dict[str, f.Fault], posts_alone: str, per_post: tuple[dict[str, Any], list[str]], tmp_path: Path
) -> None:
    digest, requests = ingest(tmp_path, "bulk", bulk=True, faults=faults)
    assert digest == per_post[0]  # nothing lost, nothing failed: the posts were read one by one
    alone = [p for p in requests if p.startswith(PER_POST)]
    expected = {"all": len([p for p in per_post[1] if p.startswith(PER_POST)]), "one": 1, "none": 0}[posts_alone]
    assert len(alone) == expected
    if posts_alone == "none":  # the threads were read post by post
        assert len([p for p in requests if p.startswith(COMMENTS) and "%2C" not in p]) >= expected + 1
