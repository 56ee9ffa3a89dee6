"""User mistakes on the command line: one clear line on stderr, exit 2, no traceback, before Prefect starts.

Each case runs `wirehouse` in a fresh interpreter, so "before Prefect starts" is checked for what it means:
the prefect package was never imported, and the answer came in well under Prefect's start-up time.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
# What a user waits for a mistake to be pointed out; Prefect's start alone took 7-12 s before these checks.
# Generous for a loaded 2-core machine: the checks themselves take under a second.
PROMPT_SECONDS = 10
_RUN = """
import sys
from wirehouse.cli import app
try:
    app(sys.argv[1:], prog_name="wirehouse")
finally:
    sys.stdout.write("\\nPREFECT IMPORTED" if "prefect" in sys.modules else "")
"""

BROKEN_YAML = """\
sources:
  - name: a
    kind: feed
    base_url: "https://a.example/
  - name: b
"""
SCHEMA_ERROR = """\
sources:
  - name: good
    kind: feed
    base_url: https://a.example/
  - name: bad
    kind: feed
    base_url: not a url
"""


@dataclass
class Outcome:
    code: int
    stdout: str
    stderr: str
    seconds: float

    @property
    def lines(self) -> list[str]:
        return [line for line in self.stderr.splitlines() if line.strip()]


def wirehouse(*args: str, cwd: Path) -> Outcome:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WIREHOUSE_", "PREFECT_"))}
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")])
    env["PREFECT_HOME"] = str(cwd / "prefect-home")  # should a run start after all, it stays in the sandbox
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-c", _RUN, *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=300, check=False)
    return Outcome(done.returncode, done.stdout, done.stderr, time.monotonic() - started)


def assert_user_error(outcome: Outcome, *expected: str, lines: int = 1) -> str:
    """Exit 2, `lines` lines on stderr (the first starting `error:`), quickly, and Prefect never imported."""
    assert outcome.code == 2, outcome.stderr
    assert "Traceback" not in outcome.stderr, outcome.stderr
    assert len(outcome.lines) == lines, outcome.stderr
    assert outcome.lines[0].startswith("error: "), outcome.stderr
    assert "PREFECT IMPORTED" not in outcome.stdout, outcome.stderr
    assert outcome.seconds < PROMPT_SECONDS, f"{outcome.seconds:.1f} s: {outcome.stderr}"
    for text in expected:
        assert text in outcome.lines[0], outcome.stderr
    return outcome.lines[0]


@pytest.fixture
def files(tmp_path: Path) -> Path:
    (tmp_path / "broken.yaml").write_text(BROKEN_YAML, encoding="utf-8")
    (tmp_path / "empty.yaml").write_text("", encoding="utf-8")
    (tmp_path / "schema.yaml").write_text(SCHEMA_ERROR, encoding="utf-8")
    return tmp_path


DB = ["--db", "w.duckdb"]
DAYS = ["--start", "2026-07-01", "--end", "2026-07-02"]
RUNS = {  # each run command, with what it needs besides the case's own arguments
    "ingest": ["ingest"],
    "backfill": ["backfill", "-s", "antiwar-news", *DAYS],
    "comments refresh": ["comments", "refresh"],
}


@pytest.mark.parametrize("command", ["ingest", "backfill", "comments refresh"])
def test_an_unknown_source_is_named_with_the_known_ones(command: str, files: Path) -> None:
    args = ["backfill", "--source", "nope", *DAYS] if command == "backfill" else [*RUNS[command], "--source", "nope"]
    assert_user_error(wirehouse(*args, *DB, cwd=files),
                      "unknown source 'nope'", "known: antiwar-news, antiwar-blog, antiwar-original")


@pytest.mark.parametrize("command", ["ingest", "backfill", "comments refresh"])
@pytest.mark.parametrize(
    ("sources_file", "expected"),
    [
        ("empty.yaml", ["sources file empty.yaml is empty"]),
        ("schema.yaml", ["sources file schema.yaml, line 7: source 'bad' (sources.1): base_url:", "valid URL"]),
        ("missing.yaml", ["sources file not found: missing.yaml"]),
    ],
)
def test_a_bad_sources_file_is_one_line_that_says_where(
    command: str, sources_file: str, expected: list[str], files: Path
) -> None:
    assert_user_error(wirehouse(*RUNS[command], "--sources-file", sources_file, *DB, cwd=files), *expected)


def test_broken_yaml_shows_its_line_and_a_marker_under_the_column(files: Path) -> None:
    outcome = wirehouse("ingest", "--sources-file", "broken.yaml", *DB, cwd=files)
    assert_user_error(outcome, "not valid YAML (line 4, column 15)", "while scanning a quoted scalar",
                      "found unexpected end of stream at line 6, column 1", lines=3)
    _, quoted, marker = outcome.stderr.rstrip("\n").splitlines()
    assert quoted == '  4 |     base_url: "https://a.example/'
    assert marker.index("^") == quoted.index('"')  # column 15 of line 4: the opening quote never closed
    assert marker.strip().replace(" ", "") == "|^" and marker.index("|") == quoted.index("|")


@pytest.mark.parametrize("command", ["demo", "ingest", "backfill", "comments refresh"])
def test_a_warehouse_in_a_missing_folder(command: str, files: Path) -> None:
    args = ["demo"] if command == "demo" else RUNS[command]
    assert_user_error(wirehouse(*args, "--db", "no/such/folder/w.duckdb", cwd=files),
                      "folder no/such/folder does not exist; create it or choose another warehouse path")


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["backfill", "-s", "antiwar-news", "--start", "2026-13-01", "--end", "2026-07-02"],
         "--start '2026-13-01' is not a date: month must be in 1..12"),
        (["backfill", "-s", "antiwar-news", "--start", "2026-07-01", "--end", "2026-02-30"],
         "--end '2026-02-30' is not a date: day is out of range for month"),
        (["backfill", "-s", "antiwar-news", "--start", "last week", "--end", "2026-07-02"],
         "--start 'last week' is not a date: use YYYY-MM-DD"),
        (["backfill", "-s", "antiwar-news", "--start", "2026-07-03", "--end", "2026-07-02"],
         "--end 2026-07-02 is before --start 2026-07-03"),
        (["backfill", "-s", "antiwar-news", *DAYS, "--chunk", "week"], "--chunk must be 'day' or 'month', not 'week'"),
        (["ingest", "--runner", "spark"], "--runner must be one of default, dask, not 'spark'"),
        (["ingest", "--since", "2026-13-01"], "--since '2026-13-01' is not a date: month must be in 1..12"),
        (["ingest", "--since", "July 1st"], "--since 'July 1st' is not a date or time"),
        (["search", "war", "--since", "01/07/2026"], "--since '01/07/2026' is not a date: use YYYY-MM-DD"),
    ],
)
def test_bad_dates_and_choices(args: list[str], expected: str, files: Path) -> None:
    assert_user_error(wirehouse(*args, *DB, cwd=files), expected)


@pytest.fixture
def warehouse_with_sources(tmp_path: Path) -> Path:
    """A warehouse that knows the bundled sources and holds no articles (no flow needed to make it)."""
    from tasks.config import BUNDLED_SOURCES, load_sources
    from warehouse.connection import open_writer
    from warehouse.queries import upsert_sources

    db = tmp_path / "w.duckdb"
    with open_writer(db) as con:
        upsert_sources(con, load_sources(BUNDLED_SOURCES))
    return db


@pytest.mark.parametrize("command", [["search", "war"], ["search", "war", "--comments"], ["health"]])
def test_reading_an_unknown_source_is_an_error_not_an_empty_answer(
    command: list[str], warehouse_with_sources: Path
) -> None:
    outcome = wirehouse(*command, "--source", "nope", "--db", str(warehouse_with_sources),
                        cwd=warehouse_with_sources.parent)
    assert_user_error(outcome, "unknown source 'nope': this warehouse holds antiwar-blog, antiwar-news, "
                      "antiwar-original")
    known = wirehouse(*command[:2], "--source", "antiwar-news", "--db", str(warehouse_with_sources),
                      cwd=warehouse_with_sources.parent)
    assert known.code == (0 if command[0] == "search" else 1), known.stderr  # a known source: nothing yet


def test_verbose_adds_the_traceback_before_the_line(files: Path) -> None:
    outcome = wirehouse("-v", "ingest", "--sources-file", "empty.yaml", *DB, cwd=files)
    assert outcome.code == 2 and "Traceback" in outcome.stderr and "PREFECT IMPORTED" not in outcome.stdout
    assert outcome.lines[-1].startswith("error: sources file empty.yaml is empty")
