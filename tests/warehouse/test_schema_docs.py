"""docs/warehouse.md is generated from the live schema and must match it: CI fails when a migration changes
the schema without regenerating it (python -m warehouse.schema_docs)."""

from __future__ import annotations

import re
from pathlib import Path

from warehouse.connection import open_writer
from warehouse.schema_docs import DOC_PATH, live_schema_markdown, main


def test_checked_in_document_matches_the_live_schema() -> None:
    assert DOC_PATH.read_text(encoding="utf-8") == live_schema_markdown(), (
        "docs/warehouse.md is stale: run `.venv/bin/python -m warehouse.schema_docs` and commit the result"
    )


def test_every_table_view_and_column_is_described(tmp_path: Path) -> None:
    text = live_schema_markdown()
    assert "*(no description)*" not in text
    with open_writer(tmp_path / "w.duckdb") as con:
        relations = {r[0] for r in con.execute(
            "SELECT table_name FROM duckdb_tables() UNION SELECT view_name FROM duckdb_views() WHERE NOT internal"
        ).fetchall()}
        columns = con.execute("SELECT count(*) FROM duckdb_columns() WHERE table_name IN (SELECT unnest(?))",
                              [sorted(relations)]).fetchall()[0][0]
    assert set(re.findall(r"^### (\w+)$", text, flags=re.M)) == relations
    assert len(re.findall(r"^\| `\w+` \|", text, flags=re.M)) == columns


def test_check_mode_spots_a_stale_file(tmp_path: Path) -> None:
    stale = tmp_path / "warehouse.md"
    stale.write_text("# old\n")
    assert main(["--check", "--out", str(stale)]) == 1
    assert main(["--out", str(stale)]) == 0
    assert main(["--check", "--out", str(stale)]) == 0
