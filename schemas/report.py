"""What one flow run did, for the runs table and the Prefect artifact."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field


class FailureRecord(BaseModel):
    source: str
    url: str
    stage: str  # "discover", "fetch", "parse", "normalize"
    reason: str
    detail: str = ""


class CommentCountDifference(BaseModel):
    """An article whose advertised comment count (the feed's slash:comments) differs from what was loaded."""

    source: str
    url: str
    advertised: int
    loaded: int  # comments in the warehouse after the load, deleted ones not counted
    system: str = ""


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
    failures_by_reason: dict[str, int] = Field(default_factory=dict)  # every failure, where `failures` keeps 200
    status: str = "running"  # "running", "completed", "completed_with_failures", "failed"
