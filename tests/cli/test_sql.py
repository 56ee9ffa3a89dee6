"""`wirehouse sql`: formats (Parquet included), --out, queries from a file or stdin, errors, the writer's lock."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from tests.warehouse.data import load_sample
from warehouse.connection import open_writer
from wirehouse.cli import app

REPO = Path(__file__).resolve().parents[2]
runner = CliRunner()
DAILY = "select source, day, articles from daily_articles order by day, source"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sql") / "wirehouse.duckdb"
    with open_writer(path) as con:
        load_sample(con)
    return path


def test_parquet_keeps_types(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "authors.parquet"
    result = runner.invoke(app, ["sql", "--db", str(db), "--format", "parquet", "--out", str(out),
                                 "select author_id, articles, sources, last_published_at from author_activity "
                                 "order by articles desc, author_id"])
    assert result.exit_code == 0, result.output
    assert "wrote 4 rows" in result.output
    table = pq.read_table(out)
    assert table.schema.field("sources").type == pa.list_(pa.string())
    assert table.schema.field("last_published_at").type == pa.timestamp("us", tz="UTC")
    first = table.slice(0, 1).to_pylist()[0]
    assert first == {"author_id": "jason-ditz", "articles": 3, "sources": ["news-antiwar"],
                     "last_published_at": datetime(2017, 1, 17, 18, 10, tzinfo=UTC)}


def test_parquet_needs_an_output_file(db: Path) -> None:
    result = runner.invoke(app, ["sql", "--db", str(db), "--format", "parquet", "select 1"])
    assert result.exit_code == 2 and "--out" in result.output


@pytest.mark.parametrize(("fmt", "first_line"), [("csv", "source,day,articles"),
                                                 ("json", '{"source": "antiwar-blog", "day": "2017-01-16", '
                                                          '"articles": 1}'),
                                                 ("table", None)])
def test_out_writes_the_file_not_stdout(db: Path, tmp_path: Path, fmt: str, first_line: str | None) -> None:
    out = tmp_path / f"daily.{fmt}"
    result = runner.invoke(app, ["sql", "--db", str(db), "--format", fmt, "--out", str(out), DAILY])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"wrote 4 rows to {out}"
    text = out.read_text()
    if first_line:
        assert text.splitlines()[0] == first_line
    else:
        assert "original-antiwar" in text and "\x1b[" not in text, "a table in a file has no colour codes"


def test_query_from_file_and_stdin(db: Path, tmp_path: Path) -> None:
    query = tmp_path / "q.sql"
    query.write_text("-- comments per source\nselect source, sum(comments) as n\nfrom daily_comments\n"
                     "group by source order by source;\n")
    from_file = runner.invoke(app, ["sql", "--db", str(db), "--format", "json", "-f", str(query)])
    assert [json.loads(line) for line in from_file.output.splitlines()] == [
        {"source": "antiwar-blog", "n": 2}, {"source": "news-antiwar", "n": 8}, {"source": "original-antiwar", "n": 1}
    ]
    from_stdin = runner.invoke(app, ["sql", "--db", str(db), "--format", "csv", "-"], input=query.read_text())
    assert from_stdin.output.splitlines() == ["source,n", "antiwar-blog,2", "news-antiwar,8", "original-antiwar,1"]


@pytest.mark.parametrize(("query", "message"), [
    ("selec * from articles", "syntax error"),
    ("select * from no_such_view", "no_such_view"),
    ("update articles set title = 'x'", "only read-only queries"),
    ("select 1; select 2", "exactly one SQL statement"),
])
def test_bad_sql_is_one_clear_line(db: Path, query: str, message: str) -> None:
    result = runner.invoke(app, ["sql", "--db", str(db), query])
    assert result.exit_code == 2
    assert len(result.output.strip().splitlines()) == 1 and message in result.output
    assert "Traceback" not in result.output


_HOLD = """
import sys, time
from pathlib import Path
from warehouse.connection import open_writer
release = Path(sys.argv[2])
with open_writer(Path(sys.argv[1])) as con:
    print("locked", flush=True)
    deadline = time.monotonic() + 60
    while not release.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
"""


def test_waits_for_the_writer_with_a_message(db: Path, tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    release = tmp_path / "release"
    holder = subprocess.Popen([sys.executable, "-c", _HOLD, str(db), str(release)], cwd=REPO,
                              stdout=subprocess.PIPE, text=True, env=env)
    reader = None
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        reader = subprocess.Popen([sys.executable, "-m", "wirehouse.cli", "sql", "--db", str(db), "--format", "csv",
                                   "select count(*) as n from comments"], cwd=REPO, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True, env=env)
        assert reader.stderr is not None
        # The reader says it waits while the writer holds the file; only then does the writer let go.
        assert reader.stderr.readline().strip() == "warehouse is busy (another writer); retrying…"
        release.touch()
        stdout, stderr = reader.communicate(timeout=60)
    finally:
        release.touch()
        holder.wait(timeout=30)
        if reader is not None and reader.poll() is None:
            reader.kill()
    assert reader.returncode == 0, stderr
    assert stdout.splitlines() == ["n", "11"]
