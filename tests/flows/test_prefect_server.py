"""Production as it runs: a real Prefect server, `prefect deploy --all` from prefect.yaml, a real process worker.

One module-scoped server on 127.0.0.1 (random port, throwaway PREFECT_HOME). The nightly deployment runs on
the worker against the loopback snapshot site; everything is checked through Prefect's API and the warehouse.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from prefect.client.orchestration import PrefectClient, get_client
from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId, DeploymentFilter
from prefect.client.schemas.objects import StateType
from prefect.settings import PREFECT_API_URL, temporary_settings

from testing.snapshot.site import SNAPSHOT_NOW, serve_on_loopback
from tests.conftest import REPO
from tests.flows.helpers import news_on_loopback, write_sources
from tests.flows.test_flows import query
from wirehouse.demo import DEMO_SINCE

PREFECT = str(Path(sys.executable).with_name("prefect"))
LOS_ANGELES = ZoneInfo("America/Los_Angeles")


@dataclass
class PrefectServer:
    api_url: str
    env: dict[str, str]
    home: Path

    def cli(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        done = subprocess.run([PREFECT, *args], cwd=REPO, env=self.env, capture_output=True, text=True,
                              timeout=timeout, check=False)
        assert done.returncode == 0, f"prefect {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
        return done

    def start(self, *args: str, log: str, **env: str) -> subprocess.Popen[bytes]:
        """A long-running prefect command in its own process group, so it and its children stop together."""
        with (self.home / log).open("wb") as out:
            return subprocess.Popen([PREFECT, *args], cwd=REPO, env={**self.env, **env}, stdout=out,
                                    stderr=subprocess.STDOUT, start_new_session=True)

    def log(self, name: str) -> str:
        return (self.home / name).read_text(errors="replace")[-4000:]


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def prefect_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PrefectServer]:
    home = tmp_path_factory.mktemp("prefect-home")
    api_url = f"http://127.0.0.1:{free_port()}/api"
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PREFECT_", "WIREHOUSE_"))}
    env.update(PREFECT_HOME=str(home), PREFECT_API_URL=api_url, PREFECT_SERVER_ANALYTICS_ENABLED="false",
               PREFECT_SERVER_UI_ENABLED="false", PREFECT_LOGGING_LEVEL="WARNING")
    server = PrefectServer(api_url, env, home)
    port = api_url.rsplit(":", 1)[1].split("/")[0]
    process = server.start("server", "start", "--host", "127.0.0.1", "--port", port, log="server.log")
    try:
        deadline = time.monotonic() + 120
        while True:
            assert process.poll() is None, f"prefect server exited:\n{server.log('server.log')}"
            try:
                urllib.request.urlopen(f"{api_url}/health", timeout=2)
                break
            except OSError:
                assert time.monotonic() < deadline, f"prefect server not healthy in 120 s:\n{server.log('server.log')}"
                time.sleep(0.5)
        server.cli("work-pool", "create", "wirehouse", "--type", "process")
        server.cli("--no-prompt", "deploy", "--all")
        yield server
    finally:
        stop(process)


def api(server: PrefectServer, action: Any) -> Any:
    """Run `action(client)` against this server (not the test harness's temporary one)."""

    async def run() -> Any:
        with temporary_settings({PREFECT_API_URL: server.api_url}):
            async with get_client() as client:
                return await action(client)

    return asyncio.run(run())


def test_deploy_registers_schedules_limits_and_enforced_schemas(prefect_server: PrefectServer) -> None:
    async def read(client: PrefectClient) -> dict[str, Any]:
        nightly = await client.read_deployment_by_name("nightly/nightly")
        refresh = await client.read_deployment_by_name("refresh-comments/refresh-comments")
        backfill = await client.read_deployment_by_name("backfill/backfill")
        runs = await client.read_flow_runs(deployment_filter=DeploymentFilter(id={"any_": [nightly.id]}))
        return {"nightly": nightly, "refresh": refresh, "backfill": backfill, "scheduled": runs}

    deadline = time.monotonic() + 90
    while len((found := api(prefect_server, read))["scheduled"]) < 3:  # the scheduler service runs every few s
        assert time.monotonic() < deadline, f"no scheduled runs:\n{prefect_server.log('server.log')}"
        time.sleep(1)
    nightly, backfill = found["nightly"], found["backfill"]
    ((schedule,),) = [nightly.schedules]
    assert (schedule.schedule.cron, schedule.schedule.timezone, schedule.active) == (
        "30 2 * * *", "America/Los_Angeles", True)
    assert backfill.schedules == []
    # the comment refresh follows the nightly ingest, in the same time zone
    ((refresh,),) = [found["refresh"].schedules]
    assert refresh.schedule.timezone == "America/Los_Angeles" and refresh.active
    (nightly_minute, nightly_hour), (refresh_minute, refresh_hour) = (
        s.schedule.cron.split()[:2] for s in (schedule, refresh))
    assert (int(refresh_hour), int(refresh_minute)) > (int(nightly_hour), int(nightly_minute))
    for deployment in (nightly, found["refresh"], backfill):
        assert deployment.enforce_parameter_schema
        assert deployment.global_concurrency_limit.limit == 1
        assert deployment.concurrency_options.collision_strategy == "ENQUEUE"
        assert deployment.work_pool_name == "wirehouse"
        # deployed where WIREHOUSE_HOME is unset, the placeholder is kept for each worker to resolve
        assert deployment.pull_steps == [
            {"prefect.deployments.steps.set_working_directory": {"directory": "{{ $WIREHOUSE_HOME }}"}}]

    # the server's scheduler already holds the next nights: 02:30 in Los Angeles, on consecutive days
    scheduled = sorted(r.expected_start_time for r in found["scheduled"] if r.state_type == StateType.SCHEDULED)
    assert len(scheduled) >= 3
    local = [moment.astimezone(LOS_ANGELES) for moment in scheduled]
    assert all((t.hour, t.minute) == (2, 30) for t in local)
    assert all((later.date() - earlier.date()).days == 1 for earlier, later in itertools.pairwise(local))
    assert scheduled[0] > datetime.now(UTC)

    # parameter schemas are enforced by the server: a run that cannot fit the flow is refused at creation
    async def bad_runs(client: PrefectClient) -> list[str]:
        refused = []
        for parameters in ({"source": "antiwar-news", "start": "2026-01-01", "end": "2026-01-02", "chunk": "week"},
                           {"start": "2026-01-01", "end": "2026-01-02"}):
            try:
                await client.create_flow_run_from_deployment(backfill.id, parameters=parameters)
            except Exception as exc:  # the server answers 409 with the validation error
                refused.append(str(exc))
        return refused

    refused = api(prefect_server, bad_runs)
    assert len(refused) == 2
    assert "'week' is not one of ['day', 'month']" in refused[0] and "'source' is a required property" in refused[1]


def test_worker_runs_the_nightly_deployment_against_the_loopback_site(
    prefect_server: PrefectServer, tmp_path: Path
) -> None:
    async def pause_schedules(client: PrefectClient) -> None:
        # the worker must only run the run this test triggers, never a scheduled one against the internet
        for deployment in await client.read_deployments():
            for schedule in deployment.schedules:
                await client.update_deployment_schedule(deployment.id, schedule.id, active=False)
        for run in await client.read_flow_runs():
            await client.delete_flow_run(run.id)

    api(prefect_server, pause_schedules)
    db = tmp_path / "warehouse.duckdb"
    # the worker's environment names the checkout its runs start in (the deployment's pull step)
    worker = prefect_server.start("worker", "start", "--pool", "wirehouse", "--type", "process", log="worker.log",
                                  WIREHOUSE_HOME=str(REPO))
    try:
        with serve_on_loopback("news.antiwar.com") as base:
            sources = write_sources(tmp_path / "sources.yaml", [news_on_loopback(base)])
            parameters = {"sources_file": str(sources), "db": str(db), "since": DEMO_SINCE.isoformat(),
                          "until": SNAPSHOT_NOW.isoformat()}

            async def trigger(client: PrefectClient) -> Any:
                nightly = await client.read_deployment_by_name("nightly/nightly")
                return await client.create_flow_run_from_deployment(nightly.id, parameters=parameters)

            flow_run_id = api(prefect_server, trigger).id
            deadline = time.monotonic() + 180
            while True:
                flow_run = api(prefect_server, lambda client: client.read_flow_run(flow_run_id))
                if flow_run.state is not None and flow_run.state.is_final():
                    break
                assert worker.poll() is None, f"worker exited:\n{prefect_server.log('worker.log')}"
                assert time.monotonic() < deadline, f"{flow_run.state_name}:\n{prefect_server.log('worker.log')}"
                time.sleep(1)
    finally:
        stop(worker)
    assert flow_run.state_type == StateType.COMPLETED, prefect_server.log("worker.log")

    articles, comments = query(db, "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM comments)")[0]
    assert articles == 11 and comments > 0  # every post of the news snapshot, with its threads
    assert query(db, "SELECT count(*) FROM articles WHERE url NOT LIKE ?", [base + "/%"]) == [(0,)]
    assert query(db, "SELECT flow, status FROM runs") == [("nightly", "completed")]

    async def artifacts(client: PrefectClient) -> list[Any]:
        return await client.read_artifacts(
            artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[flow_run_id])))

    (artifact,) = api(prefect_server, artifacts)
    assert artifact.key == "nightly-run-report" and artifact.type == "markdown"
    assert "# Wirehouse nightly run" in artifact.data and ": completed" in artifact.data
    assert f"| {articles} | {comments} |" in artifact.data  # articles written, comments written
    assert flow_run.parameters["db"] == str(db)
