"""Fetch everything one target needs: the post (JSON or HTML), its comment pages, its article page."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence
from datetime import UTC, datetime

from schemas import FetchedTarget, FetchFailure, RawResponse, Source, Target, TargetKind
from tasks.discover.wordpress_rest import comments_url, post_url, total_pages
from tasks.fetch.client import Fetcher
from tasks.fetch.errors import FetchError

MAX_COMMENT_PAGES = 50  # 5,000 comments at 100 a page: beyond that a thread is not a comment section


async def fetch_targets(source: Source, targets: Sequence[Target], fetcher: Fetcher) -> list[FetchedTarget]:
    """All targets of a batch concurrently, at most `max_concurrency` at a time; never raises."""
    semaphore = asyncio.Semaphore(source.politeness.max_concurrency)

    async def one(target: Target) -> FetchedTarget:
        async with semaphore:
            return await fetch_target(source, target, fetcher)

    return list(await asyncio.gather(*(one(t) for t in targets)))


async def fetch_target(source: Source, target: Target, fetcher: Fetcher) -> FetchedTarget:
    try:
        if target.kind is TargetKind.WP_POST and target.post_id is not None:
            responses = await _fetch_wp_post(source, target, fetcher)
        else:
            responses = [await fetcher.get(target.url, role="article")]
    except FetchError as exc:
        failure = FetchFailure(url=exc.url, reason=exc.reason, detail=exc.detail, status=exc.status)
        return FetchedTarget(target=target, failure=failure)
    return FetchedTarget(target=target, responses=responses)


async def _fetch_wp_post(source: Source, target: Target, fetcher: Fetcher) -> list[RawResponse]:
    assert target.post_id is not None
    responses = [await fetcher.get(post_url(source, target.post_id), role="post_json")]
    if source.fetch_comments:
        responses.extend(await _fetch_comment_pages(source, target.post_id, fetcher))
    if source.fetch_article_html:
        # the REST post carries the article; the page only adds its deck and rendered byline
        with contextlib.suppress(FetchError):
            responses.append(await fetcher.get(target.url, role="article"))
    return responses


async def _fetch_comment_pages(source: Source, post_id: int, fetcher: Fetcher) -> list[RawResponse]:
    """Every page of approved comments; a failed page is marked by a response with status 0."""
    pages: list[RawResponse] = []
    page, last = 1, 1
    while page <= min(last, MAX_COMMENT_PAGES):
        url = comments_url(source, post_id, page)
        try:
            response = await fetcher.get(url, role="comments_json")
        except FetchError as exc:
            # keep the article; the parse stage sees the gap and marks its comments incomplete
            pages.append(_gap(url, exc))
            break
        pages.append(response)
        last = total_pages(response.headers)
        page += 1
    return pages


def _gap(url: str, exc: FetchError) -> RawResponse:
    return RawResponse(
        url=url,
        final_url=url,
        status=0,
        headers={"x-wirehouse-error": f"{exc.reason}: {exc.detail}"[:500]},
        body=b"",
        fetched_at=datetime.now(UTC),
        role="comments_json",
    )
