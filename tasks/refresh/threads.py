"""Re-reading the comment threads of loaded articles: only their comments, with conditional requests.

Each thread is read the way it was read at ingest, so its comments keep their ids: the WordPress REST
comments (page 1 asked conditionally: a 304 means no comment was added, edited or removed there), the Disqus
API, or the article page (conditionally) with whatever its comment system needs beyond it, parsed exactly as
ingest parses it. A thread whose every answer is a 304 is not read again and nothing is written for it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

from schemas.errors import FetchError, ParseError, RestFormatError
from schemas.pipeline import (
    CommentRead,
    FetchedTarget,
    FetchedThread,
    FetchFailure,
    ParsedArticle,
    RawResponse,
    Target,
    ThreadTarget,
    Validators,
)
from schemas.report import FailureRecord
from schemas.rows import CommentThreadRows
from schemas.source import Source
from tasks.comments import disqus
from tasks.comments import wordpress_rest as rest_comments
from tasks.comments.detect import CommentSystem
from tasks.comments.resolve import read_disqus_pages
from tasks.comments.sections import comment_section
from tasks.fetch.fetcher import Fetcher
from tasks.normalize.comments import normalize_comments
from tasks.sources.base import by_role
from tasks.sources.reading import parse_fetched
from tasks.sources.registry import kind_of
from tasks.sources.targets import fetch_target
from warehouse.connection import open_reader
from warehouse.fetch_state import latest_validators


def channel(source: Source, thread: ThreadTarget) -> str:
    """"rest", "disqus" or "page": how the thread is read again."""
    if thread.system == CommentSystem.DISQUS and thread.thread_ref and disqus.api_key(source.disqus):
        return "disqus"
    rest_source = kind_of(source).comment_api(source) == CommentSystem.WORDPRESS_REST and source.fetch_comments
    if rest_source and thread.post_id is not None and thread.system in ("", CommentSystem.WORDPRESS_REST):
        return "rest"
    return "page"  # read as ingest reads a page; without a Disqus key it records the thread as not fetched


def refresh_validators(db: Path, source: Source, threads: list[ThreadTarget]) -> dict[str, Validators]:
    """ETag/Last-Modified of the stored version of each thread's first request."""
    urls = [rest_comments.comments_url(source, t.post_id, 1)
            if channel(source, t) == "rest" and t.post_id is not None else t.url for t in threads]
    with open_reader(db) as con:
        return latest_validators(con, urls)


async def fetch_threads(
    source: Source, threads: list[ThreadTarget], fetcher: Fetcher, validators: Mapping[str, Validators]
) -> list[FetchedThread]:
    """Every thread of a batch, at most `max_concurrency` at a time; never raises."""
    semaphore = asyncio.Semaphore(source.politeness.max_concurrency)

    async def one(thread: ThreadTarget) -> FetchedThread:
        async with semaphore:
            return await fetch_thread(source, thread, fetcher, validators)

    return list(await asyncio.gather(*(one(t) for t in threads)))


async def fetch_thread(
    source: Source, thread: ThreadTarget, fetcher: Fetcher, validators: Mapping[str, Validators]
) -> FetchedThread:
    how = channel(source, thread)
    before = fetcher.retries
    if how == "disqus":
        responses = await disqus.fetch_thread(source, thread.thread_ref, fetcher)
        return FetchedThread(target=thread, responses=responses, retries=fetcher.retries - before)
    if how == "rest":
        try:
            responses = await _rest_pages(source, thread, fetcher, validators)
        except FetchError as exc:
            return FetchedThread(target=thread, failure=_failure(exc), retries=fetcher.retries - before)
        return FetchedThread(target=thread, responses=responses, not_modified=responses[0].status == 304,
                             retries=fetcher.retries - before)
    fetched = await fetch_target(source, _page_target(thread), fetcher, validators)
    return FetchedThread(target=thread, responses=fetched.responses, failure=fetched.failure,
                         not_modified=fetched.not_modified, retries=fetched.retries)


def read_threads(source: Source, fetched: list[FetchedThread]) -> tuple[list[CommentThreadRows], list[FailureRecord]]:
    """The threads that were read, normalized; a thread that failed becomes a failure record."""
    threads: list[CommentThreadRows] = []
    failures: list[FailureRecord] = []
    for item in fetched:
        url = item.target.url
        if item.failure is not None:
            failures.append(FailureRecord(source=source.name, url=url, stage="fetch", reason=item.failure.reason,
                                          detail=item.failure.detail))
            continue
        if item.not_modified or not item.responses:
            continue
        try:
            parsed = read_thread(source, item)
        except (ParseError, RestFormatError) as exc:
            failures.append(FailureRecord(source=source.name, url=url, stage="parse", reason="unparseable",
                                          detail=str(exc)))
            continue
        article_id = item.target.article_id
        comments = normalize_comments(article_id, parsed.comments)
        threads.append(CommentThreadRows(article_id=article_id, comments=comments,
                                         section=comment_section(article_id, parsed)))
        if parsed.comment_read.error:
            failures.append(FailureRecord(source=source.name, url=url, stage="comments", reason="disqus_api",
                                          detail=parsed.comment_read.error))
    return threads, failures


def read_thread(source: Source, fetched: FetchedThread) -> ParsedArticle:
    """The thread's comments and how completely they were read, as ingest would read the same responses."""
    thread = fetched.target
    responses = by_role(fetched.responses)
    if "article" not in responses and disqus.ROLE in responses:
        comments, complete, error = read_disqus_pages(responses[disqus.ROLE])
        return ParsedArticle(url=thread.url, comments=comments, comments_complete=complete, comment_read=CommentRead(
            system=CommentSystem.DISQUS, fetched=complete or bool(comments), error=error, thread_ref=thread.thread_ref,
            note="" if complete else "Disqus thread read in part"))
    if "article" not in responses and rest_comments.ROLE in responses:
        # read exactly as ingest reads the same pages, so positions among siblings stay the same
        rest = rest_comments.read_comment_pages(responses[rest_comments.ROLE])
        assert rest is not None
        return ParsedArticle(url=thread.url, comments=rest.comments, comments_complete=rest.complete,
                             comment_read=CommentRead(system=CommentSystem.WORDPRESS_REST))
    return parse_fetched(FetchedTarget(target=_page_target(thread), responses=fetched.responses), source)


async def _rest_pages(
    source: Source, thread: ThreadTarget, fetcher: Fetcher, validators: Mapping[str, Validators]
) -> list[RawResponse]:
    """Every page of the REST thread; page 1 conditionally (newest first: any change shows there)."""
    assert thread.post_id is not None

    async def get(url: str, role: str) -> RawResponse:
        stored = validators.get(url)
        return await fetcher.get(url, role=role, headers=stored.headers() if stored else None)

    return await rest_comments.fetch_comment_pages(source, thread.post_id, get, gap_on_first=False)


def _page_target(thread: ThreadTarget) -> Target:
    return Target(source=thread.source, url=thread.url, post_id=thread.post_id,
                  channel="refresh", comment_count_hint=thread.comment_count_hint, discovered_at=datetime.now(UTC))


def _failure(exc: FetchError) -> FetchFailure:
    return FetchFailure(url=exc.url, reason=exc.reason, detail=exc.detail, status=exc.status)
