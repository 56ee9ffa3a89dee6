"""The recorded month replayed once into a warehouse; each scenario continues from a copy of it."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from schemas.health import SourceHealth, SourceHealthFigures
from tasks.health.settings import HealthSettings
from tasks.health.task import finish_source_health
from testing.webhook_receiver import Received, webhook_receiver
from tests.health.recorded import MONTH_START, healthy_runs, recorded_month


@dataclass
class Month:
    db: Path
    replayed: list[SourceHealth]  # each run's verdict, with the alert it decided (SourceHealth.alert)
    webhook_posts: list[Received]  # what a webhook receiver got while the month was stored as the flows store it
    events: list[dict[str, Any]]  # the Prefect events emitted meanwhile


@pytest.fixture(scope="session")
def month_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Month:
    db = tmp_path_factory.mktemp("month") / "month.duckdb"
    events: list[dict[str, Any]] = []
    with webhook_receiver() as (url, posts):
        settings = HealthSettings(webhook_urls=[f"{url}/hook"])
        replayed = [finish_source_health(db, run, settings, emit=lambda **event: events.append(event))
                    for run in recorded_month()]
    return Month(db, replayed, posts, events)


@pytest.fixture
def after_month(month_warehouse: Month, tmp_path: Path) -> Path:
    """A warehouse holding the recorded month (November 2026), ready for the nights after it."""
    db = tmp_path / "warehouse.duckdb"
    shutil.copy(month_warehouse.db, db)
    return db


def night(source: str, day: int, **changes: Any) -> SourceHealthFigures:
    """The healthy run of `source` on December `day` 2026 (the recorded model, continued), with `changes`."""
    offset = 29 + day
    run = healthy_runs(source, seed=2026, days=offset + 1)[offset]
    assert run.started_at == MONTH_START + timedelta(days=offset)
    return run.model_copy(update=changes)


