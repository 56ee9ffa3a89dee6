"""What one flow run did, for the runs table and the Prefect artifact."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field


class FailureRecord(BaseModel):
    source: str
    url: str
    stage: str  # "discover", "fetch", "parse", "normalize", "comments", "verify" (the plausibility gate)
    reason: str
    detail: str = ""


class CommentCountDifference(BaseModel):
    """An article whose advertised comment count (the feed's slash:comments) differs from what was loaded."""

    source: str
    url: str
    advertised: int
    loaded: int  # comments in the warehouse after the load, deleted ones not counted
    system: str = ""


class SourceCheck(BaseModel):
    """One nightly run's dealing with one source, as the adaptive polling reads it back from the run reports
    (warehouse.polling)."""

    checked_at: datetime  # the run's time (its `until`), not the wall clock
    checked: bool  # False: skipped on purpose (quiet, or broken and backing off)
    new_articles: int = 0  # articles the check added to the warehouse; 0 when skipped
    complete: bool = True  # read its window whole, nothing failed; a failed check says nothing about quietness


class PollingDecision(BaseModel):
    """Whether tonight's run checks a source and why (tasks/sources/polling.py); listed in the run report."""

    source: str
    checked: bool
    reason: str
    at: datetime | None = None  # the run's time (its `until`): what the next decisions count nights from
    interval_days: int = 1  # how often the source is checked now: 1 = every run
    quiet_checks: int = 0  # newest checks in a row that found nothing new
    next_check_at: datetime | None = None  # the first run that will check a skipped source
    new_articles: int | None = None  # what the check found; None when skipped
    complete: bool = True  # the check read its window whole, nothing failed


class RunReport(BaseModel):
    run_id: str
    flow: str  # "nightly", "backfill", "demo"
    started_at: datetime
    finished_at: datetime | None = None
    sources: list[str] = Field(default_factory=list)
    window_start: datetime | None = None
    window_end: datetime | None = None
    discovered: int = 0
    fetched: int = 0
    parsed: int = 0
    articles_written: int = 0
    comments_written: int = 0
    authors_written: int = 0
    failed: int = 0
    not_modified: int = 0  # answered 304: no parse, no write
    skipped_by_robots: int = 0
    retried: int = 0  # HTTP requests repeated after a 5xx, 429 or connection error
    comments_deleted: int = 0  # marked deleted: gone from a thread that was read completely
    comments_not_fetched: int = 0  # articles whose comments exist but were not read (Disqus without an API key)
    comment_counts_checked: int = 0  # articles whose advertised comment count was compared with the load
    comment_count_differences: list[CommentCountDifference] = Field(default_factory=list)
    failures: list[FailureRecord] = Field(default_factory=list)
    polling: list[PollingDecision] = Field(default_factory=list)  # nightly: each source checked or skipped, why
    failures_by_reason: dict[str, int] = Field(default_factory=dict)  # every failure, where `failures` keeps 200
    status: str = "running"  # "running", "completed", "completed_with_failures", "failed"
