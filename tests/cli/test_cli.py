"""The wirehouse command: demo, sql, status, backfill and clear one-line errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from testing.snapshot.site import serve_on_loopback
from tests.flows.helpers import news_on_loopback, write_sources
from wirehouse.cli import app

runner = CliRunner()


@pytest.fixture(scope="module")
def demo_warehouse(tmp_path_factory: pytest.TempPathFactory, prefect_harness: None) -> Path:
    db = tmp_path_factory.mktemp("cli") / "demo.duckdb"
    result = runner.invoke(app, ["demo", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "Comment thread of the seed article" in result.output
    return db


def test_demo_twice_adds_no_rows(demo_warehouse: Path) -> None:
    before = runner.invoke(app, ["sql", "--db", str(demo_warehouse), "--format", "csv",
                                 "select (select count(*) from articles), (select count(*) from comments), "
                                 "(select count(*) from authors), (select count(*) from raw_responses)"])
    again = runner.invoke(app, ["demo", "--db", str(demo_warehouse)])
    assert again.exit_code == 0
    assert "articles written 0, comments written 0" in " ".join(again.output.split())
    after = runner.invoke(app, ["sql", "--db", str(demo_warehouse), "--format", "csv",
                                "select (select count(*) from articles), (select count(*) from comments), "
                                "(select count(*) from authors), (select count(*) from raw_responses)"])
    assert before.output == after.output


def test_sql_formats(demo_warehouse: Path) -> None:
    csv_out = runner.invoke(app, ["sql", "--db", str(demo_warehouse), "--format", "csv",
                                  "select count(*) as n from comments"])
    assert csv_out.exit_code == 0 and csv_out.output.splitlines() == ["n", "19"]
    json_out = runner.invoke(app, ["sql", "--db", str(demo_warehouse), "--format", "json",
                                   "select author_id from authors where author_id = 'jason-ditz'"])
    assert json_out.output.strip() == '{"author_id": "jason-ditz"}'
    from_stdin = runner.invoke(app, ["sql", "--db", str(demo_warehouse), "--format", "csv"],
                               input="select count(*) as n from articles where source = 'antiwar-news'")
    assert from_stdin.output.splitlines()[1] == "11"


def test_sql_is_read_only_and_errors_are_one_line(demo_warehouse: Path) -> None:
    write = runner.invoke(app, ["sql", "--db", str(demo_warehouse), "delete from comments"])
    assert write.exit_code == 2 and "error" in write.output and "Traceback" not in write.output
    bad = runner.invoke(app, ["sql", "--db", str(demo_warehouse), "selec nothing"])
    assert bad.exit_code == 2 and len(bad.output.strip().splitlines()) == 1
    still = runner.invoke(app, ["sql", "--db", str(demo_warehouse), "--format", "csv", "select count(*) from comments"])
    assert still.output.splitlines()[1] == "19"


def test_status_shows_runs_and_counts(demo_warehouse: Path) -> None:
    result = runner.invoke(app, ["status", "--db", str(demo_warehouse)])
    assert result.exit_code == 0
    assert "nightly" in result.output and "completed" in result.output and "comments" in result.output


def test_backfill_command(tmp_path: Path, prefect_harness: None) -> None:
    db = tmp_path / "b.duckdb"
    with serve_on_loopback("news.antiwar.com") as base:
        sources = write_sources(tmp_path / "sources.yaml", [news_on_loopback(base)])
        result = runner.invoke(app, ["backfill", "--source", "news", "--start", "2026-07-01", "--end", "2026-07-02",
                                     "--db", str(db), "--sources-file", str(sources)])
    assert result.exit_code == 0, result.output
    count = runner.invoke(app, ["sql", "--db", str(db), "--format", "csv", "select count(*) from articles"])
    assert int(count.output.splitlines()[1]) >= 5


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["sql", "--db", "/nonexistent/dir/w.duckdb", "select 1"], "no warehouse at"),
        (["backfill", "--source", "nope", "--start", "2026-07-01", "--end", "2026-07-02"], "unknown source"),
        (["backfill", "--source", "x", "--start", "2026-07-02", "--end", "2026-07-01"], "before"),
        (["ingest", "--db", "/nonexistent/dir/w.duckdb"], "does not exist"),
    ],
)
def test_user_errors_exit_2_with_one_line(args: list[str], message: str, tmp_path: Path, prefect_harness: None) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert message in " ".join(result.output.split()) and "Traceback" not in result.output


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("sources: [{name: x, kind: ftp, base_url: 'https://a.example/'}]", "kind"),
        ("sources: [{name: x, kind: feed, base_url: 'not a url'}]", "base_url"),
        ("sources: [oops", "not valid YAML"),
        (None, "cannot read sources file"),
    ],
)
def test_bad_sources_file(content: str | None, message: str, tmp_path: Path, prefect_harness: None) -> None:
    path = tmp_path / "sources.yaml"
    if content is None:
        path.mkdir()  # exists but cannot be read as a file
    else:
        path.write_text(content)
    result = runner.invoke(app, ["ingest", "--db", str(tmp_path / "w.duckdb"), "--sources-file", str(path)])
    assert result.exit_code == 2, result.output
    assert message in " ".join(result.output.split()) and "Traceback" not in result.output
