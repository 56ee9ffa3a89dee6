"""The gate in the pipeline: judge a normalized batch before the load, and each re-read thread before its load.

An implausible article leaves the batch as a failure (stage "verify", reason "implausible", the reasons as its
detail): the stored version stands, the failure is retried like any other, and a clean later read resolves it.
A passed article's `parse_report.plausible` is set for source health; a rejected one is counted from its failure.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from schemas.pipeline import FetchedTarget, ParsedArticle
from schemas.report import FailureRecord
from schemas.rows import NormalizedArticle, StoredArticleFacts
from schemas.verdict import GATE_STAGE, IMPLAUSIBLE, StoredThread, Verdict
from tasks.normalize.urls import canonical_url
from tasks.verify.gate import judge_article, judge_thread
from warehouse.channels import channel_of
from warehouse.connection import open_reader
from warehouse.queries import stored_article_facts, stored_threads


def stored_for(db: Path, article_ids: list[str]) -> tuple[dict[str, StoredArticleFacts], dict[str, StoredThread]]:
    """What the warehouse holds of these articles and their threads: the gate's reference, read in one session."""
    if not article_ids:
        return {}, {}
    with open_reader(db) as con:
        return stored_article_facts(con, article_ids), stored_threads(con, article_ids)


def gate_articles(
    source: str,
    parsed: list[tuple[FetchedTarget, ParsedArticle]],
    articles: list[NormalizedArticle],
    stored: Mapping[str, StoredArticleFacts],
    threads: Mapping[str, StoredThread] | None = None,
) -> tuple[list[NormalizedArticle], list[FailureRecord]]:
    """The articles the gate passes, and a failure for each one it rejects (with its thread)."""
    by_url = {row.article.url: row for row in articles}
    rejected: set[int] = set()  # the rows themselves: a page that is another article shares that one's id
    failures: list[FailureRecord] = []
    for fetched, article in parsed:
        row = _row_of(by_url, fetched, article)
        if row is None:
            asked = fetched.target.post_id
            if asked is not None and article.post_id is not None and article.post_id != asked:
                # another post's page: it took that post's id and went with it (normalize keeps one row an id)
                reasons = [f"post id {article.post_id}, asked for {asked}"]
                failures.append(failure(source, fetched.target.url, Verdict(plausible=False, reasons=reasons)))
            continue  # else normalize failed on it: already a failure
        verdict = verdict_of(fetched, article, row, stored.get(row.article.article_id),
                             (threads or {}).get(row.article.article_id))
        article.parse_report.plausible = verdict.plausible
        if not verdict.plausible:
            rejected.add(id(row))
            failures.append(failure(source, fetched.target.url, verdict))
    return [a for a in articles if id(a) not in rejected], failures


def verdict_of(
    fetched: FetchedTarget,
    parsed: ParsedArticle,
    row: NormalizedArticle,
    stored: StoredArticleFacts | None,
    thread: StoredThread | None = None,
) -> Verdict:
    """One article's verdict, its comment thread's included (a thread that lost most of its stored comments
    speaks against the read it came with)."""
    verdict = judge_article(parsed, fetched.target, fetched.responses, row.article.body_text,
                            row.article.word_count, stored, channel_of(row))
    complete = bool(row.comment_section.complete) if row.comment_section is not None else False
    thread_verdict = judge_thread(len(row.comments), complete, fetched.responses, thread,
                                  fetched.target.comment_count_hint)
    if thread_verdict.plausible:
        return verdict
    return Verdict(plausible=False, reasons=[*verdict.reasons, *thread_verdict.reasons])


def failure(source: str, url: str, verdict: Verdict) -> FailureRecord:
    return FailureRecord(source=source, url=url, stage=GATE_STAGE, reason=IMPLAUSIBLE, detail=verdict.detail())


def _row_of(
    by_url: Mapping[str, NormalizedArticle], fetched: FetchedTarget, article: ParsedArticle
) -> NormalizedArticle | None:
    return by_url.get(canonical_url(fetched.target.url or article.url))
