"""The collector's input and output: observations built from the stage models of a real WordPress's feed and
post page, summed batch by batch into one run's figures."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from schemas import (
    Discovery,
    DiscoveryWindow,
    FailureRecord,
    FetchedTarget,
    FetchFailure,
    RawResponse,
    Source,
    Target,
    TargetKind,
)
from schemas.health import ArticleObservation, BatchObservation, FailureObservation, ResponseObservation, SelectorTally
from schemas.parse_report import SelectorCheck
from schemas.pipeline import ParsedBatch
from tasks.config import BUNDLED_SOURCES, load_sources
from tasks.health.collector import HealthCollector
from tasks.health.observe import channel_url, observe_batch, observe_discovery
from tasks.normalize.authors import AuthorResolver
from tasks.normalize.task import normalize_all
from tasks.sources.feed.feeds import parse_feed
from tasks.sources.reading import parse_fetched
from tasks.sources.registry import kind_of
from tasks.sources.task import fetch_all, parse_all
from testing.snapshot.client import SnapshotClient
from testing.snapshot.site import SNAPSHOT_NOW
from wirehouse.demo import DEMO_SINCE

SITE = "http://127.0.0.1:8081"
ISIS = f"{SITE}/2017/01/16/isis-shifts-focus-to-syria-as-they-lose-ground-in-iraq/"
NOW = datetime(2026, 11, 27, 13, 40, tzinfo=UTC)


@pytest.fixture
def wordpress(shared: Path) -> Path:
    return shared / "data" / "wordpress" / "twentytwentyone"


def source() -> Source:
    return Source.model_validate({
        "name": "wp", "kind": "feed", "base_url": SITE, "feed_url": f"{SITE}/feed/",
        "selectors": {"body": ".entry-content", "deck": "span.pagesub"},
        "politeness": {"allow_private_addresses": True},
    })


def response(url: str, body: bytes, status: int = 200, elapsed_ms: float = 0.0, role: str = "article"
             ) -> RawResponse:
    return RawResponse(url=url, final_url=url, status=status, headers={"content-type": "text/html; charset=UTF-8"},
                       body=body, fetched_at=NOW, elapsed_ms=elapsed_ms, role=role)


def test_a_real_feed_and_page_make_one_runs_figures(wordpress: Path) -> None:
    feed = (wordpress / "10-feed.xml").read_bytes()
    entries = {e.url: e for e in parse_feed(feed)}
    listing = f"{SITE}/wp-json/wp/v2/posts?after=2026-11-26T00:00:00&page=1"
    discovery = Discovery(
        source="wp",
        targets=[Target(source="wp", kind=TargetKind.HTML_ARTICLE, url=url, channel="feed", discovered_at=NOW,
                        comment_count_hint=entry.comment_count) for url, entry in entries.items()],
        responses=[response(f"{SITE}/feed/", feed, role="feed")],
        failures=[FetchFailure(url=listing, reason="http_401", status=401)],
    )
    isis = next(t for t in discovery.targets if t.url == ISIS)
    page = FetchedTarget(target=isis, responses=[
        response(ISIS, (wordpress / "13-post-isis.html").read_bytes(), elapsed_ms=180.0)])
    article = parse_fetched(page, source())
    unchanged = FetchedTarget(target=discovery.targets[0], not_modified=True,
                              responses=[response(discovery.targets[0].url, b"", 304, 40.0)])
    gone = FetchedTarget(target=discovery.targets[1], failure=FetchFailure(url=discovery.targets[1].url,
                                                                           reason="http_404", status=404),
                         responses=[response(discovery.targets[1].url, b"", 404, 60.0)])
    failures = [FailureRecord(source="wp", url=gone.target.url, stage="fetch", reason="http_404"),
                FailureRecord(source="wp", url=ISIS, stage="comments", reason="comments_unavailable")]
    # the parse stage says which declared selectors it tried on the page and which matched
    assert article.parse_report.selector_checks == [
        SelectorCheck(field="deck", selector="span.pagesub", matched=False),
        SelectorCheck(field="body", selector=".entry-content", matched=True)]
    assert not article.parse_report.body_from_generic

    collector = HealthCollector("run-1", "wp", "nightly", NOW)
    collector.add_window(NOW - timedelta(hours=30), NOW)
    collector.add_discovery(observe_discovery(discovery))
    stored, _ = normalize_all(source(), ParsedBatch(parsed=[(page, article)]), AuthorResolver())
    collector.add_batch(observe_batch([page, unchanged, gone], [(page, article)], stored, failures))
    figures = collector.figures(NOW + timedelta(minutes=2))

    assert figures.window_days == 1.25 and figures.discovered == len(entries) == 10
    assert (figures.attempted, figures.fetched, figures.not_modified, figures.failed) == (3, 1, 1, 1)
    assert figures.failures_by_reason == {"http_404": 1, "comments_unavailable": 1}  # a comment channel: no target
    assert (figures.failed_permanent, figures.failed_transient) == (1, 0)
    assert figures.articles_by_parser == {"site_html": 1} and figures.no_author == 0 and figures.no_date == 0
    assert figures.empty_bodies == 0
    # the feed advertised this post's comments (slash:comments) and the page shows them
    assert isis.comment_count_hint and figures.comments_advertised == isis.comment_count_hint
    assert figures.comments_found == len(article.comments) > 0
    assert (figures.threads_advertised, figures.threads_advertised_empty) == (1, 0)
    assert figures.status_mix == {"200": 1, "304": 1, "404": 1} and figures.requests == 3
    assert figures.latency_median_ms == 60.0 and figures.latency_p95_ms == 180.0
    assert figures.selectors == [SelectorTally(field="body", selector=".entry-content", pages=1, matched=1),
                                 SelectorTally(field="deck", selector="span.pagesub", pages=1, matched=0)]
    channels = {c.url: c for c in figures.channels}
    assert channels[f"{SITE}/wp-json/wp/v2/posts"].dead and channels[f"{SITE}/wp-json/wp/v2/posts"].status == 401
    assert not channels[f"{SITE}/feed/"].dead and channels[f"{SITE}/feed/"].role == "feed"


def test_batches_add_up_and_the_unread_are_not_counted_empty() -> None:
    collector = HealthCollector("run-2", "news", "backfill", NOW)
    for day in range(3):  # a backfill's day chunks: volume is per day of window
        collector.add_window(NOW + timedelta(days=day), NOW + timedelta(days=day + 1))
    article = ArticleObservation(parser="wordpress_rest", body_words=420, has_author=True, has_date=True,
                                 comments_advertised=12, comments_found=12)
    disqus_unread = article.model_copy(update={"comments_read": False, "comments_found": 0})
    stub = ArticleObservation(parser="generic", body_words=3, body_from_generic=True, body_plausible=False,
                              has_author=False, has_date=False, comments_advertised=4, comments_found=0)
    for _ in range(2):
        collector.add_batch(BatchObservation(
            fetched=3, articles=[article, disqus_unread, stub],
            responses=[ResponseObservation(status=s, elapsed_ms=ms) for s, ms in ((200, 100), (200, 300), (0, 0))],
        ))
    figures = collector.figures()
    assert figures.window_days == 3 and figures.articles == 6 and figures.fetched == 6
    assert figures.articles_by_parser == {"wordpress_rest": 4, "generic": 2}
    assert (figures.empty_bodies, figures.generic_fallback, figures.no_author, figures.no_date) == (2, 2, 2, 2)
    assert (figures.bodies_checked, figures.implausible_bodies) == (2, 2)
    # a thread that was not read (no Disqus key) is neither advertised-and-empty nor a failure of the markup
    assert (figures.threads_advertised, figures.threads_advertised_empty) == (4, 2)
    assert figures.status_mix == {"0": 2, "200": 4} and figures.latency_median_ms == 200.0
    assert figures.requests_per_article == 1.0


def test_a_channel_is_its_url_without_the_window_it_was_asked_for() -> None:
    assert channel_url("https://news.example/wp-json/wp/v2/posts?after=2026-12-01&per_page=100#x") == (
        "https://news.example/wp-json/wp/v2/posts")


def test_numbers_in_a_channels_path_stand_for_any_number() -> None:
    assert channel_url("https://news.example/2026/12/03/?paged=2") == "https://news.example/{n}/{n}/{n}/"
    assert channel_url("https://news.example/sitemap-posts-2026-11.xml") == (
        "https://news.example/sitemap-posts-{n}-{n}.xml")
    assert channel_url("http://127.0.0.1:8081/wp-json/wp/v2/posts") == (  # the port and the API's version stay
        "http://127.0.0.1:8081/wp-json/wp/v2/posts")


def test_a_feed_fetched_but_malformed_is_one_failed_request_of_its_channel() -> None:
    feed = f"{SITE}/feed/"
    discovery = Discovery(
        source="wp",
        responses=[response(feed, b"<rss><channel><item>", role="feed"),
                   response(f"{SITE}/2026/11/26/", b"<html></html>", role="archive"),
                   response(f"{SITE}/2026/11/27/", b"<html></html>", role="archive")],
        failures=[FetchFailure(url=feed, reason="bad_feed", detail="not well-formed"),
                  FetchFailure(url=f"{SITE}/wp-json/wp/v2/posts?page=1", reason="http_403", status=403,
                               role="listing")],
    )
    collector = HealthCollector("run-3", "wp", "nightly", NOW)
    collector.add_discovery(observe_discovery(discovery))
    channels = {c.url: c for c in collector.figures().channels}
    assert channels[feed].requests == 1 and channels[feed].dead and channels[feed].reason == "bad_feed"
    assert channels[feed].role == "feed"  # from the response, as the failure did not say
    assert channels[f"{SITE}/{{n}}/{{n}}/{{n}}/"].requests == 2 and not channels[f"{SITE}/{{n}}/{{n}}/{{n}}/"].dead
    assert channels[f"{SITE}/wp-json/wp/v2/posts"].role == "listing"


def test_a_target_fails_once_and_the_gates_rejections_are_implausible_bodies() -> None:
    collector = HealthCollector("run-4", "news", "nightly", NOW)
    plausible = ArticleObservation(parser="site_html", body_words=300, body_plausible=True, has_author=True,
                                   has_date=True)
    collector.add_batch(BatchObservation(
        attempted=10, fetched=9, articles=[plausible] * 5,
        failures=[FailureObservation(stage="fetch", reason="http_404"),
                  *[FailureObservation(stage="parse", reason="unparseable")] * 2,
                  *[FailureObservation(stage="verify", reason="implausible")] * 2,
                  FailureObservation(stage="comments", reason="comments_unavailable")],
    ))
    figures = collector.figures()
    # five of ten targets failed, at whichever stage: a page that fetched and then failed is not counted twice
    assert (figures.attempted, figures.failed) == (10, 5)
    assert (figures.bodies_checked, figures.implausible_bodies) == (7, 2)


def test_authors_and_dates_are_counted_as_the_warehouse_gets_them() -> None:
    """A REST post read without its page has no printed byline when the site keeps no co-author terms: its account
    stands in (the normalizer's fallback), so it is no article without an author."""
    news = next(s for s in load_sources(BUNDLED_SOURCES) if s.name == "antiwar-news")
    news = news.model_copy(update={"fetch_article_html": False})
    client = SnapshotClient("wirehouse-test")

    async def fetch() -> list[FetchedTarget]:
        async with client.session(news) as fetcher:
            window = DiscoveryWindow(start=DEMO_SINCE, end=SNAPSHOT_NOW)
            discovery = await kind_of(news).discover(news, window, fetcher, {})
        return await fetch_all(news, discovery.targets, client)

    fetched = asyncio.run(fetch())
    parsed = parse_all(news, fetched)
    stored, failures = normalize_all(news, parsed, AuthorResolver())
    assert any(not article.bylines for _, article in parsed.parsed)  # Jason Ditz's posts: no co-author term
    batch = observe_batch(fetched, parsed.parsed, stored, parsed.failures + failures)
    assert len(batch.articles) == len(parsed.parsed) >= 10
    assert all(a.has_author and a.has_date and a.parser == "wordpress_rest" for a in batch.articles)
    assert sum(a.comments_found for a in batch.articles) == sum(len(a.comments) for a in stored) > 0
