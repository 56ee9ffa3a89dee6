"""Source health: what a run saw of each source, the status the rules gave it, and the alert sent about it.

Three groups of models, in the order the data flows:

- observations: what the pipeline stages hand the health collector, batch by batch (tasks/health/observe.py
  builds them from the stage models);
- `SourceHealthFigures`: one run's totals for one source, stored as a `source_health` row;
- `HealthBaseline`, `HealthReason`, `SourceHealth`, `HealthAlert`, `CheckDecision`: what the rules conclude.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, Field

from schemas.parse_report import SelectorCheck


class HealthStatus(StrEnum):
    OK = "ok"
    DEGRADED = "degraded"  # data still comes in, but thinner or worse than the source's own baseline
    BROKEN = "broken"  # nothing usable comes in: discovery dead or every request failing

    @property
    def rank(self) -> int:
        return {"ok": 0, "degraded": 1, "broken": 2}[self.value]


# --- observations: the collector's input ------------------------------------------------------------------


class ArticleObservation(BaseModel):
    """One parsed article, as the parse stage (and later the plausibility gate) saw it."""

    parser: str  # ParsedArticle.parser: "wordpress_rest", "site_html", "generic"
    body_words: int = Field(ge=0)
    body_from_generic: bool = False  # the declared body selector found nothing and the generic extractor did
    body_plausible: bool | None = None  # the plausibility gate's verdict; None where the gate did not look
    has_author: bool
    has_date: bool
    comments_advertised: int | None = None  # the feed's slash:comments or a page's count; None: not advertised
    comments_found: int = Field(default=0, ge=0)
    comments_read: bool = True  # False when the thread was not read at all (e.g. Disqus without an API key)
    selector_checks: list[SelectorCheck] = Field(default_factory=list)


class ResponseObservation(BaseModel):
    """One HTTP exchange: its status (0 = no response at all) and how long it took."""

    status: int
    elapsed_ms: float = Field(ge=0)
    role: str = ""  # RawResponse.role: "article", "comments", "post_json", "feed", "listing", …


class FailureObservation(BaseModel):
    """A target that failed (fetch, parse or normalize); the reason is the failures table's short class."""

    stage: str
    reason: str  # "http_404", "timeout", "robots", "unparseable", …


class ChannelObservation(BaseModel):
    """One discovery channel (feed, REST listing, sitemap, archive) asked during a run."""

    url: str  # without its query string: the same channel whatever window it was asked about
    role: str = ""  # "feed", "listing", "sitemap", "archive"; "" when the stage did not say
    ok: bool
    status: int | None = None  # HTTP status of a failure, when there was a response
    reason: str = ""  # the failure's short class when not ok


class DiscoveryObservation(BaseModel):
    """What discovery found for one window: how many targets, through which channels."""

    targets: int = Field(ge=0)
    channels: list[ChannelObservation] = Field(default_factory=list)


class BatchObservation(BaseModel):
    """What fetch, parse and normalize did with one batch of targets."""

    attempted: int = Field(default=0, ge=0)  # targets of the batch
    fetched: int = Field(default=0, ge=0)  # targets answered with content
    not_modified: int = Field(default=0, ge=0)  # targets answered 304
    failures: list[FailureObservation] = Field(default_factory=list)
    responses: list[ResponseObservation] = Field(default_factory=list)
    articles: list[ArticleObservation] = Field(default_factory=list)


# --- one run x source: the stored figures -------------------------------------------------------------------


class SelectorTally(BaseModel):
    field: str
    selector: str
    pages: int = 0  # pages it was tried on
    matched: int = 0  # pages where it matched


class ChannelTally(BaseModel):
    url: str
    role: str = ""
    requests: int = 0
    failures: int = 0
    status: int | None = None  # status of the last failure
    reason: str = ""  # reason of the last failure

    @property
    def dead(self) -> bool:
        """Asked, and never answered usefully in this run."""
        return self.requests > 0 and self.failures == self.requests


class SourceHealthFigures(BaseModel):
    """The figures that reveal breakage, for one run and one source: one `source_health` row."""

    run_id: str
    source: str
    flow: str
    started_at: datetime
    finished_at: datetime | None = None
    window_days: float = 0.0  # length of the discovery windows read, summed: volume is compared per day
    discovered: int = 0  # targets the discovery channels listed (earlier failures retried are not counted)
    retried: int = 0  # earlier failures retried in this run
    attempted: int = 0  # targets asked for: answered with content, answered 304, or failed to fetch
    fetched: int = 0  # targets answered with content
    not_modified: int = 0
    failed: int = 0  # targets that failed to fetch, parse, normalize or pass the plausibility gate
    failed_permanent: int = 0
    failed_transient: int = 0
    failures_by_reason: dict[str, int] = Field(default_factory=dict)
    articles: int = 0  # parsed articles
    articles_by_parser: dict[str, int] = Field(default_factory=dict)
    generic_fallback: int = 0  # articles whose body the generic extractor supplied (no body selector, or it missed)
    empty_bodies: int = 0
    implausible_bodies: int = 0
    bodies_checked: int = 0  # articles the plausibility gate looked at
    no_author: int = 0
    no_date: int = 0
    threads_advertised: int = 0  # articles with at least one comment advertised, whose thread was read
    threads_advertised_empty: int = 0  # of those, articles where no comment was found
    comments_advertised: int = 0
    comments_found: int = 0
    requests: int = 0
    latency_median_ms: float | None = None
    latency_p95_ms: float | None = None
    status_mix: dict[str, int] = Field(default_factory=dict)  # "200" -> n, …; "0" = no response
    selectors: list[SelectorTally] = Field(default_factory=list)
    channels: list[ChannelTally] = Field(default_factory=list)

    @property
    def requests_per_article(self) -> float | None:
        return self.requests / self.articles if self.articles else None


# --- what the rules conclude --------------------------------------------------------------------------------


class HealthBaseline(BaseModel):
    """The source's own recent normal: earlier runs of the same flow in the trailing window, broken ones left out
    (the `source_health_baseline` view)."""

    runs: int = 0
    discovered_per_day: float | None = None
    min_ok_discovered_per_day: float | None = None  # the quietest ok run's rate (a Sunday, a holiday)
    weekday_runs: int = 0  # baseline runs on the same weekday as this run
    weekday_discovered_per_day: float | None = None  # their rate: news has a weekly rhythm
    failure_share: float | None = None
    empty_share: float | None = None
    implausible_share: float | None = None
    no_author_share: float | None = None
    no_date_share: float | None = None
    advertised_empty_share: float | None = None
    latency_p95_ms: float | None = None


class HealthReason(BaseModel):
    """One thing wrong with a source, said for a person."""

    code: str  # "volume", "selector", "comments", "empty_bodies", "failures", "dead_discovery", …
    subject: str = ""  # what it is about, where a code can apply to several things: a selector field, a URL
    severity: HealthStatus
    message: str
    since: datetime | None = None  # start of the first run in the unbroken streak of runs with this reason
    figure: float | None = None  # the figure behind it, 0..1 where higher is worse (for trends)


class SourceHealth(BaseModel):
    """A source's figures for one run and the status the rules gave them."""

    figures: SourceHealthFigures
    status: HealthStatus = HealthStatus.OK
    reasons: list[HealthReason] = Field(default_factory=list)
    alert: str | None = None  # the AlertKind decided for this run, if any

    @property
    def summary(self) -> str:
        return "; ".join(r.message for r in self.reasons) if self.reasons else "ok"


class AlertKind(StrEnum):
    DEGRADED = "degraded"  # became degraded, or a new reason appeared while degraded
    BROKEN = "broken"  # became broken
    RECOVERED = "recovered"  # back to ok after degraded or broken


class HealthAlert(BaseModel):
    """What goes out to the configured targets (the JSON webhook's body) and in the Prefect event's payload."""

    kind: AlertKind
    source: str
    status: HealthStatus
    previous_status: HealthStatus | None
    run_id: str
    flow: str
    at: datetime
    reasons: list[HealthReason] = Field(default_factory=list)
    figures: dict[str, float | int | None] = Field(default_factory=dict)  # the headline figures of the run

    @property
    def title(self) -> str:
        if self.kind is AlertKind.RECOVERED:
            return f"Wirehouse: {self.source} recovered (was {self.previous_status})"
        return f"Wirehouse: {self.source} is {self.status}"

    @property
    def text(self) -> str:
        if self.kind is AlertKind.RECOVERED:
            return f"{self.source} is ok again as of run {self.run_id} ({self.flow}, {self.at:%Y-%m-%d %H:%M} UTC)."
        return "\n".join(f"- {r.message}" for r in self.reasons) + f"\n(run {self.run_id}, {self.flow})"


class CheckDecision(BaseModel):
    """Whether a scheduled run should read a source now, or leave a broken one alone a while longer."""

    due: bool
    next_check_at: datetime | None = None  # when it is due again; None: every run
    broken_runs: int = 0  # consecutive broken runs behind this decision
    reason: str = ""
