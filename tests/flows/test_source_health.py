"""Source health through the real nightly flow on loopback sites (issue 16's acceptance): after a month of
healthy nights (the recorded month's varied volumes), a quiet week raises nothing; a redesign, a volume collapse,
comments that vanish from the markup and a dead feed each show the night they happen, with one alert each to a
loopback webhook, and a dead feed's recovery with one recovery notice.

The month is run once (about 30 nightly flow runs, 1.5-2.5 minutes on a loaded 2-core machine); each scenario
continues a copy of its warehouse for a few nights of one source.
"""

from __future__ import annotations

import asyncio
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

from testing.webhook_receiver import Received, webhook_receiver
from tests.flows.health_month import NIGHTS, Month, health_rows, living_month, night, run_night

pytestmark = pytest.mark.usefixtures("prefect_harness")


@pytest.fixture(scope="module")
def month(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Month]:
    with living_month(tmp_path_factory.mktemp("living-month")) as lived:
        yield lived


@pytest.fixture
def db(month: Month, tmp_path: Path) -> Iterator[Path]:
    """A copy of the month's warehouse; the sites are as they were made again afterwards."""
    copy = tmp_path / "warehouse.duckdb"
    shutil.copy(month.db, copy)
    yield copy
    for site in month.sites.values():
        site.reset()
        site.theme = "blog" if site.host.startswith("blog") else "news"


@pytest.fixture
def alerts(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Received]]:
    """What a webhook receiver on loopback gets from the runs of the test (WIREHOUSE_HEALTH_WEBHOOK_URLS)."""
    with webhook_receiver() as (url, posts):
        monkeypatch.setenv("WIREHOUSE_HEALTH_WEBHOOK_URLS", f"{url}/alerts")
        yield posts


def tonight(month: Month, db: Path, number: int, source: str) -> dict[str, Any]:
    """Run night `number` for `source` alone; its source_health row."""
    for site in month.sites.values():
        site.now = night(number)
    report = run_night(db, month.sources, night(number), only=[source])
    assert report.status in ("completed", "completed_with_failures")  # a dead feed's nights have failures
    row = health_rows(db, source)[-1]
    assert row["started_at"] == night(number)
    return row


def run_artifact(run_id: str) -> Any:
    """The report artifact of Wirehouse run `run_id`, as the Prefect server holds it."""

    async def read() -> list[Any]:
        async with get_client() as client:
            return await client.read_artifacts(
                artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=["nightly-run-report"])))

    title = f"Wirehouse nightly run {run_id}"
    (artifact,) = [a for a in asyncio.run(read()) if (a.description or "").startswith(title)]
    return artifact


def sent(posts: list[Received]) -> list[dict[str, Any]]:
    return [json.loads(post.body) for post in posts]


def reasons(row: dict[str, Any]) -> dict[str, str]:
    return {f"{r['code']}:{r['subject']}": r["message"] for r in row["reasons"] or []}


def test_a_healthy_month_and_a_quiet_week_raise_no_alert(month: Month, db: Path, alerts: list[Received]) -> None:
    assert month.webhook_posts == [] and all(
        r.status in ("completed", "completed_with_failures") for r in month.reports)
    for number in range(NIGHTS, NIGHTS + 7):
        for site in month.sites.values():
            site.now = night(number)
        run_night(db, month.sources, night(number))
    assert alerts == []
    for source in month.sites:
        rows = health_rows(db, source)
        assert len(rows) == NIGHTS + 7
        assert [(r["started_at"], r["status"], r["reasons"]) for r in rows if r["status"] != "ok"] == []
        assert all(r["alert"] is None for r in rows)
    # the volumes were not flat: weekends at about half a weekday, a holiday, day-to-day noise, feed outages
    wire = [r["discovered"] for r in health_rows(db, "wire")[1:]]
    assert max(wire) >= 2 * min(wire)
    blog = health_rows(db, "blog")
    outages = [r for r in blog if r["discovered"] == 0 and r["channels"][0]["status"] == 503]
    assert outages, "the recorded month's feed outages were replayed"


def test_a_redesign_degrades_the_source_that_night_and_the_generic_extractor_keeps_the_bodies(
    month: Month, db: Path, alerts: list[Received]
) -> None:
    site = month.sites["columns"]
    site.theme = "divi"  # the body's container and the deck gone, the byline out of the body into the title meta
    row = tonight(month, db, NIGHTS, "columns")

    assert row["status"] == "degraded"
    message = reasons(row)["selector:body"]
    pages = row["articles"]
    assert message == (f"body selector `div.entry-content` matched 0 of {pages} pages since 2026-12-01; "
                       "generic extractor used")
    assert pages >= 5 and row["generic_fallback"] == pages and row["empty_bodies"] == 0 and row["no_author"] == 0
    # the night's articles are whole: the article's own closing line, its byline, nothing of Divi's sidebar
    con = duckdb.connect(str(db), read_only=True)
    try:
        stored = con.execute("""
            SELECT a.url, a.body_text, count(aa.author_id) FROM articles AS a
            LEFT JOIN article_authors AS aa USING (article_id)
            WHERE a.source = 'columns' AND a.published_at >= ? GROUP BY ALL
        """, [night(NIGHTS - 1)]).fetchall()
    finally:
        con.close()
    assert len(stored) >= 5
    for url, body, authors in stored:
        number = int(re.search(r"-(\d+)/$", url)[1])  # type: ignore[index]
        assert f"Dispatch {number}, filed at" in body and "Latest Columns" not in body, url
        assert authors >= 1, url
    (alert,) = sent(alerts)
    assert alert["kind"] == "degraded" and alert["source"] == "columns" and alert["status"] == "degraded"
    assert message in [r["message"] for r in alert["reasons"]]
    # the run's report artifact in Prefect is marked, and says why in its health section
    artifact = run_artifact(row["run_id"])
    assert artifact.description.endswith("· ⚠ columns DEGRADED")
    assert "## Source health" in artifact.data and "| columns | degraded | body selector" in artifact.data


def test_a_volume_collapse_degrades_by_volume(month: Month, db: Path, alerts: list[Received]) -> None:
    month.sites["wire"].listing_cap = 5  # the listing shows 5 of the window's ~60 posts
    row = tonight(month, db, NIGHTS, "wire")
    assert row["status"] == "degraded" and row["discovered"] == 5
    (code,) = reasons(row)
    assert code == "volume:"
    assert re.fullmatch(r"volume: 5 articles discovered where this weekday in the last 28 days would expect "
                        r"~(\d+) \(\d+%\)", reasons(row)[code])
    expected = int(re.search(r"~(\d+)", reasons(row)[code])[1])  # type: ignore[index]
    assert 45 <= expected <= 80  # ~50 a Monday, plus the six hours of overlap
    assert [(a["kind"], a["source"]) for a in sent(alerts)] == [("degraded", "wire")]


def test_comments_advertised_but_gone_from_the_markup_degrade_with_that_reason(
    month: Month, db: Path, alerts: list[Received]
) -> None:
    month.sites["columns"].comment_markup = "script"  # the thread is now drawn by a script: none in the HTML
    row = tonight(month, db, NIGHTS, "columns")
    assert row["status"] == "degraded"
    threads = row["threads_advertised"]
    assert threads >= 3 and row["threads_advertised_empty"] == threads and row["comments_found"] == 0
    assert re.fullmatch(rf"comments advertised on {threads} articles \([\d,]+ in all\) but none found on {threads} "
                        r"\(usually \d+%\); the comment markup or API may have changed", reasons(row)["comments:"])
    assert [(a["kind"], a["source"]) for a in sent(alerts)] == [("degraded", "columns")]


def test_a_dead_feed_breaks_the_source_then_it_recovers_with_one_notice(
    month: Month, db: Path, alerts: list[Received]
) -> None:
    blog = month.sites["blog"]
    blog.failing = {"/feed/": 404}
    dead = [tonight(month, db, NIGHTS + day, "blog") for day in range(3)]
    assert [r["status"] for r in dead] == ["degraded", "degraded", "broken"]
    assert [r["discovered"] for r in dead] == [0, 0, 0]
    feed = dead[0]["channels"][0]["url"]
    assert reasons(dead[2])["dead_discovery:discovery"] == (
        f"feed {feed} answered 404 in 3 runs in a row since 2026-12-01; nothing discovered")

    # a run half a day later leaves the broken source alone (its backoff): no request, no row
    for site in month.sites.values():
        site.now = night(NIGHTS + 2.5)
    run_night(db, month.sources, night(NIGHTS + 2.5), only=["blog"])
    assert len(health_rows(db, "blog")) == NIGHTS + 3

    blog.failing = {}
    recovered = [tonight(month, db, NIGHTS + day, "blog") for day in (3, 4)]
    assert [r["status"] for r in recovered] == ["ok", "ok"] and recovered[0]["discovered"] > 0
    kinds = [(a["kind"], a["status"]) for a in sent(alerts)]
    assert kinds == [("degraded", "degraded"), ("broken", "broken"), ("recovered", "ok")]
