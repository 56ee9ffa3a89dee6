"""Runtime settings: environment (WIREHOUSE_*) over defaults; the CLI and the flows' parameters override them."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

BUNDLED_SOURCES = Path(__file__).resolve().parent / "sources.yaml"

RunnerName = Literal["default", "dask"]
RUNNER_NAMES: tuple[RunnerName, ...] = ("default", "dask")


class Settings(BaseSettings):
    """Everything a run needs that is not a source declaration."""

    model_config = SettingsConfigDict(env_prefix="WIREHOUSE_", extra="ignore")

    db: Path = Field(default=Path("wirehouse.duckdb"), description="DuckDB warehouse file")
    sources_file: Path = Field(default=BUNDLED_SOURCES, description="sources.yaml to read")
    user_agent: str = "Wirehouse/0.1 (+https://github.com/wirehouse/wirehouse; news research crawler)"
    # Prefect spends ~5 ms of CPU a task run (four a batch) and each load has a fixed cost: 200 targets a batch keep
    # both under 1 ms a page, for ~10 MB more memory per batch in flight (benchmarks/e2e.py; docs/scaling.md).
    batch_size: int = Field(default=200, ge=1, le=5000, description="targets per Prefect task run")
    first_run_lookback_days: int = Field(default=2, ge=0, description="window of a source's first nightly run")
    overlap_hours: int = Field(default=6, ge=0, description="re-read this much before the watermark")
    max_failure_attempts: int = Field(default=5, ge=1, description="tries of a failing article before giving up")
    # Adaptive polling (tasks/sources/polling.py): a quiet source is checked every 2..N nights, never less often
    adaptive_polling: bool = Field(default=True, description="check quiet sources less often (nightly runs)")
    max_check_interval_days: int = Field(default=4, ge=1, le=14,
                                         description="longest a quiet source goes unchecked (4: at most 3 nights)")
    run_lock_wait_seconds: float = Field(default=0, ge=0, description="how long a second run waits for the first")
    # A run keeps its writer connection across back-to-back loads and lets go of it (checkpoint) this often, so
    # readers (`wirehouse sql`) get in while a backfill loads; it lets go sooner whenever it waits on the network
    # (warehouse.connection.hold_writer).
    writer_hold_seconds: float = Field(default=3, ge=0, le=25, description="longest a run holds the warehouse")
    # DuckDB's cache in a run's writer; unbounded, the process's peak memory grew with the warehouse. Lower caps
    # trade load speed for memory (docs/scaling.md); too low and a batch's load fails with a clear error (32MB
    # did for 200 articles of 100 comments each).
    writer_memory_limit: str = Field(default="256MB", pattern=r"^\d+(\.\d+)?\s*(KB|MB|GB|KiB|MiB|GiB)$",
                                     description="DuckDB memory_limit of a run's writer connection")


class RunnerSettings(BaseSettings):
    """WIREHOUSE_TASK_RUNNER, WIREHOUSE_DASK_ADDRESS, WIREHOUSE_DASK_WORKERS, WIREHOUSE_DASK_THREADS_PER_WORKER,
    WIREHOUSE_BATCHES_IN_FLIGHT."""

    model_config = SettingsConfigDict(env_prefix="WIREHOUSE_", extra="ignore")

    task_runner: RunnerName = "default"
    dask_address: str | None = Field(default=None, description="scheduler to join, e.g. tcp://10.0.0.5:8786")
    dask_workers: int | None = Field(default=None, ge=1, description="LocalCluster worker processes")
    dask_threads_per_worker: int = Field(default=2, ge=1, description="a fetch waits on I/O; a parse holds the GIL")
    # Batches fetched and parsed ahead of the one being loaded: enough to keep every worker busy, few enough
    # that memory stays flat however many batches a window has.
    batches_in_flight: int = Field(default=4, ge=1, le=64)


class RefreshSettings(BaseSettings):
    """WIREHOUSE_COMMENT_REFRESH_DAYS: how far back a refresh re-reads threads (by publication time)."""

    model_config = SettingsConfigDict(env_prefix="WIREHOUSE_", extra="ignore")

    comment_refresh_days: int = Field(default=7, ge=0, le=3650, description="refresh threads of articles this young")
