"""The pipeline for one source and window, composed of the stage tasks: discover -> fetch -> parse ->
normalize -> load, batch by batch. Shared by the nightly and backfill flows."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TypeVar

from flows.progress import ProgressEvent, emit
from schemas import DiscoveryWindow, FailureRecord, FetchOptions, RunReport, Source, Target
from tasks.discover.task import discover
from tasks.fetch.task import fetch_batch
from tasks.load import load_batch_task
from tasks.normalize.authors import AuthorResolver
from tasks.normalize.task import normalize_batch
from tasks.parse.task import parse_batch

T = TypeVar("T")


async def ingest_window(
    source: Source,
    window: DiscoveryWindow,
    options: FetchOptions,
    db: Path,
    report: RunReport,
    resolver: AuthorResolver,
    batch_size: int,
) -> bool:
    """Ingest one window into the warehouse; True when every batch loaded (so a watermark may advance)."""
    discovery = await discover(source, window, options)
    targets = _unique_targets(discovery.targets)
    report.discovered += len(targets)
    discover_failures = [
        FailureRecord(source=source.name, url=f.url, stage="discover", reason=f.reason, detail=f.detail)
        for f in discovery.failures
    ]
    _count_failures(report, discover_failures)
    load_batch_task(db, source.name, [], discovery.responses, discover_failures, report.run_id)
    emit(ProgressEvent(source.name, "discovered", 0, len(targets), f"{window.start:%Y-%m-%d}"))

    done = 0
    for batch in _chunks(targets, batch_size):
        fetched = await fetch_batch(source, batch, options)
        parsed = parse_batch(source, fetched)
        articles, normalize_failures = normalize_batch(source, parsed, resolver)
        failures = parsed.failures + normalize_failures
        responses = [r for item in fetched for r in item.responses if r.status != 0]
        counts = load_batch_task(db, source.name, articles, responses, failures, report.run_id)

        report.fetched += sum(1 for item in fetched if item.ok)
        report.parsed += len(parsed.parsed)
        report.articles_written += counts.articles_inserted + counts.articles_updated
        report.comments_written += counts.comments_inserted + counts.comments_updated
        report.authors_written += counts.authors_inserted
        _count_failures(report, failures)
        done += len(batch)
        emit(ProgressEvent(source.name, "batch_loaded", done, len(targets)))
    return True


def _count_failures(report: RunReport, failures: list[FailureRecord]) -> None:
    report.failed += len(failures)
    report.failures.extend(failures[: max(0, 200 - len(report.failures))])  # the report stays readable


def _unique_targets(targets: Sequence[Target]) -> list[Target]:
    seen: set[tuple[str, int | str]] = set()
    unique = []
    for target in targets:
        key = (target.source, target.post_id if target.post_id is not None else target.url)
        if key not in seen:
            seen.add(key)
            unique.append(target)
    return unique


def _chunks(items: Sequence[T], size: int) -> Iterator[list[T]]:
    for start in range(0, len(items), size):
        yield list(items[start : start + size])
