"""Fetch everything one target needs: the post (JSON or HTML), its comment pages, its article page."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime

from schemas import FetchedTarget, FetchFailure, RawResponse, Source, Target, TargetKind, Validators
from schemas.errors import FetchError
from tasks.comments.channels import fetch_comment_channels
from tasks.discover.wordpress_rest import comments_url, post_url, total_pages
from tasks.fetch.client import Fetcher

MAX_COMMENT_PAGES = 50  # 5,000 comments at 100 a page: beyond that a thread is not a comment section


async def fetch_targets(
    source: Source,
    targets: Sequence[Target],
    fetcher: Fetcher,
    validators: Mapping[str, Validators] | None = None,
) -> list[FetchedTarget]:
    """All targets of a batch concurrently, at most `max_concurrency` at a time; never raises.

    `validators` (URL -> ETag/Last-Modified of the stored version) make the requests conditional.
    """
    semaphore = asyncio.Semaphore(source.politeness.max_concurrency)

    async def one(target: Target) -> FetchedTarget:
        async with semaphore:
            return await fetch_target(source, target, fetcher, validators or {})

    return list(await asyncio.gather(*(one(t) for t in targets)))


async def fetch_target(
    source: Source, target: Target, fetcher: Fetcher, validators: Mapping[str, Validators]
) -> FetchedTarget:
    session = _TargetSession(fetcher, validators)
    try:
        responses = await _fetch_all(source, target, session)
        if all(r.status == 304 for r in responses):
            return FetchedTarget(target=target, not_modified=True, retries=session.retries)
        if any(r.status == 304 for r in responses):
            # part changed: parsing the new version needs every part whole, so ask again unconditionally
            session.validators = {}
            responses = await _fetch_all(source, target, session)
    except FetchError as exc:
        failure = FetchFailure(url=exc.url, reason=exc.reason, detail=exc.detail, status=exc.status)
        return FetchedTarget(target=target, failure=failure, retries=session.retries)
    return FetchedTarget(target=target, responses=responses, retries=session.retries)


async def _fetch_all(source: Source, target: Target, session: _TargetSession) -> list[RawResponse]:
    if target.kind is TargetKind.WP_POST and target.post_id is not None:
        responses = await _fetch_wp_post(source, target, session)
    else:
        responses = [await session.get(target.url, "article")]
    # the page's comment system may need more: its other comment pages, its comment feed or its Disqus thread
    return responses + await fetch_comment_channels(source, target, responses, session.get, session.fetcher)


class _TargetSession:
    """The fetcher as one target sees it: conditional headers from the stored validators, retries counted."""

    def __init__(self, fetcher: Fetcher, validators: Mapping[str, Validators]) -> None:
        self.fetcher = fetcher
        self.validators: Mapping[str, Validators] = validators
        self.retries = 0

    async def get(self, url: str, role: str) -> RawResponse:
        stored = self.validators.get(url)
        before = self.fetcher.retries
        try:
            return await self.fetcher.get(url, role=role, headers=stored.headers() if stored else None)
        finally:
            self.retries += self.fetcher.retries - before


async def _fetch_wp_post(source: Source, target: Target, session: _TargetSession) -> list[RawResponse]:
    assert target.post_id is not None
    responses = [await session.get(post_url(source, target.post_id), "post_json")]
    if source.fetch_comments:
        responses.extend(await _fetch_comment_pages(source, target.post_id, session))
    if source.fetch_article_html:
        # the REST post carries the article; the page only adds its deck and rendered byline
        with contextlib.suppress(FetchError):
            responses.append(await session.get(target.url, "article"))
    return responses


async def _fetch_comment_pages(source: Source, post_id: int, session: _TargetSession) -> list[RawResponse]:
    """Every page of approved comments, newest first (so a new comment always changes page 1).

    An unchanged page 1 (304) means no comment was added: the later pages are not asked for.
    A failed page is marked by a response with status 0 and the thread is then known incomplete.
    """
    pages: list[RawResponse] = []
    page, last = 1, 1
    while page <= min(last, MAX_COMMENT_PAGES):
        url = comments_url(source, post_id, page)
        try:
            response = await session.get(url, "comments_json")
        except FetchError as exc:
            pages.append(_gap(url, exc))
            break
        pages.append(response)
        if response.status == 304:
            break
        last = total_pages(response.headers)
        page += 1
    return pages


def _gap(url: str, exc: FetchError) -> RawResponse:
    return RawResponse(
        url=url, final_url=url, status=0, headers={"x-wirehouse-error": f"{exc.reason}: {exc.detail}"[:500]},
        body=b"", fetched_at=datetime.now(UTC), role="comments_json",
    )
