"""`wirehouse extract` (the typer command in wirehouse/extract.py) and the benchmark: its skip path, its turns."""

from __future__ import annotations

import gzip
import importlib.util
import json
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from wirehouse.extract import extract

FIXTURES = Path(__file__).parent / "fixtures" / "generic"
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def app() -> typer.Typer:
    app = typer.Typer()
    app.command()(extract)
    return app


@pytest.fixture
def pages(tmp_path: Path) -> Path:
    folder = tmp_path / "pages"
    (folder / "nested").mkdir(parents=True)
    shutil.copy(FIXTURES / "news_article.html", folder / "news.html")
    (folder / "nested" / "packed.html.gz").write_bytes(gzip.compress((FIXTURES / "news_article.html").read_bytes()))
    (folder / "notes.txt").write_text("not a page")
    return folder


def test_jsonl_one_record_per_page_recursively(app: typer.Typer, pages: Path) -> None:
    result = CliRunner().invoke(app, [str(pages), "--jsonl", "--url", "https://ledger.test/2021/03/04/park/"])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.output.splitlines()]
    assert [Path(r["path"]).name for r in records] == ["packed.html.gz", "news.html"]
    record = records[1]
    assert set(record) == {"path", "url", "title", "authors", "published_at", "body_text", "comments"}
    assert record["url"] == "https://ledger.test/2021/03/04/park/"
    assert record["title"] == "Council Approves River Park Budget"
    assert record["authors"] == ["Maria Lopez", "Tom Chen"]
    assert record["published_at"].startswith("2021-03-04")
    assert record["body_text"].startswith("The city council voted")
    assert record["comments"][1] == {
        "id": "102",
        "parent_id": "101",
        "author": "Sue Miller",
        "posted_at": "2021-03-05T15:40:00+00:00",
        "text": "The roads still need fixing before any of this, in my view.",
    }
    assert records[0]["body_text"] == record["body_text"]


def test_default_output_is_a_pretty_json_array(app: typer.Typer, pages: Path) -> None:
    result = CliRunner().invoke(app, [str(pages / "news.html")])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("[\n  {")
    assert json.loads(result.output)[0]["title"] == "Council Approves River Park Budget"


def test_unreadable_page_gives_an_error_record_not_a_crash(app: typer.Typer, pages: Path) -> None:
    missing = pages / "gone.html"
    result = CliRunner().invoke(app, [str(missing), str(pages / "news.html"), "--jsonl"])
    assert result.exit_code == 0, result.output
    first, second = (json.loads(line) for line in result.output.splitlines())
    assert first["path"] == str(missing) and "error" in first
    assert second["title"] == "Council Approves River Park Budget"


def test_benchmark_skips_cleanly_without_shared_data(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = importlib.util.spec_from_file_location("extraction_bench", ROOT / "benchmarks" / "extraction.py")
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, bench)  # dataclasses look their module up there
    spec.loader.exec_module(bench)
    assert bench.main(["--shared", str(tmp_path / "absent")]) == 0
    assert "benchmark skipped" in capsys.readouterr().out


def test_benchmark_tools_take_turns_over_every_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = importlib.util.spec_from_file_location("extraction_bench", ROOT / "benchmarks" / "extraction.py")
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, bench)
    spec.loader.exec_module(bench)
    calls: list[tuple[str, str]] = []

    def tool(name: str) -> Callable[[str, str | None], dict]:
        """A fake extractor that records its calls."""

        def run(html: str, url: str | None) -> dict:
            calls.append((name, html))
            return {"title": html, "authors": [], "published_at": None, "body_text": html, "comments": []}

        return run

    monkeypatch.setattr(bench, "score", lambda scorer, name, out, data: {"pages": len(out.read_text().splitlines())})
    pages = {"aeb": [bench.Page(f"p{n}.html", None, f"page {n}") for n in range(bench.TURN_PAGES + 5)]}
    runs = bench.run_tools({"a": tool("a"), "b": tool("b")}, pages, None, tmp_path, tmp_path)
    assert [run.tool for run in runs] == ["a", "b"]
    total = bench.TURN_PAGES + 5
    assert all(run.pages == {"aeb": total} and run.figures["pages"] == total for run in runs)
    # Turns: all of a's first pages, then b's, then a's rest, then b's rest.
    order = [name for name, _ in calls]
    assert order == ["a"] * bench.TURN_PAGES + ["b"] * bench.TURN_PAGES + ["a"] * 5 + ["b"] * 5
