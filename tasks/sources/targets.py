"""Fetch everything one target needs: the source kind's requests, then what the page's comment system needs."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence

from schemas import FetchedTarget, FetchFailure, RawResponse, Source, Target, Validators
from schemas.errors import FetchError
from tasks.comments.registry import fetch_comment_channels
from tasks.fetch.fetcher import Fetcher
from tasks.sources.registry import kind_of


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
    # what the kind reads for many targets at once (WordPress: posts and comments by the hundred)
    prefetched = await kind_of(source).prefetch(source, list(targets), fetcher)

    async def one(target: Target) -> FetchedTarget:
        async with semaphore:
            return await fetch_target(source, target, fetcher, validators or {}, prefetched.get(target.url))

    return list(await asyncio.gather(*(one(t) for t in targets)))


async def fetch_target(
    source: Source,
    target: Target,
    fetcher: Fetcher,
    validators: Mapping[str, Validators],
    prefetched: list[RawResponse] | None = None,
) -> FetchedTarget:
    # a prefetched target asks the rest unconditionally: its bulk answer is whole and will be parsed anyway
    session = TargetSession(fetcher, validators if prefetched is None else {})
    try:
        responses = await _fetch_all(source, target, session, prefetched)
        if all(r.status == 304 for r in responses):
            return FetchedTarget(target=target, not_modified=True, retries=session.retries)
        if any(r.status == 304 for r in responses):
            # part changed: parsing the new version needs every part whole, so ask again unconditionally
            session.validators = {}
            responses = await _fetch_all(source, target, session, prefetched)
    except FetchError as exc:
        failure = FetchFailure(url=exc.url, reason=exc.reason, detail=exc.detail, status=exc.status)
        return FetchedTarget(target=target, failure=failure, retries=session.retries)
    return FetchedTarget(target=target, responses=responses, retries=session.retries)


async def _fetch_all(
    source: Source, target: Target, session: TargetSession, prefetched: list[RawResponse] | None
) -> list[RawResponse]:
    kind = kind_of(source)
    if prefetched is None:
        responses = await kind.fetch(source, target, session.get)
    else:
        responses = await kind.fetch_rest(source, target, prefetched, session.get)
    # the page's comment system may need more: its other comment pages, its comment feed or its Disqus thread
    return responses + await fetch_comment_channels(source, target, responses, session.get, session.fetcher)


class TargetSession:
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
