"""What a run's failures mean: which targets are done for good, whether the run reached its sources at all.

Pure functions over the stages' records, no I/O: `WindowTally` follows the targets of one window (a backfill
chunk) to their outcome; `run_outcome` says how a run ended; `group_failures` is the summary a person reads.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from schemas import FailureRecord, RunReport

# Failures that a later read will not change: the page is gone, or we may not (or must not) fetch it.
PERMANENT_REASONS = frozenset({"http_404", "http_410", "robots", "offsite"})
# Failures of requests that never reached a server (or got nothing back from it).
UNREACHED_REASONS = frozenset({"unreachable", "transport", "timeout"})

COMPLETED = "completed"
COMPLETED_WITH_FAILURES = "completed_with_failures"
FAILED = "failed"


def is_permanent(failure: FailureRecord) -> bool:
    return failure.reason in PERMANENT_REASONS


@dataclass
class WindowTally:
    """The targets of one window and how each ended: loaded, failed for good, or pending (may pass)."""

    targets: set[str] = field(default_factory=set)
    permanent: set[str] = field(default_factory=set)
    pending: set[str] = field(default_factory=set)
    discovery_complete: bool = True
    discovery_pending: int = 0  # listings or feeds that failed for a reason that may pass

    def add_targets(self, urls: Iterable[str]) -> None:
        self.targets.update(urls)

    def add_discovery(self, complete: bool, failures: Iterable[FailureRecord]) -> None:
        """Listings read whole: the kind says so, and none of its requests failed for a reason that may pass
        (a feed that timed out may list what the other channels missed)."""
        self.discovery_pending += sum(1 for failure in failures if not is_permanent(failure))
        self.discovery_complete = self.discovery_complete and complete and self.discovery_pending == 0

    def add_failures(self, failures: Iterable[FailureRecord]) -> None:
        """A target with any pending failure (at any stage) is pending; one that only failed for good is done."""
        for failure in failures:
            if is_permanent(failure):
                if failure.url not in self.pending:
                    self.permanent.add(failure.url)
            else:
                self.pending.add(failure.url)
                self.permanent.discard(failure.url)

    @property
    def loaded(self) -> int:
        return len(self.targets - self.permanent - self.pending)

    @property
    def failed_permanent(self) -> int:
        return len(self.permanent & self.targets)

    @property
    def pending_count(self) -> int:
        return len(self.pending & self.targets)

    @property
    def finished(self) -> bool:
        """Listings read whole, and every target loaded or failed for good."""
        return self.discovery_complete and self.pending_count == 0


def run_outcome(report: RunReport) -> tuple[str, str]:
    """(status, one-line message) of a finished run.

    `failed` when nothing of any source was read and every failure is a request that reached no server: the run
    did nothing but try. `completed_with_failures` when some target failed; `completed` when none did.
    """
    if report.failed == 0:
        return COMPLETED, ""
    reached_something = report.fetched or report.not_modified or report.parsed
    reasons = set(report.failures_by_reason) or {f.reason for f in report.failures}
    if not reached_something and reasons <= UNREACHED_REASONS:
        example = next((f for f in report.failures if f.reason in UNREACHED_REASONS), None)
        why = f": {example.detail or example.reason}" if example else ""
        return FAILED, f"no request reached {', '.join(report.sources) or 'the source'}{why}"
    return COMPLETED_WITH_FAILURES, f"{report.failed} failed"


@dataclass(frozen=True)
class FailureGroup:
    reason: str
    stage: str
    count: int
    example_url: str
    example_detail: str


def group_failures(report: RunReport) -> list[FailureGroup]:
    """Failures by (reason, stage), most frequent first, each with one example URL and its detail.

    Counts come from `failures_by_reason` where a run kept them (every failure, not only the reported ones).
    """
    groups: dict[tuple[str, str], list[FailureRecord]] = {}
    for failure in report.failures:
        groups.setdefault((failure.reason, failure.stage), []).append(failure)
    listed: dict[str, int] = {}
    for reason, _stage in groups:
        listed[reason] = listed.get(reason, 0) + len(groups[(reason, _stage)])
    result = []
    for (reason, stage), members in groups.items():
        count = len(members)
        total = report.failures_by_reason.get(reason, 0)
        if total > listed[reason] and listed[reason] == count:  # the report kept only some of this reason
            count = total
        example = members[0]
        result.append(FailureGroup(reason, stage, count, example.url, example.detail))
    return sorted(result, key=lambda g: (-g.count, g.reason, g.stage))
