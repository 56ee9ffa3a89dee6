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
    TargetKind,
    ThreadTarget,
    Validators,
)
from schemas.report import FailureRecord
from schemas.rows import CommentThreadRows
from schemas.source import Source, SourceKind
from tasks.comments import disqus
from tasks.comments.channels import REST_COMMENTS_ROLE
from tasks.comments.detect import CommentSystem
from tasks.comments.resolve import read_disqus_pages
from tasks.comments.sections import comment_section
from tasks.discover.wordpress_rest import comments_url, total_pages
from tasks.fetch.client import Fetcher
from tasks.fetch.targets import MAX_COMMENT_PAGES, fetch_target
from tasks.normalize.comments import normalize_comments
from tasks.parse.dispatch import parse_fetched
from tasks.parse.wordpress_rest import oldest_first, parse_wp_comments
from warehouse.connection import open_reader
from warehouse.fetch_state import latest_validators


def channel(source: Source, thread: ThreadTarget) -> str:
    """"rest", "disqus" or "page": how the thread is read again."""
    if thread.system == CommentSystem.DISQUS and thread.thread_ref and disqus.api_key(source.disqus):
        return "disqus"
    rest_source = source.kind is SourceKind.WORDPRESS and source.fetch_comments and thread.post_id is not None
    if rest_source and thread.system in ("", CommentSystem.WORDPRESS_REST):
        return "rest"
    return "page"  # read as ingest reads a page; without a Disqus key it records the thread as not fetched


def refresh_validators(db: Path, source: Source, threads: list[ThreadTarget]) -> dict[str, Validators]:
    """ETag/Last-Modified of the stored version of each thread's first request."""
    urls = [comments_url(source, t.post_id, 1) if channel(source, t) == "rest" and t.post_id is not None else t.url
            for t in threads]
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
    by_role: dict[str, list[RawResponse]] = {}
    for response in fetched.responses:
        by_role.setdefault(response.role, []).append(response)
    if "article" not in by_role and disqus.ROLE in by_role:
        comments, complete, error = read_disqus_pages(by_role[disqus.ROLE])
        return ParsedArticle(url=thread.url, comments=comments, comments_complete=complete, comment_read=CommentRead(
            system=CommentSystem.DISQUS, fetched=complete or bool(comments), error=error, thread_ref=thread.thread_ref,
            note="" if complete else "Disqus thread read in part"))
    if "article" not in by_role and REST_COMMENTS_ROLE in by_role:
        comments, complete = [], True
        for response in by_role[REST_COMMENTS_ROLE]:
            if response.status != 200:
                complete = False
                continue
            comments.extend(parse_wp_comments(response.body))
        # the order dispatch gives the same pages at ingest, so positions among siblings stay the same
        return ParsedArticle(url=thread.url, comments=oldest_first(comments), comments_complete=complete,
                             comment_read=CommentRead(system=CommentSystem.WORDPRESS_REST))
    return parse_fetched(FetchedTarget(target=_page_target(thread), responses=fetched.responses), source)


async def _rest_pages(
    source: Source, thread: ThreadTarget, fetcher: Fetcher, validators: Mapping[str, Validators]
) -> list[RawResponse]:
    """Every page of the REST thread; page 1 conditionally (newest first: any change shows there)."""
    assert thread.post_id is not None
    first = comments_url(source, thread.post_id, 1)
    stored = validators.get(first)
    response = await fetcher.get(first, role=REST_COMMENTS_ROLE, headers=stored.headers() if stored else None)
    pages = [response]
    if response.status == 304:
        return pages
    for page in range(2, min(total_pages(response.headers), MAX_COMMENT_PAGES) + 1):
        url = comments_url(source, thread.post_id, page)
        try:
            pages.append(await fetcher.get(url, role=REST_COMMENTS_ROLE))
        except FetchError as exc:
            pages.append(RawResponse(url=url, final_url=url, status=0, body=b"", fetched_at=datetime.now(UTC),
                                     headers={"x-wirehouse-error": f"{exc.reason}: {exc.detail}"[:500]},
                                     role=REST_COMMENTS_ROLE))
            break
    return pages


def _page_target(thread: ThreadTarget) -> Target:
    return Target(source=thread.source, kind=TargetKind.HTML_ARTICLE, url=thread.url, post_id=thread.post_id,
                  channel="refresh", comment_count_hint=thread.comment_count_hint, discovered_at=datetime.now(UTC))


def _failure(exc: FetchError) -> FetchFailure:
    return FetchFailure(url=exc.url, reason=exc.reason, detail=exc.detail, status=exc.status)
