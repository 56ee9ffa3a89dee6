"""`wirehouse health` and the health table of `wirehouse status`, on a warehouse where one source broke, one
degraded and one stayed well."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from tests.health.sample import health_story
from warehouse.connection import open_writer
from wirehouse.cli import app
from wirehouse.commands.health import health_table, load_trends, sparkline

runner = CliRunner()


@pytest.fixture(scope="module")
def story(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("story") / "wirehouse.duckdb"
    health_story(db)
    return db


def rendered(db: Path, source: str | None = None, days: int = 30, width: int = 160) -> str:
    stream = io.StringIO()
    Console(file=stream, width=width, color_system=None).print(health_table(load_trends(db, source, days), days,
                                                                            width))
    return stream.getvalue()


def test_the_table_says_what_broke_why_since_when_and_the_trend(story: Path) -> None:
    text = rendered(story)
    rows = [line for line in text.splitlines() if re.match(r"│ (blog|news|original) ", line)]
    assert [row.split()[1] for row in rows] == ["blog", "news", "original"]  # broken, degraded, ok
    assert "feed https://blog.example/feed/ answered 404 in 4 runs in a row since" in text
    assert "body selector `div.entry-content` matched 0 of 77 pages since 2026-12-03;" in text
    assert "next try 2026-12-07" in text  # broken twice in a row: left alone two days
    assert "last good 2026-12-01" in text and "last good 2026-12-02" in text and "last good 2026-12-05" in text
    # one mark a run: the blog's five December nights end its volume at zero and its worst figure at full
    blog_volume, blog_worst = re.findall(r"([▁▂▃▄▅▆▇█]{20,}) ", text)[:2]
    assert len(blog_volume) == 31 and blog_volume.endswith("▁▁▁▁")  # 5 November to 5 December
    assert blog_worst.endswith("████") and "100% discovery failed" in text
    assert re.search(r"█{3} 100% body selector", text)


def test_the_command_picks_a_source_and_a_span(story: Path) -> None:
    result = runner.invoke(app, ["health", "--db", str(story), "--source", "news", "--days", "7"])
    assert result.exit_code == 0, result.output
    assert "news" in result.output and "degraded" in result.output
    assert "blog" not in result.output and "original" not in result.output
    assert "runs of the 7 days to 2026-12-05 10:30 UTC" in result.output
    assert re.search(r"[▁▂▃▄▅▆▇█]{8} \d+/day", result.output)  # 8 runs in 7 days (both ends included)

    missing = runner.invoke(app, ["health", "--db", str(story), "--source", "nosuch"])
    assert missing.exit_code == 2 and "unknown source 'nosuch': this warehouse holds blog, news, original" in " ".join(
        missing.output.split())


def test_a_warehouse_without_health_says_so(tmp_path: Path) -> None:
    db = tmp_path / "empty.duckdb"
    with open_writer(db):
        pass
    result = runner.invoke(app, ["health", "--db", str(db)])
    assert result.exit_code == 0 and "no source health recorded yet: it is recorded by each ingest run" in (
        result.output)


def test_status_lists_broken_sources_first(story: Path) -> None:
    result = runner.invoke(app, ["status", "--db", str(story)])
    assert result.exit_code == 0, result.output
    health = result.output[result.output.index("Source health"):result.output.index("Last runs")]
    statuses = re.findall(r"│ (\w+) +│ nightly +│ (\w+) +│", health)
    assert statuses == [("blog", "broken"), ("news", "degraded"), ("original", "ok")]


def test_sparklines() -> None:
    assert sparkline([0, 5, 10]) == "▁▅█"
    assert sparkline([0.0, 0.5, 1.0], top=1.0) == "▁▅█"
    assert sparkline([0, 0]) == "▁▁" and sparkline([]) == ""
