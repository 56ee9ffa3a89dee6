"""Re-reading the comment threads of loaded articles: only their comments, with conditional requests.

Each thread is read the way it was read at ingest, so its comments keep their ids: by the comment system that
re-reads threads by itself (the WordPress REST comments, page 1 asked conditionally: a 304 means no comment
was added, edited or removed there; the Disqus API), or else the article page (conditionally) with whatever its
comment system needs beyond it, fetched and parsed exactly as ingest does. A thread whose every answer is a 304
is not read again and nothing is written for it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

from schemas.errors import ParseError
from schemas.pipeline import FetchedTarget, FetchedThread, ParsedArticle, Target, ThreadTarget, Validators
from schemas.report import FailureRecord
from schemas.rows import CommentThreadRows, StoredArticleFacts
from schemas.source import Source
from schemas.verdict import StoredThread
from tasks.comments import registry as comment_systems
from tasks.comments.base import CommentSystem
from tasks.comments.sections import comment_section
from tasks.fetch.fetcher import Fetcher
from tasks.normalize.comments import normalize_comments
from tasks.sources.base import by_role
from tasks.sources.reading import parse_fetched
from tasks.sources.registry import kind_of
from tasks.sources.targets import fetch_target
from tasks.verify.gate import judge_article, judge_thread
from tasks.verify.task import failure
from warehouse.connection import open_reader
from warehouse.fetch_state import latest_validators


def refresher(source: Source, thread: ThreadTarget) -> CommentSystem | None:
    """The comment system that re-reads the thread by itself, or None: the page is read again as at ingest
    (without a Disqus key that records the thread as not fetched)."""
    return comment_systems.refresher(source, thread, kind_of(source).comment_api(source))


def refresh_validators(db: Path, source: Source, threads: list[ThreadTarget]) -> dict[str, Validators]:
    """ETag/Last-Modified of the stored version of each thread's first request."""
    urls = [system.refresh_url(source, t) if (system := refresher(source, t)) is not None else t.url
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
    system = refresher(source, thread)
    if system is not None:
        return await system.refetch(source, thread, fetcher, validators)
    fetched = await fetch_target(source, _page_target(thread), fetcher, validators)
    return FetchedThread(target=thread, responses=fetched.responses, failure=fetched.failure,
                         not_modified=fetched.not_modified, retries=fetched.retries)


def read_threads(
    source: Source,
    fetched: list[FetchedThread],
    stored: Mapping[str, StoredThread] | None = None,
    facts: Mapping[str, StoredArticleFacts] | None = None,
) -> tuple[list[CommentThreadRows], list[FailureRecord]]:
    """The threads that were read, normalized; a thread that failed, or that the plausibility gate rejects against
    its `stored` version (a channel that answered a page, a thread that lost most of its comments) or, when it was
    read from the article's page, against the stored article (`facts`: noise, a wall, another article, a cut
    page), becomes a failure record and is not loaded."""
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
        except ParseError as exc:
            failures.append(FailureRecord(source=source.name, url=url, stage="parse", reason="unparseable",
                                          detail=str(exc)))
            continue
        article_id = item.target.article_id
        comments = normalize_comments(article_id, parsed.comments, base_url=url)  # url: the stored articles.url
        section = comment_section(article_id, parsed)
        verdict = judge_thread(len(comments), section.complete, item.responses, (stored or {}).get(article_id),
                               item.target.comment_count_hint, parsed if parsed.title or parsed.body_text else None)
        if verdict.plausible and _read_from_page(item):
            # the comments are only as good as the page they came from: it must be this article, whole
            verdict = judge_article(parsed, _page_target(item.target), item.responses, parsed.body_text,
                                    len(parsed.body_text.split()), (facts or {}).get(article_id))
        if not verdict.plausible:
            failures.append(failure(source.name, url, verdict))
            continue
        threads.append(CommentThreadRows(article_id=article_id, comments=comments, section=section))
        if parsed.comment_read.error:
            failures.append(FailureRecord(source=source.name, url=url, stage="comments", reason="disqus_api",
                                          detail=parsed.comment_read.error))
    return threads, failures


def _read_from_page(fetched: FetchedThread) -> bool:
    return any(r.role == "article" and r.status == 200 for r in fetched.responses)


def read_thread(source: Source, fetched: FetchedThread) -> ParsedArticle:
    """The thread's comments and how completely they were read, as ingest would read the same responses."""
    thread = fetched.target
    parsed = comment_systems.reread(thread, by_role(fetched.responses))
    if parsed is not None:
        return parsed
    return parse_fetched(FetchedTarget(target=_page_target(thread), responses=fetched.responses), source)


def _page_target(thread: ThreadTarget) -> Target:
    return Target(source=thread.source, url=thread.url, post_id=thread.post_id,
                  channel="refresh", comment_count_hint=thread.comment_count_hint, discovered_at=datetime.now(UTC))
