"""Observations for the health collector, built from what the stages already hand each other.

What the stages do not carry yet is passed in by the caller, keyed by target URL:
- `selector_checks`: the declared selectors tried on each page and whether each matched (the parse stage knows
  this where it calls `_first(root, selectors.<field>)`);
- `generic_bodies`: the pages whose body the generic extractor found after the declared body selector did not;
- `plausible`: the plausibility gate's verdict on each body.
Until then those figures stay zero and the rules that read them stay quiet.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from urllib.parse import urlsplit, urlunsplit

from schemas.health import (
    ArticleObservation,
    BatchObservation,
    ChannelObservation,
    DiscoveryObservation,
    FailureObservation,
    ResponseObservation,
    SelectorCheck,
)
from schemas.pipeline import Discovery, FetchedTarget, ParsedArticle
from schemas.report import FailureRecord


def channel_url(url: str) -> str:
    """A discovery channel's identity: its URL without query or fragment (a listing asked for any window)."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


def observe_discovery(discovery: Discovery) -> DiscoveryObservation:
    channels = [
        ChannelObservation(url=channel_url(r.url), role=r.role, ok=200 <= r.status < 400, status=r.status or None,
                           reason="" if 200 <= r.status < 400 else f"http_{r.status}")
        for r in discovery.responses
    ]
    channels += [
        ChannelObservation(url=channel_url(f.url), ok=False, status=f.status, reason=f.reason)
        for f in discovery.failures
    ]
    return DiscoveryObservation(targets=len(discovery.targets), channels=channels)


def observe_batch(
    fetched: Iterable[FetchedTarget],
    parsed: Iterable[tuple[FetchedTarget, ParsedArticle]],
    failures: Iterable[FailureRecord],
    *,
    selector_checks: Mapping[str, list[SelectorCheck]] | None = None,
    generic_bodies: Collection[str] = (),
    plausible: Mapping[str, bool] | None = None,
) -> BatchObservation:
    batch = BatchObservation(failures=[FailureObservation(stage=f.stage, reason=f.reason) for f in failures])
    for item in fetched:
        batch.fetched += item.ok
        batch.not_modified += item.not_modified
        batch.responses += [ResponseObservation(status=r.status, elapsed_ms=r.elapsed_ms, role=r.role)
                            for r in item.responses]
    for item, article in parsed:
        url = item.target.url
        batch.articles.append(observe_article(
            item, article,
            selector_checks=(selector_checks or {}).get(url, []),
            body_from_generic=url in generic_bodies,
            plausible=(plausible or {}).get(url),
        ))
    return batch


def observe_article(
    fetched: FetchedTarget,
    article: ParsedArticle,
    *,
    selector_checks: list[SelectorCheck] | None = None,
    body_from_generic: bool = False,
    plausible: bool | None = None,
) -> ArticleObservation:
    return ArticleObservation(
        parser=article.parser,
        body_words=len(article.body_text.split()),
        body_from_generic=body_from_generic,
        body_plausible=plausible,
        has_author=any(b.strip() for b in article.bylines),
        has_date=article.published_at is not None,
        comments_advertised=fetched.target.comment_count_hint,
        comments_found=len(article.comments),
        comments_read=article.comment_read.fetched,
        selector_checks=selector_checks or [],
    )
