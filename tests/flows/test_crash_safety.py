"""kill -9 at random points of a real ingest process, then a rerun: the warehouse equals a clean run's.

Also: two runs at once (the second exits with one clear line) and `wirehouse sql` while a run loads.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from testing.snapshot.site import serve_on_loopback
from tests.flows.helpers import FAST_LOOPBACK, news_on_loopback, original_on_loopback, write_sources
from tests.flows.test_flows import table_digest

REPO = Path(__file__).resolve().parents[2]
SLOW = {**FAST_LOOPBACK, "requests_per_second": 25, "max_concurrency": 2}


@pytest.fixture(scope="module")
def sites(prefect_harness: None) -> Iterator[tuple[str, str]]:
    with serve_on_loopback("news.antiwar.com") as news, serve_on_loopback("original.antiwar.com") as original:
        yield news, original


@pytest.fixture(scope="module")
def api_env(prefect_harness: None) -> dict[str, str]:
    """The subprocesses use the test session's Prefect server instead of starting their own."""
    from prefect.settings import PREFECT_API_URL

    return {
        **os.environ,
        "PREFECT_API_URL": str(PREFECT_API_URL.value()),
        "WIREHOUSE_BATCH_SIZE": "3",
        "PYTHONPATH": str(REPO),
    }


def sources_file(tmp_path: Path, sites: tuple[str, str]) -> Path:
    news = {**news_on_loopback(sites[0]), "politeness": SLOW}
    original = {**original_on_loopback(sites[1]), "politeness": SLOW}
    return write_sources(tmp_path / "sources.yaml", [news, original])


def ingest(db: Path, sources: Path, env: dict[str, str]) -> subprocess.Popen[bytes]:
    command = [
        sys.executable,
        "-m",
        "wirehouse.cli",
        "ingest",
        "--db",
        str(db),
        "--sources-file",
        str(sources),
        "--since",
        "2017-01-01",
    ]
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=REPO)


@pytest.fixture(scope="module")
def clean_run(tmp_path_factory: pytest.TempPathFactory, sites: tuple[str, str], api_env: dict[str, str]):  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("clean")
    db = folder / "w.duckdb"
    started = time.monotonic()
    process = ingest(db, sources_file(folder, sites), api_env)
    _, err = process.communicate(timeout=300)
    assert process.returncode == 0, err.decode()
    return table_digest(db, timeless=True), time.monotonic() - started


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_sigkill_then_rerun_equals_a_clean_run(
    seed: int, tmp_path: Path, sites: tuple[str, str], api_env: dict[str, str], clean_run
) -> None:  # type: ignore[no-untyped-def]
    clean_digest, clean_seconds = clean_run
    db = tmp_path / "w.duckdb"
    sources = sources_file(tmp_path, sites)
    process = ingest(db, sources, api_env)
    time.sleep(random.Random(seed).uniform(0.2, clean_seconds * 0.9))
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)

    rerun = ingest(db, sources, api_env)
    _, err = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, err.decode()
    assert table_digest(db, timeless=True) == clean_digest


def test_a_second_run_at_once_exits_clearly(tmp_path: Path, sites: tuple[str, str], api_env: dict[str, str]) -> None:
    db = tmp_path / "w.duckdb"
    sources = sources_file(tmp_path, sites)
    first = ingest(db, sources, api_env)
    lock = db.with_name(db.name + ".run.lock")
    deadline = time.monotonic() + 60
    while not (lock.exists() and lock.read_text()) and time.monotonic() < deadline:
        time.sleep(0.1)
    second = ingest(db, sources, api_env)
    _, err = second.communicate(timeout=120)
    assert second.returncode == 2
    assert "another Wirehouse run holds" in " ".join(err.decode().split())
    assert "Traceback" not in err.decode()
    assert first.wait(timeout=300) == 0


def test_sql_during_a_run_answers_from_committed_data(
    tmp_path: Path, sites: tuple[str, str], api_env: dict[str, str]
) -> None:
    db = tmp_path / "w.duckdb"
    run = ingest(db, sources_file(tmp_path, sites), api_env)
    counts: list[int] = []
    while run.poll() is None:
        if db.exists():
            query = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "wirehouse.cli",
                    "sql",
                    "--db",
                    str(db),
                    "--format",
                    "csv",
                    "select count(*) from articles",
                ],
                env=api_env,
                capture_output=True,
                cwd=REPO,
                timeout=120,
            )
            if query.returncode == 0:
                counts.append(int(query.stdout.decode().splitlines()[1]))
            else:  # the only acceptable failure: the file did not have its tables yet
                assert "articles" in query.stderr.decode() or "no warehouse" in query.stderr.decode()
        time.sleep(0.2)
    assert run.returncode == 0
    assert counts == sorted(counts)  # committed batches only ever add up
