"""The pipeline for one source and window, composed of the stage tasks: discover -> fetch -> parse ->
normalize -> load, batch by batch. Shared by the nightly and backfill flows."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from prefect.utilities.annotations import quote

from flows.progress import ProgressEvent, emit
from flows.reporting import chunks, count_failures
from flows.runners import fetch_and_parse
from schemas import DiscoveryWindow, FailureRecord, RunReport, Source, Target
from tasks.comments.sections import add_comment_counts, with_comment_sections
from tasks.fetch.client import FetchClient
from tasks.health.collector import HealthCollector
from tasks.health.observe import observe_batch, observe_discovery
from tasks.load import load_batch_task
from tasks.normalize.authors import AuthorResolver
from tasks.normalize.task import normalize_batch
from tasks.outcomes import WindowTally
from tasks.sources.state import discovery_validators, not_yet_fetched
from tasks.sources.task import discover
from tasks.verify.task import gate_articles, stored_for
from warehouse.connection import waiting_on_network


async def ingest_window(
    source: Source,
    window: DiscoveryWindow,
    client: FetchClient,
    db: Path,
    report: RunReport,
    resolver: AuthorResolver,
    batch_size: int,
    retry: list[Target] | None = None,
    health: HealthCollector | None = None,
    tally: WindowTally | None = None,
) -> bool:
    """Ingest one window (plus `retry`: earlier failures now due) into the warehouse; `health` sees every batch.

    True when discovery read the window's listings whole and every batch loaded, so the caller may advance the
    watermark. `tally` (a backfill chunk's) follows each target to its outcome: loaded, failed for good, pending.
    """
    validators = discovery_validators(db, source, window)
    with waiting_on_network(db):  # readers may have the warehouse meanwhile
        discovery = await discover(source, window, client, validators)
    undated = not_yet_fetched(db, source, discovery.undated)
    if health is not None:
        health.add_window(window.start, window.end)
        health.add_discovery(observe_discovery(discovery))
        health.add_retried(len(retry or []))
    targets = _unique_targets([*discovery.targets, *undated, *(retry or [])])
    report.discovered += len(targets)
    discover_failures = [
        FailureRecord(source=source.name, url=f.url, stage="discover", reason=f.reason, detail=f.detail)
        for f in discovery.failures
    ]
    count_failures(report, discover_failures)
    if tally is not None:
        tally.add_targets(target.url for target in targets)
        tally.add_discovery(discovery.complete, discover_failures)
    load_batch_task(db, source.name, [], discovery.responses, discover_failures, report.run_id)
    emit(ProgressEvent(source.name, "discovered", 0, len(targets), f"{window.start:%Y-%m-%d}"))

    done = 0
    # fetch and parse run on the flow's task runner (threads or Dask), a few batches ahead; normalize and load
    # run here, in batch order: one writer, and one resolver that learns each batch's aliases for the next
    async for batch, fetched, parsed in fetch_and_parse(source, chunks(targets, batch_size), client, db):
        # quote: the task gets the batch as is; Prefect would walk every object of it looking for futures
        articles, normalize_failures = normalize_batch(source, quote(parsed), resolver)
        articles, comment_failures = with_comment_sections(source, parsed, articles)
        # the plausibility gate: what is not the article asked for never replaces the stored one
        stored, threads = stored_for(db, [a.article.article_id for a in articles])
        articles, gate_failures = gate_articles(source.name, parsed.parsed, articles, stored, threads)
        failures = parsed.failures + normalize_failures + comment_failures + gate_failures
        responses = [r for item in fetched for r in item.responses if r.status != 0]
        counts = load_batch_task(db, source.name, quote(articles), quote(responses), quote(failures), report.run_id)
        if health is not None:
            health.add_batch(observe_batch(fetched, parsed.parsed, articles, failures))

        report.fetched += sum(1 for item in fetched if item.ok)
        report.not_modified += sum(1 for item in fetched if item.not_modified)
        report.retried += sum(item.retries for item in fetched)
        report.skipped_by_robots += sum(1 for f in failures if f.reason == "robots")
        report.parsed += len(parsed.parsed)
        report.articles_written += counts.articles_inserted + counts.articles_updated
        add_comment_counts(report, articles, counts)
        report.authors_written += counts.authors_inserted
        count_failures(report, failures)
        if tally is not None:
            tally.add_failures(failures)
        done += len(batch)
        emit(ProgressEvent(source.name, "batch_loaded", done, len(targets)))
    # listings that all failed (an absent host) read nothing: the window is not done, the watermark stays
    return discovery.complete and (bool(discovery.responses) or not discover_failures)


def _unique_targets(targets: Sequence[Target]) -> list[Target]:
    seen: set[tuple[str, int | str]] = set()
    unique = []
    for target in targets:
        key = (target.source, target.post_id if target.post_id is not None else target.url)
        if key not in seen:
            seen.add(key)
            unique.append(target)
    return unique
