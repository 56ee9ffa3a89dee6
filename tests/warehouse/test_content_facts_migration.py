"""Migration 007 on a warehouse written by version 5: commenter ids that merged people are re-derived in SQL exactly
as tasks.normalize.comments derives them, commenters is rebuilt, and the new columns start empty."""

from __future__ import annotations

import shutil
import unicodedata
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from schemas.pipeline import ParsedComment
from schemas.rows import AuthorRow
from tasks.normalize.comments import commenter_id_for, normalize_comments
from tests.warehouse.test_load import make_article
from warehouse.connection import open_writer
from warehouse.load import load_batch
from warehouse.migrate import MIGRATIONS_DIR, migrate

ARTICLE_ID = "antiwar-news:173724"
LOADED = datetime(2026, 7, 1, 6, 0, tzinfo=UTC)
# The bundled snapshot's commenters and the ids version 5 gave them (person_key: first and last name tokens):
# "Old Navy Hand" and "Old Hand" were one commenter, so were "W. Becker" and "Becker", "Ana R." and "Ana".
V5_IDS = {"Old Navy Hand": "old-hand", "Old Hand": "old-hand", "W. Becker": "becker", "Becker": "becker",
          "Ana R.": "ana", "Ana": "ana", "Don": "don", "Иван Петров": "иван-петров", "": None}


def thread() -> list[ParsedComment]:
    names = [*V5_IDS, "Don"]  # Don twice: one commenter with two comments
    return [ParsedComment(site_id=str(i), author=name, text=f"Comment {i}.", html=f"<p>Comment {i}.</p>",
                          posted_at=LOADED - timedelta(hours=i)) for i, name in enumerate(names, 1)]


def version5_warehouse(path: Path, tmp: Path) -> None:
    """A warehouse as version 5 left it: the thread's comments with the ids version 5 derived."""
    old = tmp / "migrations-v5"
    old.mkdir()
    for migration in sorted(MIGRATIONS_DIR.glob("00[1-5]_*.sql")):
        shutil.copy(migration, old)
    con = duckdb.connect(str(path))
    try:
        assert migrate(con, old) == 5
        rows = [{**c.model_dump(), "commenter_id": V5_IDS[c.author_name],
                 "first_seen_at": LOADED + timedelta(days=int(c.site_comment_id)), "updated_at": LOADED}
                for c in normalize_comments(ARTICLE_ID, thread())]
        con.register("_rows", pa.Table.from_pylist(rows))
        con.execute("INSERT INTO comments BY NAME SELECT * FROM _rows")
        con.execute("""INSERT INTO commenters SELECT commenter_id, min(author_name), min(first_seen_at)
                       FROM comments WHERE commenter_id IS NOT NULL GROUP BY commenter_id""")
        con.execute("INSERT INTO authors VALUES ('antiwar-staff', 'Antiwar Staff', NULL, now())")
    finally:
        con.close()


def test_stored_commenter_ids_are_re_derived_and_commenters_rebuilt(tmp_path: Path) -> None:
    db = tmp_path / "v5.duckdb"
    version5_warehouse(db, tmp_path)
    with open_writer(db) as con:
        stored = con.execute("SELECT author_name, commenter_id FROM comments").fetchall()
        assert stored and all(commenter_id == commenter_id_for(name) for name, commenter_id in stored)
        named = sorted({name for name, _ in stored if name})
        commenters = con.execute("SELECT display_name, commenter_id, first_seen_at FROM commenters ORDER BY 1")
        assert commenters.fetchall() == [
            (name, commenter_id_for(name), min(first for n, first in con.execute(
                "SELECT author_name, first_seen_at FROM comments").fetchall() if n == name))
            for name in named]
        assert len({commenter_id_for(name) for name in named}) == len(named) == 8
        # what version 5 knew keeps its place; the new columns start empty
        assert con.execute("SELECT kind FROM authors").fetchall() == [("person",)]
        assert con.execute("SELECT count(*) FROM information_schema.columns WHERE table_name = 'articles' "
                           "AND column_name IN ('reprinted_from', 'reprinted_from_url', 'reprint_note')"
                           ).fetchall() == [(3,)]

        # the same thread read again after the upgrade is what is stored: nothing is written
        item = make_article(173724, comments=normalize_comments(ARTICLE_ID, thread()))
        counts = load_batch(con, "antiwar-news", [item], [], [], "after-upgrade")
        assert (counts.comments_inserted, counts.comments_updated, counts.comments_moved) == (0, 0, 0)
        # an author met again takes the kind the rules give it
        staff = AuthorRow(author_id="antiwar-staff", display_name="Antiwar Staff", kind="organization")
        load_batch(con, "antiwar-news", [item.model_copy(update={"authors": [staff]})], [], [], "after-upgrade")
        assert con.execute("SELECT author_id, kind FROM authors ORDER BY 1").fetchall() == [
            ("antiwar-staff", "organization"), ("jason-ditz", "person")]


def _names_with_every_character() -> list[str]:
    """Every character Python's Unicode database knows, alone and inside a Latin name."""
    names = []
    for code in range(0x110000):
        char = chr(code)
        if 0xD800 <= code <= 0xDFFF or unicodedata.category(char) == "Cn" or char.isspace():
            continue  # surrogates cannot be stored; unassigned ones are marks to newer Unicode versions
        names += [char, f"Ab{char}c D"]
    return names


@pytest.mark.parametrize("names", [
    ["Old Navy Hand", "W. Becker", "Ana R.", "skeptic_mike", "Zoë Müller-Łódź", "Иван Петров", "李小龙", "🙂",
     "Jeff from Texas", "Ritchie Pettauer | datenschmutz.net", "@siegmund.berghammer", "x" * 80],
    _names_with_every_character(),
], ids=["names", "every-character"])
def test_the_migration_derives_the_ids_python_derives(tmp_path: Path, names: list[str]) -> None:
    """007_content_facts.sql mirrors commenter_id_for in SQL; any difference would split a commenter in two."""
    db = tmp_path / "names.duckdb"
    old = tmp_path / "migrations-v5"
    old.mkdir()
    for migration in sorted(MIGRATIONS_DIR.glob("00[1-5]_*.sql")):
        shutil.copy(migration, old)
    con = duckdb.connect(str(db))
    try:
        migrate(con, old)
        con.register("_names", pa.table({"author_name": names}))
        con.execute("""INSERT INTO comments (comment_id, article_id, site_comment_id, depth, position, author_name,
                                             text, html, content_hash, first_seen_at, updated_at)
                       SELECT row_number() OVER (), 'a', row_number() OVER (), 0, 0, author_name, '', '', '',
                              now(), now() FROM _names""")
        assert migrate(con) >= 6
        derived = dict(con.execute("SELECT author_name, commenter_id FROM comments").fetchall())
    finally:
        con.close()
    differences = [(name, derived[name], commenter_id_for(name)) for name in names
                   if derived[name] != commenter_id_for(name)]
    assert differences == []
