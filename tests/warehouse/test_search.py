"""Offline BM25 search: scores, stemming, filters, incremental refresh and the `wirehouse search` command."""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import duckdb
import pytest
import snowballstemmer
from typer.testing import CliRunner

from schemas.errors import WarehouseError
from tests.warehouse.data import ARTICLES, BODIES, article, load_sample
from warehouse.connection import open_writer
from warehouse.load import load_batch
from warehouse.search import STOP_WORDS, pending_documents, refresh_index, search, snippet
from wirehouse.cli import app

runner = CliRunner()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "wirehouse.duckdb"
    with open_writer(path) as con:
        load_sample(con)
    return path


@pytest.fixture
def con(db: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    with open_writer(db) as connection:
        refresh_index(connection)
        yield connection


def titles(hits: list) -> list[str]:
    return [hit.title for hit in hits]


def test_scores_are_okapi_bm25(con: duckdb.DuckDBPyConnection) -> None:
    """An independent BM25 over the same five articles gives the same scores and order."""
    stem = snowballstemmer.stemmer("english").stemWord
    docs = {}
    for key, _source, _post, title, *_ in ARTICLES:
        text = f"{title} {title} {BODIES[key]}"
        tokens = [t for t in re.split(r"[^a-z0-9]+", text.lower()) if len(t) >= 2 and t not in STOP_WORDS]
        docs[title] = Counter(stem(t) for t in tokens)
    avgdl = sum(sum(c.values()) for c in docs.values()) / len(docs)
    terms = ["bomb", "market"]

    def bm25(counts: Counter) -> float:
        score = 0.0
        for term in terms:
            df = sum(1 for c in docs.values() if term in c)
            if counts[term]:
                idf = math.log(1 + (len(docs) - df + 0.5) / (df + 0.5))
                tf = counts[term]
                score += idf * tf * 2.2 / (tf + 1.2 * (0.25 + 0.75 * sum(counts.values()) / avgdl))
        return score

    expected = sorted(((bm25(c), t) for t, c in docs.items() if bm25(c) > 0), reverse=True)
    hits = search(con, "bombings markets")
    assert [(hit.title, round(hit.score, 9)) for hit in hits] == [(t, round(s, 9)) for s, t in expected]
    assert titles(hits) == ["Car Bomb in Damascus Market Kills at Least 7", "Precision Is a Sales Pitch"]
    assert [hit.matched_terms for hit in hits] == [2, 1]


def test_stemming_case_and_accents(con: duckdb.DuckDBPyConnection) -> None:
    assert titles(search(con, "DEIR ezzór offensives")) == ["ISIS Shifts Focus to Syria as They Lose Ground in Iraq"]
    assert titles(search(con, "negotiator")) == ["A Memorandum Is Not Peace"]
    assert search(con, "ukraine") == []


def test_filters_rank_within_the_whole_index(con: duckdb.DuckDBPyConnection) -> None:
    everything = search(con, "war bomb")
    only_blog = search(con, "war bomb", source="antiwar-blog")
    assert titles(only_blog) == ["Precision Is a Sales Pitch"]
    assert only_blog[0].score == next(h.score for h in everything if h.title == "Precision Is a Sales Pitch")
    since = search(con, "war Iran Washington", since=date(2017, 1, 17))
    assert {hit.title for hit in since} == {"House Votes Down Amendment to Block Funds for Iran Operations",
                                            "A Memorandum Is Not Peace", "Car Bomb in Damascus Market Kills at Least 7"}
    assert all(hit.at is not None and hit.at.date() >= date(2017, 1, 17) for hit in since)
    assert len(search(con, "war", limit=1)) == 1


def test_comment_search(con: duckdb.DuckDBPyConnection) -> None:
    hits = search(con, "disengage Syria", kind="comment")
    assert [(hit.author, hit.title) for hit in hits][:2] == [
        ("Tom Mauel", "ISIS Shifts Focus to Syria as They Lose Ground in Iraq"),
        ("Don", "ISIS Shifts Focus to Syria as They Lose Ground in Iraq"),
    ]
    assert hits[0].text.startswith("Trump has indicated")
    assert [hit.author for hit in search(con, "precision", kind="comment", source="antiwar-blog")] == ["Don"]
    assert search(con, "precision", kind="comment", source="news-antiwar") == []


def test_refresh_indexes_only_what_changed(con: duckdb.DuckDBPyConnection) -> None:
    assert pending_documents(con) == 0
    assert refresh_index(con).indexed == 0

    source, edited = article("memorandum-not-peace", body="The Astana talks produced a memorandum on "
                                                          "de-escalation zones, monitored by Russia and Turkey.")
    load_batch(con, source, [edited], [], [], "run-2")
    assert pending_documents(con) == 1
    counts = refresh_index(con)
    assert (counts.indexed, counts.removed) == (1, 1)
    assert counts.new_tokens >= 4  # astana, talks, produced, de, escalation, zones, … were never seen
    assert titles(search(con, "de-escalation zones")) == ["A Memorandum Is Not Peace"]
    assert search(con, "ceasefire") == []
    assert con.execute("SELECT count(*) FROM search_documents").fetchall() == [(5 + 11,)]
    orphans = con.execute("SELECT count(*) FROM search_postings WHERE doc_key NOT IN "
                          "(SELECT doc_key FROM search_documents)").fetchall()
    assert orphans == [(0,)]


def test_a_deleted_comment_leaves_the_index_and_comes_back_with_its_comment(con: duckdb.DuckDBPyConnection) -> None:
    assert [hit.author for hit in search(con, "disengage", kind="comment")][:1] == ["Tom Mauel"]
    con.execute("UPDATE comments SET deleted_at = now() WHERE author_name = 'Tom Mauel'")  # as a complete read does
    assert pending_documents(con) == 1
    assert refresh_index(con).removed == 1
    assert "Tom Mauel" not in [hit.author for hit in search(con, "disengage", kind="comment")]
    orphans = con.execute("SELECT count(*) FROM search_postings WHERE doc_key NOT IN "
                          "(SELECT doc_key FROM search_documents)").fetchall()
    assert orphans == [(0,)]

    con.execute("UPDATE comments SET deleted_at = NULL WHERE author_name = 'Tom Mauel'")
    assert refresh_index(con).indexed == 1
    assert [hit.author for hit in search(con, "disengage", kind="comment")][:1] == ["Tom Mauel"]


def test_a_query_of_stop_words_is_an_error(con: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(WarehouseError, match="only stop words"):
        search(con, "the and of, it!")


def test_snippet_marks_matches() -> None:
    text = " ".join(f"w{i}" for i in range(100)) + " the bombings continued " + " ".join(f"x{i}" for i in range(50))
    excerpt, spans = snippet(text, "bombing")
    assert excerpt.startswith("… ") and excerpt.endswith(" …")
    assert [excerpt[a:b] for a, b in spans] == ["bombings"]


def test_search_command_indexes_then_searches(db: Path) -> None:
    result = runner.invoke(app, ["search", "--db", str(db), "car bombing Damascus"])
    assert result.exit_code == 0, result.output
    assert "indexing 16 new or changed documents" in result.output
    assert " 1. Car Bomb in Damascus Market Kills at Least 7" in result.output
    assert "news-antiwar · 2017-01-17 · Jason Ditz" in result.output

    again = runner.invoke(app, ["search", "--db", str(db), "--comments", "--format", "json", "disengage"])
    assert again.exit_code == 0 and "indexing" not in again.output
    records = [json.loads(line) for line in again.output.splitlines()]
    assert [(r["rank"], r["author"], r["kind"]) for r in records] == [(1, "Tom Mauel", "comment"),
                                                                      (2, "Don", "comment")]
    assert "disengage" in records[0]["snippet"]

    filtered = runner.invoke(app, ["search", "--db", str(db), "Washington", "--source", "original-antiwar",
                                   "--since", "2017-01-18"])
    assert filtered.exit_code == 0 and "A Memorandum Is Not Peace" in filtered.output
    nothing = runner.invoke(app, ["search", "--db", str(db), "ukraine"])
    assert nothing.exit_code == 0 and "no matches" in nothing.output
    bad = runner.invoke(app, ["search", "--db", str(db), "the"])
    assert bad.exit_code == 2 and "only stop words" in bad.output and "Traceback" not in bad.output
