"""load_batch against a real temp-file DuckDB: idempotence, updates, crash safety, views.

The row factory below (make_article, seed_thread, …) mirrors the Antiwar.com seed article: one news post by
Jason Ditz with the five-comment thread Don → Tom Mauel → Don; Don → Bianca → Don.
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from schemas.pipeline import RawResponse
from schemas.report import FailureRecord
from schemas.rows import (
    ArticleAuthorRow,
    ArticleRow,
    AuthorAliasRow,
    AuthorRow,
    CommentRow,
    NormalizedArticle,
)
from warehouse import load as load_module
from warehouse.connection import open_writer
from warehouse.load import LoadCounts, load_batch
from warehouse.queries import alias_map, author_bios, open_failures

SOURCE = "news-antiwar"
RUN = "run-1"
FETCHED = datetime(2017, 1, 9, 15, 0, tzinfo=UTC)
REPO = Path(__file__).resolve().parents[1]
TABLES = ["sources", "articles", "authors", "author_aliases", "article_authors", "comments", "raw_responses",
          "runs", "failures"]

# --- factory ------------------------------------------------------------------------------------------


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def slug(name: str) -> str:
    return "-".join(name.lower().split())


def make_comment(article_id: str, site_id: int, parent: int | None, position: int, author: str, text: str,
                 depth: int = 0) -> CommentRow:
    return CommentRow(
        comment_id=f"{article_id}#c{site_id}", article_id=article_id, site_comment_id=str(site_id),
        parent_id=f"{article_id}#c{parent}" if parent is not None else None, depth=depth, position=position,
        author_name=author, posted_at=FETCHED - timedelta(minutes=60 - site_id), text=text,
        html=f"<p>{text}</p>", content_hash=_hash(author + text),
    )


def seed_thread(article_id: str) -> list[CommentRow]:
    """The seed article's thread, listed out of page order so that only the view can put it right."""
    return [
        make_comment(article_id, 5, 4, 0, "Don", "In truth you are agreeing with me.", depth=2),
        make_comment(article_id, 4, 1, 1, "Bianca", "I would accept the strategy theory.", depth=1),
        make_comment(article_id, 3, 2, 0, "Don", "The US will disengage from Syria if it is hopeless.", depth=2),
        make_comment(article_id, 2, 1, 0, "Tom Mauel", "Trump has indicated he would disengage.", depth=1),
        make_comment(article_id, 1, None, 0, "Don", "Exactly as planned by the US.", depth=0),
    ]


def make_article(
    post_id: int = 101,
    *,
    title: str = "ISIS Shifts Focus to Syria as They Lose Ground in Iraq",
    body: str = "While reports of ISIS' outright defeat in Iraq are dramatically overstated…",
    authors: list[tuple[str, str | None]] | None = None,
    comments: list[CommentRow] | None = None,
    fetched_at: datetime = FETCHED,
    aliases: list[str] | None = None,
) -> NormalizedArticle:
    article_id = f"{SOURCE}:{post_id}"
    authors = authors if authors is not None else [("Jason Ditz", "Jason Ditz is news editor of Antiwar.com.")]
    author_rows = [AuthorRow(author_id=slug(name), display_name=name, bio=bio) for name, bio in authors]
    alias_names = aliases if aliases is not None else [name.lower() for name, _ in authors]
    return NormalizedArticle(
        article=ArticleRow(
            article_id=article_id, source=SOURCE, post_id=post_id,
            url=f"https://news.antiwar.com/2017/01/09/post-{post_id}/", title=title,
            deck="Deir Ezzor offensive seen as effort to shore up control in Syria's east",
            published_at=datetime(2017, 1, 9, 14, 0, tzinfo=UTC), modified_at=None, body_text=body,
            body_html=f"<p>{body}</p>", word_count=len(body.split()), content_hash=_hash(title + body),
            categories=["News"], tags=["ISIS", "Syria"], comment_count_hint=5, parser="wordpress_rest",
            fetched_at=fetched_at,
        ),
        authors=author_rows,
        aliases=[AuthorAliasRow(alias=alias, author_id=author_rows[0].author_id) for alias in alias_names],
        article_authors=[ArticleAuthorRow(article_id=article_id, author_id=a.author_id, position=i)
                         for i, a in enumerate(author_rows)],
        comments=comments if comments is not None else seed_thread(article_id),
    )


def make_response(url: str, body: bytes, fetched_at: datetime = FETCHED) -> RawResponse:
    return RawResponse(url=url, final_url=url, status=200, headers={"content-type": "application/json"},
                       body=body, fetched_at=fetched_at, elapsed_ms=12.5, role="article")


def snapshot(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple]]:
    return {table: con.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall() for table in TABLES}


@pytest.fixture
def con(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    with open_writer(tmp_path / "wirehouse.duckdb") as connection:
        yield connection


# --- idempotence and updates --------------------------------------------------------------------------


def test_first_load_counts_everything(con: duckdb.DuckDBPyConnection) -> None:
    article = make_article()
    counts = load_batch(con, SOURCE, [article], [make_response(article.article.url, b'{"id": 101}')], [], RUN)
    assert counts == LoadCounts(articles_inserted=1, comments_inserted=5, authors_inserted=1,
                                aliases_inserted=1, raw_responses_inserted=1)
    row = con.execute("SELECT title, categories, published_at, first_seen_at = updated_at FROM articles").fetchall()
    assert row == [(article.article.title, ["News"], datetime(2017, 1, 9, 14, 0, tzinfo=UTC), True)]


def test_reloading_the_same_batch_changes_nothing(con: duckdb.DuckDBPyConnection) -> None:
    batch = [make_article(101), make_article(102, authors=[("Dave DeCamp", None), ("Jason Ditz", None)])]
    responses = [make_response(a.article.url, a.article.body_html.encode()) for a in batch]
    load_batch(con, SOURCE, batch, responses, [], RUN)
    before = snapshot(con)

    again = load_batch(con, SOURCE, batch, responses, [], "run-2")

    assert again == LoadCounts()
    assert snapshot(con) == before


def test_refetch_with_only_a_new_fetch_time_is_not_an_update(con: duckdb.DuckDBPyConnection) -> None:
    load_batch(con, SOURCE, [make_article()], [], [], RUN)
    before = snapshot(con)
    counts = load_batch(con, SOURCE, [make_article(fetched_at=FETCHED + timedelta(days=1))], [], [], RUN)
    assert counts == LoadCounts()
    assert snapshot(con) == before


def test_changed_article_is_updated_and_its_byline_replaced(con: duckdb.DuckDBPyConnection) -> None:
    load_batch(con, SOURCE, [make_article()], [], [], RUN)
    (first_seen, updated), = con.execute("SELECT first_seen_at, updated_at FROM articles").fetchall()

    edited = make_article(title="ISIS Shifts Focus to Syria (Updated)",
                          authors=[("Dave DeCamp", None), ("Jason Ditz", None)])
    counts = load_batch(con, SOURCE, [edited], [], [], "run-2")

    assert counts.articles_updated == 1 and counts.articles_inserted == 0
    assert counts.authors_inserted == 1
    rows = con.execute("SELECT title, first_seen_at, updated_at FROM articles").fetchall()
    assert rows[0][0] == "ISIS Shifts Focus to Syria (Updated)"
    assert rows[0][1] == first_seen and rows[0][2] > updated
    assert con.execute("SELECT author_names, byline FROM article_bylines").fetchall() == [
        (["Dave DeCamp", "Jason Ditz"], "Dave DeCamp, Jason Ditz")
    ]


def test_byline_change_alone_updates_the_article(con: duckdb.DuckDBPyConnection) -> None:
    load_batch(con, SOURCE, [make_article(authors=[("Jason Ditz", None), ("Dave DeCamp", None)])], [], [], RUN)
    counts = load_batch(con, SOURCE, [make_article(authors=[("Dave DeCamp", None), ("Jason Ditz", None)])],
                        [], [], RUN)
    assert counts.articles_updated == 1
    assert con.execute("SELECT author_id, position FROM article_authors ORDER BY position").fetchall() == [
        ("dave-decamp", 0), ("jason-ditz", 1)
    ]


def test_changed_comment_is_updated_and_missing_comments_are_kept(con: duckdb.DuckDBPyConnection) -> None:
    article = make_article()
    load_batch(con, SOURCE, [article], [], [], RUN)
    stamps = dict(con.execute("SELECT site_comment_id, updated_at FROM comments").fetchall())

    aid = article.article.article_id
    edited_tom = make_comment(aid, 2, 1, 0, "Tom Mauel", "Trump has indicated he would disengage. [edited]",
                              depth=1)
    unchanged_don = seed_thread(aid)[-1]
    counts = load_batch(con, SOURCE, [make_article(comments=[edited_tom, unchanged_don])], [], [], RUN)

    assert (counts.comments_updated, counts.comments_inserted) == (1, 0)
    rows = dict(con.execute("SELECT site_comment_id, updated_at FROM comments").fetchall())
    assert len(rows) == 5, "a batch with a partial comment list must not delete comments"
    assert rows["2"] > stamps["2"]
    assert all(rows[key] == stamps[key] for key in ("1", "3", "4", "5"))
    assert con.execute("SELECT text FROM comments WHERE site_comment_id = '2'").fetchall()[0][0].endswith(
        "[edited]")


def test_author_bio_is_filled_in_and_never_erased(con: duckdb.DuckDBPyConnection) -> None:
    load_batch(con, SOURCE, [make_article(101, authors=[("Jason Ditz", None)])], [], [], RUN)
    assert author_bios(con) == {}

    bio = "Jason Ditz is news editor of Antiwar.com."
    load_batch(con, SOURCE, [make_article(102, authors=[("Jason Ditz", bio)])], [], [], RUN)
    assert author_bios(con) == {"jason-ditz": bio}

    load_batch(con, SOURCE, [make_article(103, authors=[("Jason Ditz", "")])], [], [], RUN)
    assert author_bios(con) == {"jason-ditz": bio}


def test_new_alias_is_added_to_a_known_author(con: duckdb.DuckDBPyConnection) -> None:
    load_batch(con, SOURCE, [make_article(101)], [], [], RUN)
    counts = load_batch(con, SOURCE, [make_article(102, aliases=["jason ditz", "jason"])], [], [], RUN)
    assert (counts.aliases_inserted, counts.authors_inserted) == (1, 0)
    assert alias_map(con) == {"jason": ["jason-ditz"], "jason ditz": ["jason-ditz"]}


def test_duplicate_keys_within_a_batch_keep_the_last(con: duckdb.DuckDBPyConnection) -> None:
    counts = load_batch(con, SOURCE, [make_article(title="first"), make_article(title="second")], [], [], RUN)
    assert (counts.articles_inserted, counts.comments_inserted) == (1, 5)
    assert con.execute("SELECT title FROM articles").fetchall() == [("second",)]

    aid = f"{SOURCE}:102"
    twice = [make_comment(aid, 1, None, 0, "Don", "first text"), make_comment(aid, 1, None, 0, "Don", "final text")]
    counts = load_batch(con, SOURCE, [make_article(102, comments=twice, aliases=["jason ditz", "jason ditz"])],
                        [], [], RUN)
    assert (counts.comments_inserted, counts.aliases_inserted) == (1, 0)
    assert con.execute("SELECT text FROM comments WHERE article_id = ?", [aid]).fetchall() == [("final text",)]


def test_identical_refetch_adds_no_raw_response(con: duckdb.DuckDBPyConnection) -> None:
    url = "https://news.antiwar.com/wp-json/wp/v2/posts/101"
    first = load_batch(con, SOURCE, [], [make_response(url, b'{"id": 101}')], [], RUN)
    same = load_batch(con, SOURCE, [], [make_response(url, b'{"id": 101}', FETCHED + timedelta(hours=1))], [], RUN)
    changed = load_batch(con, SOURCE, [], [make_response(url, b'{"id": 101, "x": 1}')], [], RUN)

    assert (first.raw_responses_inserted, same.raw_responses_inserted, changed.raw_responses_inserted) == (1, 0, 1)
    rows = con.execute("SELECT response_id, body, body_sha256, headers->>'content-type' FROM raw_responses "
                       "ORDER BY octet_length(body)").fetchall()
    assert rows[0][1] == b'{"id": 101}'
    assert rows[0][2] == hashlib.sha256(b'{"id": 101}').hexdigest()
    assert rows[0][0] == hashlib.sha256((url + rows[0][2]).encode()).hexdigest()
    assert rows[0][3] == "application/json"


def test_failures_are_upserted_and_resolved_by_a_successful_load(con: duckdb.DuckDBPyConnection) -> None:
    article = make_article()
    url = article.article.url
    load_batch(con, SOURCE, [], [], [FailureRecord(source=SOURCE, url=url, stage="fetch", reason="timeout")], RUN)
    load_batch(con, SOURCE, [], [], [FailureRecord(source=SOURCE, url=url, stage="fetch", reason="http_500",
                                                   detail="Internal Server Error")], "run-2")

    rows = con.execute("SELECT reason, detail, attempts, run_id, first_failed_at < last_failed_at, resolved_at "
                       "FROM failures").fetchall()
    assert rows == [("http_500", "Internal Server Error", 2, "run-2", True, None)]
    assert open_failures(con, SOURCE, max_attempts=3) == [url]
    assert open_failures(con, SOURCE, max_attempts=2) == []

    load_batch(con, SOURCE, [article], [], [], "run-3")
    assert con.execute("SELECT resolved_at IS NOT NULL FROM failures").fetchall() == [(True,)]
    assert open_failures(con, SOURCE, max_attempts=3) == []

    load_batch(con, SOURCE, [], [], [FailureRecord(source=SOURCE, url=url, stage="fetch", reason="timeout")], RUN)
    assert con.execute("SELECT attempts, resolved_at FROM failures").fetchall() == [(3, None)]


# --- crash safety ---------------------------------------------------------------------------------------


def test_error_mid_batch_leaves_the_previous_state(con: duckdb.DuckDBPyConnection,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    load_batch(con, SOURCE, [make_article(101)], [], [], RUN)
    before = snapshot(con)

    def explode(*_args: object) -> None:
        raise RuntimeError("disk on fire")

    # Articles, authors and comments are already written when raw responses fail.
    monkeypatch.setattr(load_module, "insert_raw_responses", explode)
    edited = make_article(101, title="changed")
    with pytest.raises(RuntimeError, match="disk on fire"):
        load_batch(con, SOURCE, [edited, make_article(102)], [make_response("https://x.test/", b"x")], [], RUN)

    assert snapshot(con) == before
    monkeypatch.undo()
    counts = load_batch(con, SOURCE, [make_article(102)], [], [], RUN)
    assert counts.articles_inserted == 1, "the connection stays usable after a rolled-back batch"


_KILLED_CHILD = """
import sys, time
from pathlib import Path
sys.path.insert(0, {tests!r})
import test_load as f
from warehouse import load as load_module
from warehouse.connection import open_writer

def hang(*_args):
    print("comments written", flush=True)
    time.sleep(600)

db = Path({db!r})
with open_writer(db) as con:
    load_module.load_batch(con, f.SOURCE, [f.make_article(1)], [], [], "run-1")
    big = [f.make_article(1000 + i, comments=[f.make_comment(f"{{f.SOURCE}}:{{1000 + i}}", n, None, n, "Don",
                                                             "luv from Canada " * 20) for n in range(400)])
           for i in range(250)]
    load_module.record_failures = hang
    load_module.load_batch(con, f.SOURCE, big, [], [], "run-2")
"""


def test_sigkill_mid_load_leaves_the_previous_state(tmp_path: Path) -> None:
    db = tmp_path / "wirehouse.duckdb"
    code = _KILLED_CHILD.format(tests=str(Path(__file__).parent), db=str(db))
    child = subprocess.Popen([sys.executable, "-c", code], cwd=REPO, stdout=subprocess.PIPE, text=True,
                             env={**os.environ, "PYTHONPATH": str(REPO)})
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "comments written"
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.kill()
        child.wait(timeout=30)

    with open_writer(db) as con:
        assert con.execute("SELECT count(*) FROM articles").fetchall() == [(1,)]
        assert con.execute("SELECT count(*) FROM comments").fetchall() == [(5,)]
        counts = load_batch(con, SOURCE, [make_article(1)], [], [], "run-3")
        assert counts == LoadCounts()


# --- views ----------------------------------------------------------------------------------------------


def test_comment_threads_prints_the_seed_thread_in_page_order(con: duckdb.DuckDBPyConnection) -> None:
    article = make_article()
    load_batch(con, SOURCE, [article], [], [], RUN)
    rows = con.execute(
        "SELECT author_name, depth, path, article_title FROM comment_threads WHERE article_id = ? ORDER BY path",
        [article.article.article_id],
    ).fetchall()
    assert [(name, depth) for name, depth, _, _ in rows] == [
        ("Don", 0), ("Tom Mauel", 1), ("Don", 2), ("Bianca", 1), ("Don", 2)
    ]
    assert rows[2][2] == "000000.000000.000000"
    assert {title for *_, title in rows} == {article.article.title}


def test_comment_threads_sorts_ten_and_more_siblings_numerically(con: duckdb.DuckDBPyConnection) -> None:
    aid = f"{SOURCE}:101"
    comments = [make_comment(aid, n + 1, None, n, f"reader {n}", f"comment number {n}") for n in range(12)]
    comments.append(make_comment(aid, 99, 2, 0, "reply", "a reply to reader 1", depth=1))
    # A reply whose parent was never fetched (incomplete comment pages) still shows up, as a root.
    comments.append(make_comment(aid, 98, 77, 12, "orphan", "parent not loaded", depth=1))
    load_batch(con, SOURCE, [make_article(comments=comments)], [], [], RUN)
    names = [r[0] for r in con.execute(
        "SELECT author_name FROM comment_threads WHERE article_id = ? ORDER BY path", [aid]).fetchall()]
    assert names == ["reader 0", "reader 1", "reply", *(f"reader {n}" for n in range(2, 12)), "orphan"]


def test_article_bylines_for_an_article_without_authors(con: duckdb.DuckDBPyConnection) -> None:
    load_batch(con, SOURCE, [make_article(authors=[], aliases=[])], [], [], RUN)
    assert con.execute("SELECT author_ids, author_names, byline FROM article_bylines").fetchall() == [
        ([], [], "")
    ]
