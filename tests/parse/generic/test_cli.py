"""`wirehouse extract`: the typer command (wirehouse/cli.py), the console script's own path for it
(wirehouse/launcher.py, wirehouse/extract.py) and what that path imports."""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from wirehouse.cli import extract

ROOT = Path(__file__).resolve().parents[3]
FIXTURES = ROOT / "tests" / "fixtures" / "generic"


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


def test_console_script_path_gives_the_same_records_without_heavy_imports(app: typer.Typer, pages: Path) -> None:
    """The console script runs `extract` without typer, pydantic, Prefect or DuckDB, and prints what the
    typer command prints."""
    script = (
        "import sys, json\n"
        "from wirehouse.launcher import main\n"
        "sys.argv = ['wirehouse', 'extract', '--jsonl', sys.argv[1]]\n"
        "try:\n"
        "    main()\n"
        "finally:\n"
        "    heavy = sorted(m for m in ('typer', 'pydantic', 'prefect', 'duckdb', 'rich') if m in sys.modules)\n"
        "    print(json.dumps({'heavy': heavy}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(pages)], capture_output=True, text=True, check=False, cwd=ROOT
    )
    assert done.returncode == 0, done.stderr
    *lines, last = done.stdout.splitlines()
    assert json.loads(last) == {"heavy": []}
    typer_output = CliRunner().invoke(app, [str(pages), "--jsonl"]).output.splitlines()
    assert [json.loads(line) for line in lines] == [json.loads(line) for line in typer_output]
    assert len(lines) == 2


def test_console_script_path_rejects_a_missing_argument_in_one_line() -> None:
    script = "import sys; from wirehouse.launcher import main; sys.argv = ['wirehouse', 'extract']; main()"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False, cwd=ROOT)
    assert done.returncode == 2
    assert "the following arguments are required: PATHS" in done.stderr
