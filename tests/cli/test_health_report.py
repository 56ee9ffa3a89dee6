"""The report's health section: per-source charts of each run, unwell sources first, drawn by a real Chromium."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.flows.test_report import CHROMIUM, color_counts, read_png
from tests.health.recorded import recorded_month
from tests.health.sample import health_story
from tests.warehouse.data import load_sample
from warehouse.connection import open_writer
from wirehouse.cli import app
from wirehouse.commands.report import STATUS_COLORS

runner = CliRunner()


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("health-report")
    db = folder / "wirehouse.duckdb"
    with open_writer(db) as con:
        load_sample(con)
    health_story(db)
    out = folder / "report.html"
    result = runner.invoke(app, ["report", "--db", str(db), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_unwell_sources_come_first_with_their_reasons_and_charts(report: Path) -> None:
    page = report.read_text(encoding="utf-8")
    section = page[page.index('<section class="alarm"><h2>Source health</h2>'):]
    section = section[:section.index("</section>")]
    assert page.index("Source health") < page.index("Articles per day")  # problems before the usual
    assert "2 of 3 sources need attention." in section
    names = re.findall(r'<h3>(\w+) <span class="tag (\w+)">(\w+)</span></h3>', section)
    assert names == [("blog", "bad", "broken"), ("news", "warn", "degraded"), ("original", "ok", "ok")]
    assert ("<li>body selector `div.entry-content` matched 0 of 77 pages since 2026-12-03; generic extractor "
            "used</li>") in section
    assert "next try 2026-12-07 10:30 UTC" in section and "last good run 2026-12-01 10:30 (blog-20261201)" in section
    assert section.count("<svg") == 6  # volume and worst figure, per source
    assert "<title>Sat 05 Dec 2026 · broken: 0.0 targets a day</title>" in section
    assert "<title>Fri 04 Dec 2026 · degraded: 100% body selector</title>" in section
    # one bar per run of the last 30 days (5 November to 5 December) in each chart
    blog_volume = section[section.index("<h3>blog"):section.index("<h3>news")].split("<svg")[1]
    assert blog_volume.count("<rect") == 31
    for forbidden in ("<script", "<link", "<img", "url("):
        assert forbidden not in page


def test_a_healthy_warehouse_keeps_the_section_after_the_content(tmp_path: Path) -> None:
    from tasks.health.task import record_health

    db = tmp_path / "healthy.duckdb"
    for run in recorded_month()[:12]:
        record_health(db, run)
    out = tmp_path / "report.html"
    assert runner.invoke(app, ["report", "--db", str(db), "--out", str(out)]).exit_code == 0
    page = out.read_text(encoding="utf-8")
    assert "Every source is ok." in page and 'class="alarm"' not in page
    assert page.index("Most commented articles") < page.index("Source health") < page.index("Last runs")


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (apt-get install chromium); "
                                             "the section's structure is still checked by the tests above")
def test_chromium_draws_every_status(report: Path, tmp_path: Path) -> None:
    shot = tmp_path / "health.png"
    subprocess.run(
        [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
         "--window-size=1200,1500", f"--screenshot={shot}", report.as_uri()],
        check=True, capture_output=True, timeout=120,
    )
    width, height, rows = read_png(shot)
    assert (width, height) == (1200, 1500)
    pixels = color_counts([row[120 * 3:] for row in rows])  # right of the section's red alarm border: the bars
    for status, color in STATUS_COLORS.items():
        drawn = pixels.get(bytes.fromhex(color[1:]), 0)
        assert drawn > 1000, f"{status} ({color}) barely drawn: {drawn} pixels"
