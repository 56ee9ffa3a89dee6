"""Acceptance: the nightly, backfill and refresh flows over the bundled snapshot build the golden warehouse.

The goldens were recorded from the code before the restructure of issue 14; see tests/acceptance/digest.py
for what a digest covers and how to record goldens again after a deliberate change of content.
"""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path

import pytest

from flows.backfill import backfill
from flows.nightly import nightly
from flows.refresh_comments import refresh_comments
from testing.snapshot.site import SNAPSHOT_NOW
from tests.acceptance.digest import check_golden
from wirehouse.demo import DEMO_SINCE

pytestmark = pytest.mark.usefixtures("prefect_harness")
GOLDEN = "snapshot"


def test_snapshot_flows_build_the_golden_warehouse(tmp_path: Path) -> None:
    nightly_db = tmp_path / "nightly.duckdb"
    report = asyncio.run(nightly(db=str(nightly_db), transport="snapshot", since=DEMO_SINCE, until=SNAPSHOT_NOW))
    assert report.status == "completed"
    check_golden(GOLDEN, "nightly", nightly_db)

    report = asyncio.run(refresh_comments(db=str(nightly_db), transport="snapshot", days=36500, now=SNAPSHOT_NOW))
    assert report.status == "completed"
    check_golden(GOLDEN, "nightly+refresh", nightly_db)

    backfill_db = tmp_path / "backfill.duckdb"
    for source in ("antiwar-news", "antiwar-blog", "antiwar-original"):
        report = asyncio.run(backfill(source=source, start=date(2026, 6, 1), end=date(2026, 7, 2), chunk="month",
                                      db=str(backfill_db), transport="snapshot"))
        assert report.status == "completed"
    report = asyncio.run(backfill(source="antiwar-news", start=date(2017, 1, 14), end=date(2017, 1, 18), chunk="day",
                                  db=str(backfill_db), transport="snapshot"))
    assert report.status == "completed"
    check_golden(GOLDEN, "backfill", backfill_db)
