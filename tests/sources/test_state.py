"""Validators for conditional GETs, read once for a whole window (flows/runners.py) and handed out per batch:
each batch gets exactly what reading the warehouse for that batch alone gives."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from schemas import DiscoveryWindow, FailureRecord, RawResponse, RunReport, Source, Target, TargetKind, Validators
from tasks.load import load_articles, prepare_run
from tasks.sources.state import discovery_validators, first_urls, not_yet_fetched, validators_for, validators_of

BASE = "https://news.example.org"
NOW = datetime(2026, 7, 2, 12, tzinfo=UTC)


def source() -> Source:
    return Source.model_validate({"name": "news", "kind": "wordpress", "base_url": BASE + "/"})


def targets(src: Source) -> list[Target]:
    posts = [Target(source="news", kind=TargetKind.WP_POST, url=f"{BASE}/2026/07/0{n}/post-{n}/", post_id=100 + n,
                    discovered_at=NOW) for n in range(1, 6)]
    pages = [Target(source="news", kind=TargetKind.HTML_ARTICLE, url=f"{BASE}/column-{n}/", discovered_at=NOW)
             for n in range(1, 3)]
    return posts + pages


def stored(url: str, status: int = 200, **headers: str) -> RawResponse:
    return RawResponse(url=url, final_url=url, status=status, headers={"content-type": "text/html", **headers},
                       body=f"<p>{url}</p>".encode(), fetched_at=NOW, role="article")


def test_window_validators_handed_out_per_batch_match_per_batch_reads(db_path: Path) -> None:
    src = source()
    window = targets(src)
    report = RunReport(run_id="r1", flow="nightly", started_at=NOW, sources=["news"])
    prepare_run(db_path, [src], report)
    post_1, post_2, post_3, _, _, column_1, column_2 = window
    responses = [
        stored(first_urls(src, post_1)[0], etag='"p1"'),  # the page
        stored(first_urls(src, post_1)[1], **{"last-modified": "Wed, 01 Jul 2026 10:00:00 GMT"}),  # its REST post
        stored(first_urls(src, post_2)[2], etag='"c2"'),  # only its comment page 1
        stored(first_urls(src, post_3)[0], etag='"p3"'),  # the last try of this one failed: no validators
        stored(first_urls(src, post_3)[1], etag='"j3"'),
        stored(column_1.url, etag='"col1"'),
        stored(column_2.url, status=404, etag='"gone"'),  # not a 200: nothing to validate against
    ]
    failure = FailureRecord(source="news", url=post_3.url, stage="fetch", reason="http_500")
    load_articles(db_path, "news", [], responses, [failure], "r1")

    whole = validators_for(db_path, src, window)
    assert whole == {
        post_1.url: Validators(etag='"p1"'),
        first_urls(src, post_1)[1]: Validators(last_modified="Wed, 01 Jul 2026 10:00:00 GMT"),
        first_urls(src, post_2)[2]: Validators(etag='"c2"'),
        column_1.url: Validators(etag='"col1"'),
    }
    for size in (1, 2, 3, 7):
        for start in range(0, len(window), size):
            batch = window[start : start + size]
            assert validators_of(whole, src, batch) == validators_for(db_path, src, batch), (size, start)


def sitemap_source() -> Source:
    return Source.model_validate({"name": "wire", "kind": "sitemap", "base_url": BASE + "/"})


def sitemap_response(url: str, fetched_at: datetime, body: bytes, role: str = "sitemap", **headers: str
                     ) -> RawResponse:
    return RawResponse(url=url, final_url=url, status=200, headers={"content-type": "application/xml", **headers},
                       body=body, fetched_at=fetched_at, role=role)


def test_discovery_validators_are_those_of_sitemaps_unchanged_since_before_the_window(db_path: Path) -> None:
    src = sitemap_source()
    prepare_run(db_path, [src], RunReport(run_id="r1", flow="nightly", started_at=NOW, sources=["wire"]))
    night_before, earlier = datetime(2026, 7, 1, 2, 30, tzinfo=UTC), datetime(2026, 6, 20, 2, 30, tzinfo=UTC)
    june, july, index = f"{BASE}/sitemaps/2026-06.xml", f"{BASE}/sitemaps/2026-07.xml", f"{BASE}/sitemap_index.xml"
    load_articles(db_path, "wire", [], [
        sitemap_response(june, earlier, b"<urlset>june</urlset>", etag='"june"'),
        sitemap_response(july, earlier, b"<urlset>july 1</urlset>", etag='"july-1"'),
        sitemap_response(july, night_before, b"<urlset>july 2</urlset>", etag='"july-2"'),  # changed since
        sitemap_response(f"{BASE}/sitemap.xml", earlier, b"<urlset/>"),  # no validators to send
        # an index's 304 would hide its children's changes: never asked conditionally
        sitemap_response(index, earlier, b"<sitemapindex/>", role="sitemap_index", etag='"index"'),
        stored(f"{BASE}/2026/06/19/story/", etag='"page"'),  # an article page is not a discovery file
    ], [], "r1")
    # a window from before last night: July's sitemap changed inside it, so only June's may answer 304
    window = DiscoveryWindow(start=datetime(2026, 6, 30, 20, 30, tzinfo=UTC), end=NOW)
    assert discovery_validators(db_path, src, window) == {june: Validators(etag='"june"')}
    # a window after last night: July's newest version is from before it began
    later = DiscoveryWindow(start=datetime(2026, 7, 2, 2, 0, tzinfo=UTC), end=NOW)
    assert discovery_validators(db_path, src, later) == {june: Validators(etag='"june"'),
                                                          july: Validators(etag='"july-2"')}
    # kinds that ask nothing conditionally at discovery get nothing (and cost no query)
    assert discovery_validators(db_path, source(), later) == {}


def test_undated_targets_are_taken_until_their_page_was_fetched_or_failed(db_path: Path) -> None:
    src = sitemap_source()
    prepare_run(db_path, [src], RunReport(run_id="r1", flow="nightly", started_at=NOW, sources=["wire"]))
    undated = [Target(source="wire", url=f"{BASE}/story/{n}", channel="sitemap", discovered_at=NOW) for n in (1, 2, 3)]
    assert not_yet_fetched(db_path, src, undated) == undated
    failure = FailureRecord(source="wire", url=undated[1].url, stage="fetch", reason="timeout")
    load_articles(db_path, "wire", [], [stored(undated[0].url)], [failure], "r1")
    assert not_yet_fetched(db_path, src, undated) == [undated[2]]  # the failed one is retried by its backoff
