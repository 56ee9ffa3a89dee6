"""The run report: a row in `runs` and a Prefect markdown artifact on the flow run."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from prefect.artifacts import acreate_markdown_artifact
from prefect.states import Completed, Failed, State

from schemas import FailureRecord, RunReport
from schemas.errors import RunFailed
from schemas.health import SourceHealth
from tasks.comments.sections import comment_report_lines
from tasks.health.alerts import health_marker, health_report_lines
from tasks.load import record_run
from tasks.outcomes import COMPLETED_WITH_FAILURES, FAILED, group_failures, run_outcome

T = TypeVar("T")


MAX_REPORTED_FAILURES = 200  # the report stays readable; `failed` says how many there were


def count_failures(report: RunReport, failures: list[FailureRecord]) -> None:
    report.failed += len(failures)
    for failure in failures:
        report.failures_by_reason[failure.reason] = report.failures_by_reason.get(failure.reason, 0) + 1
    report.failures.extend(failures[: max(0, MAX_REPORTED_FAILURES - len(report.failures))])


def chunks(items: Sequence[T], size: int) -> Iterator[list[T]]:
    """`items` in batches of `size`."""
    for start in range(0, len(items), size):
        yield list(items[start : start + size])


async def finish_report(db: Path, report: RunReport, status: str, health: list[SourceHealth] | None = None
                        ) -> RunReport:
    report.finished_at = datetime.now(UTC)
    report.status = status
    record_run(db, report)
    marker = health_marker(health or [])  # a degraded or broken source marks the artifact
    await acreate_markdown_artifact(
        key=f"{report.flow}-run-report",
        markdown=report_markdown(report) + "".join(f"{line}\n" for line in health_report_lines(health or [])),
        description=f"Wirehouse {report.flow} run {report.run_id}" + (f" · ⚠ {marker}" if marker else ""),
    )
    return report


async def finish_run(db: Path, report: RunReport, health: list[SourceHealth] | None = None
                     ) -> RunReport | State[Any]:
    """Record how the run ended, as honestly as the Prefect run state says it.

    A run that reached no source ends in a Failed state whose message is the one-line reason (no traceback:
    nothing crashed), and its caller gets RunFailed carrying the report; one with failures ends in a Completed
    state named CompletedWithFailures; the flow's caller gets the report.
    """
    status, message = run_outcome(report)
    await finish_report(db, report, status, health)
    if status == FAILED:
        return Failed(message=message, data=RunFailed(message, report))
    if status == COMPLETED_WITH_FAILURES:
        return Completed(name="CompletedWithFailures", message=message, data=report)
    return report


def report_markdown(report: RunReport) -> str:
    lines = [
        f"# Wirehouse {report.flow} run `{report.run_id}`: {report.status}",
        "",
        f"Sources: {', '.join(report.sources)}  ",
        f"Window: {report.window_start:%Y-%m-%d %H:%M} → {report.window_end:%Y-%m-%d %H:%M} UTC"
        if report.window_start and report.window_end
        else "",
        "",
        "| discovered | fetched | not modified | parsed | articles written | comments written | authors new "
        "| failed | skipped by robots | retried requests |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        f"| {report.discovered} | {report.fetched} | {report.not_modified} | {report.parsed} | "
        f"{report.articles_written} | {report.comments_written} | {report.authors_written} | {report.failed} | "
        f"{report.skipped_by_robots} | {report.retried} |",
    ]
    lines += comment_report_lines(report)
    lines += polling_report_lines(report)
    if report.failures:
        lines += ["", "## Failures by reason", "", "| reason | stage | count | example | detail |",
                  "|---|---|---:|---|---|"]
        lines += [f"| {g.reason} | {g.stage} | {g.count} | {g.example_url} | {g.example_detail} |"
                  for g in group_failures(report)]
        lines += ["", "## Failures", "", "| source | stage | reason | url |", "|---|---|---|---|"]
        lines += [f"| {f.source} | {f.stage} | {f.reason} | {f.url} |" for f in report.failures[:50]]
    return "\n".join(lines) + "\n"


def polling_report_lines(report: RunReport) -> list[str]:
    """The nightly's polling choices: which sources it checked and which it left for another night, and why."""
    if not report.polling:
        return []
    lines = ["", "## Checks", "", "| source | checked | new | why |", "|---|---|---:|---|"]
    for d in report.polling:
        new = "" if d.new_articles is None else str(d.new_articles) + ("" if d.complete else " (incomplete)")
        lines.append(f"| {d.source} | {'yes' if d.checked else 'skipped'} | {new} | {d.reason} |")
    return lines
