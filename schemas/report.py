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
    failures: list[FailureRecord] = Field(default_factory=list)
    status: str = "running"  # "running", "completed", "failed"

    def merge_counts(self, other: RunReport) -> None:
        for name in (
            "discovered",
            "fetched",
            "parsed",
            "articles_written",
            "comments_written",
            "authors_written",
            "failed",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.failures.extend(other.failures)
