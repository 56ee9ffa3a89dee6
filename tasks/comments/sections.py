"""The comment section of each loaded article (how its thread was read), its failures, and the run report.

The ingest flow calls `with_comment_sections` between normalize and load: it pairs each normalized article
with the parse that made it and records how that parse read the thread. Only an article carrying a section
that says "complete" can have stored comments marked deleted by the load.
"""

from __future__ import annotations

from schemas.pipeline import ParsedArticle, ParsedBatch
from schemas.report import FailureRecord, RunReport
from schemas.rows import CommentSectionRow, NormalizedArticle
from schemas.source import Source
from tasks.comments.base import SystemName
from tasks.normalize.articles import article_id_for
from tasks.normalize.urls import canonical_url
from warehouse.load import LoadCounts

MAX_REPORTED_DIFFERENCES = 200  # the report stays readable; the count says how many there were


def comment_section(article_id: str, parsed: ParsedArticle) -> CommentSectionRow:
    read = parsed.comment_read
    return CommentSectionRow(
        article_id=article_id,
        system=read.system or SystemName.NONE,
        fetched=read.fetched,
        complete=parsed.comments_complete and read.fetched and not read.error,
        note=read.error or read.note,
        thread_ref=read.thread_ref,
    )


def with_comment_sections(
    source: Source, batch: ParsedBatch, articles: list[NormalizedArticle]
) -> tuple[list[NormalizedArticle], list[FailureRecord]]:
    """The articles with their comment sections, and a failure record per comment channel that failed."""
    parses: dict[str, ParsedArticle] = {}
    failures: list[FailureRecord] = []
    for fetched, parsed in batch.parsed:
        # the article id exactly as normalize_article derives it
        post_id = parsed.post_id if parsed.post_id is not None else fetched.target.post_id
        parses[article_id_for(source.name, post_id, canonical_url(fetched.target.url or parsed.url))] = parsed
        if parsed.comment_read.error:
            reason = "disqus_api" if parsed.comment_read.system == SystemName.DISQUS else "comments_unavailable"
            failures.append(FailureRecord(source=source.name, url=fetched.target.url, stage="comments",
                                          reason=reason, detail=parsed.comment_read.error))
    sectioned = [
        item.model_copy(update={"comment_section": comment_section(item.article.article_id, parsed)})
        if (parsed := parses.get(item.article.article_id)) is not None
        else item
        for item in articles
    ]
    return sectioned, failures


def add_comment_counts(report: RunReport, articles: list[NormalizedArticle], counts: LoadCounts) -> None:
    """What a load did to comments, into the run report (comments_written counts every row it changed)."""
    report.comments_written += (
        counts.comments_inserted + counts.comments_updated + counts.comments_moved + counts.comments_deleted
        + counts.comments_restored
    )
    report.comments_deleted += counts.comments_deleted
    report.comments_not_fetched += sum(
        1 for item in articles if item.comment_section is not None and not item.comment_section.fetched
    )
    report.comment_counts_checked += counts.comment_counts_checked
    room = max(0, MAX_REPORTED_DIFFERENCES - len(report.comment_count_differences))
    report.comment_count_differences.extend(counts.comment_count_differences[:room])


def comment_report_lines(report: RunReport) -> list[str]:
    """The run report's comment section (markdown): deletions, unread threads, advertised counts that differ."""
    if not (report.comment_counts_checked or report.comments_deleted or report.comments_not_fetched):
        return []
    differences = report.comment_count_differences
    lines = [
        "", "## Comments", "",
        f"Marked deleted: {report.comments_deleted}. Threads not fetched: {report.comments_not_fetched}. "
        f"Advertised counts (slash:comments) checked: {report.comment_counts_checked}, "
        f"different from what was loaded: {len(differences)}.",
    ]
    if differences:
        lines += ["", "| source | advertised | loaded | system | url |", "|---|---:|---:|---|---|"]
        lines += [f"| {d.source} | {d.advertised} | {d.loaded} | {d.system} | {d.url} |" for d in differences[:50]]
    return lines
