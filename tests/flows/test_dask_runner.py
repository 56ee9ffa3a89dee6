"""Fetch and parse on a Dask cluster: the same warehouse as the default runner, and the settings that choose it."""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from dask.utils import key_split
from distributed.diagnostics.plugin import SchedulerPlugin
from prefect.task_runners import ThreadPoolTaskRunner

from flows.backfill import backfill
from flows.runners import ConfiguredTaskRunner, make_task_runner
from tasks.config import RunnerSettings
from testing.snapshot.site import serve_on_loopback
from tests.flows.helpers import news_on_loopback, write_sources
from tests.flows.test_flows import query, table_digest

FIRST_DAY, LAST_DAY = date(2026, 6, 28), date(2026, 7, 2)  # the snapshot's recent news posts


@pytest.fixture(scope="module")
def news_site() -> Iterator[str]:
    with serve_on_loopback("news.antiwar.com") as base:
        yield base


class FinishedTasks(SchedulerPlugin):
    """A Dask scheduler plugin counting the tasks that finished on the cluster, by function name."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()

    def transition(self, key: object, start: str, finish: str, *args: object, **kwargs: object) -> None:
        if finish == "memory":
            self.counts[key_split(key)] += 1


@pytest.fixture(scope="module")
def local_cluster() -> Iterator[tuple[object, FinishedTasks]]:
    """A two-worker LocalCluster, joined by address like a cluster that runs elsewhere."""
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=2, processes=True, dashboard_address=None) as cluster:
        finished = FinishedTasks()
        cluster.scheduler.add_plugin(finished, name="wirehouse-test-counter")
        yield cluster, finished


def without_responses(digest: dict[str, str]) -> dict[str, str]:
    return {table: value for table, value in digest.items() if table != "raw_responses"}


def stored_responses(db: Path) -> list[tuple[object, ...]]:
    """raw_responses as stored, less the HTTP Date header (the loopback server stamps the time of each reply)."""
    rows = query(db, "SELECT url, final_url, status, role, body_sha256, headers FROM raw_responses ORDER BY ALL")
    return [(*row[:-1], {k: v for k, v in json.loads(str(row[-1])).items() if k != "date"}) for row in rows]


def run_backfill(tmp_path: Path, base: str, name: str, runner: object) -> tuple[Path, object]:
    db = tmp_path / f"{name}.duckdb"
    sources = write_sources(tmp_path / f"{name}-sources.yaml", [news_on_loopback(base)])
    flow = backfill.with_options(task_runner=runner)
    report = asyncio.run(flow(source="news", start=FIRST_DAY, end=LAST_DAY, db=str(db), sources_file=str(sources)))
    return db, report


@pytest.mark.usefixtures("prefect_harness")
def test_dask_backfill_builds_the_same_warehouse_as_the_default_runner(
    tmp_path: Path, news_site: str, local_cluster: tuple[Any, FinishedTasks], monkeypatch: pytest.MonkeyPatch
) -> None:
    cluster, finished = local_cluster
    # small batches: several in flight at once, and aliases learned in one batch serve the next
    monkeypatch.setenv("WIREHOUSE_BATCH_SIZE", "2")
    default_db, default_report = run_backfill(tmp_path, news_site, "default", make_task_runner("default"))

    dask_runner = make_task_runner("dask", RunnerSettings(dask_address=cluster.scheduler_address))
    dask_db, dask_report = run_backfill(tmp_path, news_site, "dask", dask_runner)

    assert default_report.status == dask_report.status == "completed"  # type: ignore[attr-defined]
    assert default_report.failed == dask_report.failed == 0  # type: ignore[attr-defined]
    for counter in ("discovered", "fetched", "parsed", "articles_written", "comments_written", "authors_written"):
        assert getattr(dask_report, counter) == getattr(default_report, counter) > 0, counter
    assert without_responses(table_digest(dask_db)) == without_responses(table_digest(default_db))
    assert stored_responses(dask_db) == stored_responses(default_db)
    assert query(dask_db, "SELECT count(*) FROM backfill_chunks")[0][0] == (LAST_DAY - FIRST_DAY).days + 1

    # the fetch and parse task runs really ran on the cluster's workers: one of each per batch
    batches = sum(-(-count // 2) for (count,) in query(dask_db, """
        SELECT count(*) FROM articles GROUP BY date_trunc('day', published_at)"""))
    assert finished.counts["fetch_batch"] == finished.counts["parse_batch"] == batches, finished.counts


def test_settings_choose_the_runner(monkeypatch: pytest.MonkeyPatch) -> None:
    from prefect_dask import DaskTaskRunner

    monkeypatch.delenv("WIREHOUSE_TASK_RUNNER", raising=False)
    assert type(ConfiguredTaskRunner().duplicate()) is ThreadPoolTaskRunner

    monkeypatch.setenv("WIREHOUSE_TASK_RUNNER", "dask")
    monkeypatch.setenv("WIREHOUSE_DASK_WORKERS", "3")
    local = ConfiguredTaskRunner().duplicate()  # what a deployment's flow run gets from its worker's environment
    assert isinstance(local, DaskTaskRunner) and local.address is None
    assert local.cluster_kwargs == {"processes": True, "threads_per_worker": 2, "dashboard_address": None,
                                    "n_workers": 3}

    monkeypatch.setenv("WIREHOUSE_DASK_ADDRESS", "tcp://10.1.2.3:8786")
    joined = make_task_runner()
    assert isinstance(joined, DaskTaskRunner) and joined.address == "tcp://10.1.2.3:8786"
    assert type(make_task_runner("default")) is ThreadPoolTaskRunner  # --runner default beats the environment

    monkeypatch.setenv("WIREHOUSE_TASK_RUNNER", "ray")
    with pytest.raises(ValueError, match="task_runner"):
        make_task_runner()


@pytest.mark.usefixtures("prefect_harness")
def test_cli_runner_option_sends_fetch_and_parse_to_the_cluster(
    tmp_path: Path, news_site: str, local_cluster: tuple[Any, FinishedTasks], monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from wirehouse.cli import app

    cluster, finished = local_cluster
    before = finished.counts["fetch_batch"]
    monkeypatch.setenv("WIREHOUSE_DASK_ADDRESS", cluster.scheduler_address)
    sources = write_sources(tmp_path / "sources.yaml", [news_on_loopback(news_site)])
    db = tmp_path / "cli.duckdb"
    cli = CliRunner()
    result = cli.invoke(app, ["backfill", "--source", "news", "--start", "2026-07-01", "--end", "2026-07-01",
                              "--db", str(db), "--sources-file", str(sources), "--runner", "dask"])
    assert result.exit_code == 0, result.output
    assert query(db, "SELECT count(*) FROM articles")[0][0] > 0
    assert finished.counts["fetch_batch"] == before + 1  # the day's one batch, fetched on the cluster

    refused = cli.invoke(app, ["backfill", "--source", "news", "--start", "2026-07-01", "--end", "2026-07-01",
                               "--db", str(db), "--sources-file", str(sources), "--runner", "ray"])
    assert refused.exit_code == 2 and "--runner must be one of default, dask, not 'ray'" in refused.output
