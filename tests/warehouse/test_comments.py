"""Threads in the warehouse: commenters, edits with their history, deletion only after a complete read,
comments that come back, and loads that change nothing when nothing changed."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from hashlib import sha256
from pathlib import Path

import duckdb
import pytest

from schemas.pipeline import ParsedComment, RawResponse
from schemas.rows import CommentSectionRow, CommentThreadRows, NormalizedArticle
from tasks.normalize.comments import commenter_id_for, normalize_comments
from tests.warehouse.test_load import SOURCE, make_article
from warehouse import comment_steps
from warehouse.comments import load_threads, threads_to_refresh
from warehouse.connection import open_writer
from warehouse.load import LoadCounts, load_batch

RUN = "run-c"
POSTED = datetime(2017, 1, 17, 0, 3, tzinfo=UTC)
COMMENT_TABLES = ["comments", "commenters", "comment_versions", "comment_sections", "raw_responses", "articles"]


def parsed(site_id: int, parent: int | None, author: str, text: str) -> ParsedComment:
    return ParsedComment(site_id=str(site_id), parent_site_id=str(parent) if parent else None, author=author,
                         posted_at=POSTED + timedelta(minutes=site_id), text=text, html=f"<p>{text}</p>")


SEED = [
    parsed(5, None, "Don", "Exactly as planned by the US and the timing is perfect."),
    parsed(6, 5, "Tom Mauel", "Trump has indicated he would disengage from Syria."),
    parsed(7, 6, "Don", "The US will disengage from Syria if it is hopeless."),
    parsed(8, 5, "Bianca", "I would accept the strategy theory."),
    parsed(9, 8, "Don", "In truth you are agreeing with me."),
]


def article(comments: list[ParsedComment], complete: bool | None, hint: int | None = 5,
            system: str = "wordpress_rest") -> NormalizedArticle:
    """The seed article with this thread; complete=None: no section at all (nobody vouched for the list)."""
    base = make_article()
    article_id = base.article.article_id
    section = None if complete is None else CommentSectionRow(
        article_id=article_id, system=system, fetched=True, complete=complete)
    row = base.article.model_copy(update={"comment_count_hint": hint})
    return base.model_copy(update={"article": row, "comments": normalize_comments(article_id, comments),
                                   "comment_section": section})


def thread(con: duckdb.DuckDBPyConnection) -> list[tuple[int, str, str]]:
    return con.execute("SELECT depth, author_name, text FROM comment_threads ORDER BY path").fetchall()


def state(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple]]:  # type: ignore[type-arg]
    return {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in COMMENT_TABLES}


@pytest.fixture
def con(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    with open_writer(tmp_path / "w.duckdb") as connection:
        yield connection


def test_commenters_keep_every_name_apart_and_apart_from_authors(con: duckdb.DuckDBPyConnection) -> None:
    """Reader names are handles: names that differ are different commenters, one name is one commenter."""
    comments = [*SEED, parsed(10, None, "Marc A. Scaringi, Esq.", "One."), parsed(11, 10, "Marc Scaringi", "Two."),
                parsed(12, None, "", "Nameless."), parsed(13, None, "Иван Петров", "Три.")]
    load_batch(con, SOURCE, [article(comments, complete=True, hint=None)], [], [], RUN)

    names = ["Bianca", "Don", "Marc A. Scaringi, Esq.", "Marc Scaringi", "Tom Mauel", "Иван Петров"]
    assert sorted(con.execute("SELECT display_name, commenter_id FROM commenters").fetchall()) == [
        (name, commenter_id_for(name)) for name in names]
    assert commenter_id_for("Marc Scaringi") == "marc-scaringi-" + sha256(b"Marc Scaringi").hexdigest()[:10]
    assert commenter_id_for("Иван Петров") == sha256("Иван Петров".encode()).hexdigest()[:10]
    don = commenter_id_for("Don")
    assert con.execute("SELECT count(*) FROM comments WHERE commenter_id = ?", [don]).fetchall() == [(3,)]
    assert con.execute("SELECT commenter_id FROM comments WHERE site_comment_id = '12'").fetchall() == [(None,)]
    assert con.execute("SELECT count(*) FROM authors WHERE author_id IN (SELECT commenter_id FROM commenters)"
                       ).fetchall() == [(0,)]


def test_edit_updates_the_text_sets_edited_at_and_keeps_the_old_text(con: duckdb.DuckDBPyConnection) -> None:
    load_batch(con, SOURCE, [article(SEED, complete=True)], [], [], RUN)
    edited = [c.model_copy(update={"text": c.text + " [edited]"}) if c.site_id == "6" else c for c in SEED]
    counts = load_batch(con, SOURCE, [article(edited, complete=True)], [], [], RUN)
    assert (counts.comments_updated, counts.comments_inserted, counts.comments_deleted) == (1, 0, 0)
    twice = [c.model_copy(update={"text": "Rewritten entirely."}) if c.site_id == "6" else c for c in SEED]
    load_batch(con, SOURCE, [article(twice, complete=True)], [], [], RUN)

    rows = con.execute("SELECT site_comment_id, text, edited_at IS NOT NULL FROM comments ORDER BY 1").fetchall()
    assert rows[1] == ("6", "Rewritten entirely.", True)
    assert all(not edited_flag for site_id, _text, edited_flag in rows if site_id != "6")
    versions = con.execute("""SELECT v.version, v.text, v.valid_to <= c.edited_at FROM comment_versions v
                              JOIN comments c USING (comment_id) ORDER BY v.version""").fetchall()
    assert versions == [(1, SEED[1].text, True), (2, SEED[1].text + " [edited]", True)]
    assert con.execute("""SELECT count(*) FROM comment_versions a JOIN comment_versions b USING (comment_id)
                          WHERE b.version = a.version + 1 AND b.valid_from = a.valid_to""").fetchall() == [(1,)]


def test_only_a_complete_read_marks_missing_comments_deleted(con: duckdb.DuckDBPyConnection) -> None:
    load_batch(con, SOURCE, [article(SEED, complete=True)], [], [], RUN)
    without_bianca_branch = SEED[:3]

    for complete in (None, False):  # no section, or a read that says it is partial
        counts = load_batch(con, SOURCE, [article(without_bianca_branch, complete=complete)], [], [], RUN)
        assert counts.comments_deleted == 0
        assert len(thread(con)) == 5

    counts = load_batch(con, SOURCE, [article(without_bianca_branch, complete=True)], [], [], RUN)
    assert counts.comments_deleted == 2
    assert con.execute("SELECT count(*), count(deleted_at) FROM comments").fetchall() == [(5, 2)], "never hard-deleted"
    assert [author for _depth, author, _text in thread(con)] == ["Don", "Tom Mauel", "Don"]
    assert con.execute("SELECT count(*) FROM comments WHERE deleted_at IS NOT NULL AND site_comment_id IN ('8', '9')"
                       ).fetchall() == [(2,)]

    # they come back: undeleted, not duplicated
    counts = load_batch(con, SOURCE, [article(SEED, complete=True)], [], [], RUN)
    assert (counts.comments_restored, counts.comments_inserted, counts.comments_deleted) == (2, 0, 0)
    assert con.execute("SELECT count(*), count(deleted_at) FROM comments").fetchall() == [(5, 0)]
    assert [(d, a) for d, a, _t in thread(con)] == [(0, "Don"), (1, "Tom Mauel"), (2, "Don"), (1, "Bianca"),
                                                    (2, "Don")]


def test_a_deleted_sibling_moves_the_later_ones_up(con: duckdb.DuckDBPyConnection) -> None:
    roots = [parsed(n, None, f"reader {n}", f"comment {n}") for n in range(1, 5)]
    load_batch(con, SOURCE, [article(roots, complete=True, hint=None)], [], [], RUN)
    counts = load_batch(con, SOURCE, [article([roots[0], *roots[2:]], complete=True, hint=None)], [], [], RUN)

    assert (counts.comments_deleted, counts.comments_moved, counts.comments_updated) == (1, 2, 0)
    paths = con.execute("SELECT path, text FROM comment_threads ORDER BY path").fetchall()
    assert paths == [("000000", "comment 1"), ("000001", "comment 3"), ("000002", "comment 4")]


def test_reloading_the_same_thread_changes_nothing(con: duckdb.DuckDBPyConnection) -> None:
    load_batch(con, SOURCE, [article(SEED, complete=True)], [], [], RUN)
    load_batch(con, SOURCE, [article(SEED[:4], complete=True)], [], [], RUN)  # one deleted
    before = state(con)
    counts = load_batch(con, SOURCE, [article(SEED[:4], complete=True)], [], [], RUN)
    assert [(d.advertised, d.loaded) for d in counts.comment_count_differences] == [(5, 4)]  # a check, no write
    assert counts.model_dump(exclude={"comment_counts_checked", "comment_count_differences"}) == LoadCounts(
    ).model_dump(exclude={"comment_counts_checked", "comment_count_differences"})
    assert state(con) == before


def test_advertised_counts_are_checked_against_the_shown_comments(con: duckdb.DuckDBPyConnection) -> None:
    counts = load_batch(con, SOURCE, [article(SEED, complete=True, hint=5)], [], [], RUN)
    assert (counts.comment_counts_checked, counts.comment_count_differences) == (1, [])

    counts = load_batch(con, SOURCE, [article(SEED[:3], complete=True, hint=7)], [], [], RUN)
    (difference,) = counts.comment_count_differences
    assert (difference.advertised, difference.loaded, difference.system) == (7, 3, "wordpress_rest")
    assert difference.url == make_article().article.url and difference.source == SOURCE

    counts = load_batch(con, SOURCE, [article(SEED, complete=None, hint=7)], [], [], RUN)
    assert counts.comment_counts_checked == 0, "an article whose thread was not read is not checked"


def test_sections_record_how_the_thread_was_read_and_change_only_when_that_changes(
    con: duckdb.DuckDBPyConnection,
) -> None:
    load_batch(con, SOURCE, [article(SEED, complete=True)], [], [], RUN)
    first = con.execute("SELECT system, fetched, complete, updated_at FROM comment_sections").fetchall()
    load_batch(con, SOURCE, [article(SEED, complete=True)], [], [], RUN)
    assert con.execute("SELECT system, fetched, complete, updated_at FROM comment_sections").fetchall() == first
    load_batch(con, SOURCE, [article(SEED, complete=False, system="wordpress")], [], [], RUN)
    assert con.execute("SELECT system, complete FROM comment_sections").fetchall() == [("wordpress", False)]


def test_threads_load_without_their_article_and_are_picked_by_age(con: duckdb.DuckDBPyConnection) -> None:
    load_batch(con, SOURCE, [article(SEED, complete=True)], [], [], RUN)
    articles_before = con.execute("SELECT * FROM articles").fetchall()
    article_id = make_article().article.article_id
    published = con.execute("SELECT published_at FROM articles").fetchall()[0][0]

    (target,) = threads_to_refresh(con, SOURCE, published - timedelta(days=1))
    assert (target.article_id, target.system, target.post_id) == (article_id, "wordpress_rest", 101)
    assert threads_to_refresh(con, SOURCE, published + timedelta(seconds=1)) == []
    assert threads_to_refresh(con, "other-source", published - timedelta(days=1)) == []

    gained = [*SEED[:4], parsed(10, 7, "Layla", "A new reply.")]  # 9 deleted, 10 added
    rows = CommentThreadRows(article_id=article_id, comments=normalize_comments(article_id, gained),
                             section=CommentSectionRow(article_id=article_id, system="wordpress_rest", fetched=True,
                                                       complete=True))
    response = RawResponse(url="https://news.example.org/wp-json/wp/v2/comments?post=101", final_url="x",
                           status=200, headers={"etag": '"v2"'}, body=b"[]", fetched_at=POSTED, role="comments_json")
    counts = load_threads(con, SOURCE, [rows], [response], RUN)
    assert (counts.comments_inserted, counts.comments_deleted, counts.raw_responses_inserted) == (1, 1, 1)
    assert [a for _d, a, _t in thread(con)] == ["Don", "Tom Mauel", "Don", "Layla", "Bianca"]
    assert con.execute("SELECT * FROM articles").fetchall() == articles_before
    assert load_threads(con, SOURCE, [rows], [response], RUN) == LoadCounts()


def test_a_failed_thread_load_leaves_nothing(con: duckdb.DuckDBPyConnection, monkeypatch: pytest.MonkeyPatch) -> None:
    load_batch(con, SOURCE, [article(SEED, complete=True)], [], [], RUN)
    before = state(con)

    def explode(*_args: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(comment_steps, "_upsert_comment_sections", explode)
    article_id = make_article().article.article_id
    rows = CommentThreadRows(article_id=article_id, comments=normalize_comments(article_id, SEED[:1]),
                             section=CommentSectionRow(article_id=article_id, system="wordpress_rest", fetched=True,
                                                       complete=True))
    with pytest.raises(RuntimeError):
        load_threads(con, SOURCE, [rows], [], RUN)
    assert state(con) == before


def test_no_sequence_of_reads_duplicates_or_loses_a_comment(con: duckdb.DuckDBPyConnection) -> None:
    """comments has no primary key (warehouse/migrations/005): the loader alone keeps comment_id unique.

    Forty reads of one thread in a seeded random order — full or partial, with or without a section, comments
    added, edited, dropped and brought back, by ingest and by refresh — and after each one: no comment_id twice,
    every comment of the read shown with the read's text and place, and after a complete read nothing else shown.
    """
    import random

    rng = random.Random(5)
    article_id = make_article().article.article_id
    pool = [parsed(n, None if n < 3 or rng.random() < 0.5 else rng.randrange(1, n), f"reader {n % 4}",
                   f"comment {n}") for n in range(1, 13)]
    seen = LoadCounts()
    for step in range(40):
        shown = [c for c in pool if rng.random() < 0.7]
        shown = [c if rng.random() < 0.8 else c.model_copy(update={"text": f"{c.text} (edit {step})"}) for c in shown]
        shown = [c for c in shown if c.parent_site_id is None or any(p.site_id == c.parent_site_id for p in shown)]
        complete = rng.choice([True, True, False, None])
        if rng.random() < 0.3 and complete is not None:
            section = CommentSectionRow(article_id=article_id, system="wordpress_rest", fetched=True,
                                        complete=complete)
            counts = load_threads(con, SOURCE, [CommentThreadRows(
                article_id=article_id, section=section, comments=normalize_comments(article_id, shown))], [], RUN)
        else:
            counts = load_batch(con, SOURCE, [article(shown, complete=complete)], [], [], RUN)
        for field in ("comments_inserted", "comments_updated", "comments_moved", "comments_deleted",
                      "comments_restored"):
            setattr(seen, field, getattr(seen, field) + getattr(counts, field))

        assert con.execute("SELECT comment_id FROM comments GROUP BY ALL HAVING count(*) > 1").fetchall() == []
        stored = {row[0]: row[1:] for row in con.execute(
            "SELECT comment_id, text, parent_id, position FROM comments WHERE deleted_at IS NULL").fetchall()}
        expected = {c.comment_id: (c.text, c.parent_id, c.position) for c in normalize_comments(article_id, shown)}
        assert {k: stored.get(k) for k in expected} == expected, f"step {step}"
        if complete:
            assert set(stored) == set(expected), f"step {step}: a complete read leaves only what it showed"
    # The sequence really went through every kind of change.
    assert min(seen.comments_inserted, seen.comments_updated, seen.comments_moved, seen.comments_deleted,
               seen.comments_restored) > 0, seen


def test_a_thread_read_before_fingerprints_existed_is_diffed_not_duplicated(con: duckdb.DuckDBPyConnection) -> None:
    load_batch(con, SOURCE, [article(SEED, complete=True)], [], [], RUN)
    digest = con.execute("SELECT thread_digest FROM comment_sections").fetchall()
    assert digest[0][0] and len(digest[0][0]) == 32
    con.execute("UPDATE comment_sections SET thread_digest = NULL")  # as a version-4 file has it
    before = state(con)

    counts = load_batch(con, SOURCE, [article(SEED, complete=True)], [], [], RUN)
    assert (counts.comments_inserted, counts.comments_updated, counts.comments_deleted) == (0, 0, 0)
    after = state(con)
    assert after["comments"] == before["comments"]
    assert con.execute("SELECT thread_digest FROM comment_sections").fetchall() == digest, "fingerprint stored again"
