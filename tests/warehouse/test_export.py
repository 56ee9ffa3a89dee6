"""`wirehouse export`: hive-partitioned Parquet that DuckDB, Polars and pandas read, rewritten only where it changed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pandas as pd
import polars as pl
import pytest
from typer.testing import CliRunner

from tests.warehouse.data import article, load_sample
from warehouse.connection import open_reader, open_writer
from warehouse.export import MANIFEST, export
from warehouse.load import load_batch
from wirehouse.cli import app

runner = CliRunner()
MEMO_MONTH = "source=original-antiwar/year=2017/month=1"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "wirehouse.duckdb"
    with open_writer(path) as con:
        load_sample(con)
    return path


def stamps(folder: Path) -> dict[str, int]:
    """Every Parquet file under the folder with its modification time in nanoseconds."""
    return {str(p.relative_to(folder)): p.stat().st_mtime_ns for p in folder.rglob("*.parquet")}


def run_export(db: Path, target: Path, full: bool = False) -> dict:
    with open_reader(db) as con:
        return export(con, target, full=full)


def test_layout_and_three_readers(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "export"
    result = runner.invoke(app, ["export", "--db", str(db), "--to", str(out)])
    assert result.exit_code == 0, result.output
    assert "articles" in result.output and "comments" in result.output

    partitions = sorted(str(p.parent.relative_to(out / "articles")) for p in (out / "articles").rglob("*.parquet"))
    assert partitions == ["source=antiwar-blog/year=2017/month=1", "source=news-antiwar/year=2017/month=1",
                          MEMO_MONTH]
    assert {p.name for p in out.glob("*.parquet")} == {"authors.parquet", "author_aliases.parquet",
                                                       "article_authors.parquet", "sources.parquet", "runs.parquet",
                                                       "failures.parquet"}

    con = duckdb.connect()
    per_source = con.execute(f"""
        SELECT source, year, month, count(*) FROM read_parquet('{out}/comments/**/*.parquet', hive_partitioning = true)
        GROUP BY ALL ORDER BY source
    """).fetchall()
    assert per_source == [("antiwar-blog", 2017, 1, 2), ("news-antiwar", 2017, 1, 8), ("original-antiwar", 2017, 1, 1)]

    frame = pl.scan_parquet(out / "articles" / "**" / "*.parquet", hive_partitioning=True).collect()
    assert frame.height == 5 and set(frame["source"]) == {"news-antiwar", "antiwar-blog", "original-antiwar"}
    assert frame.schema["published_at"] == pl.Datetime("us", "UTC")

    comments = pd.read_parquet(out / "comments")
    assert len(comments) == 11
    seed = comments[comments["comment_id"] == "news-antiwar:101#c5"].iloc[0]
    assert (seed["author_name"], seed["parent_id"]) == ("Don", "news-antiwar:101#c4")
    runs = pl.read_parquet(out / "runs.parquet")
    assert runs.schema["report"] == pl.String, "JSON columns are exported as text"


def test_second_export_rewrites_nothing_and_an_edit_rewrites_one_partition(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "export"
    run_export(db, out)
    first = stamps(out)

    again = run_export(db, out)
    assert all(not t.written and not t.removed for t in again.values())
    assert stamps(out) == first

    source, memo = article("memorandum-not-peace")
    late = memo.comments[0].model_copy(update={
        "comment_id": "original-antiwar:301#c32", "site_comment_id": "32", "author_name": "Marguerite",
        "text": "Astana is a start.", "html": "<p>Astana is a start.</p>", "content_hash": "late-comment",
        "posted_at": datetime(2017, 1, 19, 8, 0, tzinfo=UTC),
    })
    memo.comments.append(late)
    with open_writer(db) as con:
        load_batch(con, source, [memo], [], [], "run-2")

    changed = run_export(db, out)
    assert changed["comments"].written == [MEMO_MONTH] and changed["comments"].rows_written == 2
    assert changed["articles"].written == [] and changed["authors"].written == []
    now = stamps(out)
    different = {name for name in now if now[name] != first.get(name)}
    assert different == {f"comments/{MEMO_MONTH}/data_0.parquet"}
    assert pd.read_parquet(out / "comments").shape[0] == 12


def test_a_partition_left_empty_is_removed(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "export"
    run_export(db, out)
    source, memo = article("memorandum-not-peace")
    memo.article.published_at = datetime(2017, 2, 1, 5, 0, tzinfo=UTC)  # the site corrected the date
    memo.article.fetched_at += timedelta(days=20)
    with open_writer(db) as con:
        load_batch(con, source, [memo], [], [], "run-2")

    result = run_export(db, out)
    assert result["articles"].removed == [MEMO_MONTH]
    assert result["articles"].written == ["source=original-antiwar/year=2017/month=2"]
    assert not (out / "articles" / MEMO_MONTH).exists()
    assert not (out / "articles" / "source=original-antiwar" / "year=2017" / "month=1").exists()
    assert pl.scan_parquet(out / "articles" / "**" / "*.parquet", hive_partitioning=True).collect().height == 5


def test_full_export_and_a_lost_manifest_rewrite_everything(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "export"
    run_export(db, out)
    (out / MANIFEST).unlink()
    again = run_export(db, out)
    assert len(again["articles"].written) == 3 and again["articles"].rows_written == 5
    full = run_export(db, out, full=True)
    assert len(full["comments"].written) == 3 and full["authors"].rows_written == 4
    assert not [p for p in out.iterdir() if p.name.startswith(".staging")]
