"""Field-wise, monotone article merges with channel precedence (rest > page > feed), on realistic rows.

The rows are what the pipeline makes of a real WordPress 6.1.9 (../shared/data/wordpress, both themes): the
REST run reads each post's JSON plus its page (for what REST lacks), the page-only run (the REST listing failed)
reads the page alone. They differ the way they do in the wild: the page has no modification time, and the
page of the block-image post yields 10 words fewer than its REST body.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from schemas.pipeline import FetchedTarget, RawResponse, Target, TargetKind
from schemas.rows import NormalizedArticle
from schemas.source import Source
from tasks.normalize.articles import normalize_article
from tasks.normalize.authors import AuthorResolver
from tasks.normalize.bodies import content_hash
from tasks.sources.reading import parse_fetched
from tests.warehouse.test_load import SOURCE, make_article
from warehouse.connection import open_writer
from warehouse.load import LoadCounts, load_batch
from warehouse.migrate import MIGRATIONS_DIR, migrate
from warehouse.queries import stored_article_facts

THEMES = ["twentytwentyone", "twentytwentythree"]
FETCHED = datetime(2026, 1, 20, 6, 0, tzinfo=UTC)
# Post pages of the capture; the REST listing (01/02-posts-embed.json) holds their posts.
PAGES = ["13-post-isis.html", "14-post-paginated.html", "17-post-depth6.html", "18-post-somalia.html",
         "19-post-blocks-image.html", "20-post-edited.html", "21-post-comments-closed.html",
         "22-post-bypostauthor.html", "36-post-aid-html-comments.html"]
BLOCKS_POST = 23  # the post whose page loses words
CONTENT_TABLES = ["articles", "article_authors", "article_versions", "authors", "author_aliases"]


def snapshot(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple]]:
    return {table: con.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall() for table in CONTENT_TABLES}


class WordPressRuns:
    """The rows one theme's posts make through the REST run and through a page-only run."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.source = Source.model_validate({"name": SOURCE, "kind": "wordpress", "base_url": "http://127.0.0.1:8081/"})
        listing = [*self._json("01-posts-embed.json"), *self._json("02-posts-embed-page2.json")]
        self.pages = {self._post_id(name): (directory / name).read_bytes() for name in PAGES}
        self.posts = {post["id"]: post for post in listing if post["id"] in self.pages}

    def _json(self, name: str) -> list[dict]:
        return json.loads((self.directory / name).read_text(encoding="utf-8"))

    def _post_id(self, page: str) -> int:
        html = (self.directory / page).read_text(encoding="utf-8")
        for post in [*self._json("01-posts-embed.json"), *self._json("02-posts-embed-page2.json")]:
            canonical = f'<link rel="canonical" href="{post["link"]}"' in html
            if canonical or f"?p={post['id']}'" in html or f'?p={post["id"]}"' in html:
                return int(post["id"])
        raise AssertionError(f"no post in the listing for {page}")

    def _response(self, url: str, role: str, body: bytes, content_type: str) -> RawResponse:
        return RawResponse(url=url, final_url=url, status=200, headers={"content-type": content_type}, body=body,
                           fetched_at=FETCHED, role=role)

    def rest_run(self, post_id: int, post: dict | None = None, fetched_at: datetime = FETCHED) -> NormalizedArticle:
        post = post or self.posts[post_id]
        target = Target(source=SOURCE, kind=TargetKind.WP_POST, url=post["link"], post_id=post_id, channel="rest",
                        discovered_at=fetched_at)
        responses = [self._response(post["link"], "post_json", json.dumps(post).encode(), "application/json"),
                     self._response(post["link"], "article", self.pages[post_id], "text/html; charset=UTF-8")]
        parsed = parse_fetched(FetchedTarget(target=target, responses=responses), self.source)
        return normalize_article(parsed, target, self.source, fetched_at, AuthorResolver())

    def page_run(self, post_id: int, fetched_at: datetime = FETCHED) -> NormalizedArticle:
        url = self.posts[post_id]["link"]
        target = Target(source=SOURCE, kind=TargetKind.HTML_ARTICLE, url=url, post_id=post_id, channel="feed",
                        discovered_at=fetched_at)
        responses = [self._response(url, "article", self.pages[post_id], "text/html; charset=UTF-8")]
        parsed = parse_fetched(FetchedTarget(target=target, responses=responses), self.source)
        return normalize_article(parsed, target, self.source, fetched_at, AuthorResolver())

    def all_rest(self) -> list[NormalizedArticle]:
        return [self.rest_run(post_id) for post_id in self.posts]

    def all_pages(self, fetched_at: datetime = FETCHED) -> list[NormalizedArticle]:
        return [self.page_run(post_id, fetched_at) for post_id in self.posts]


@pytest.fixture(params=THEMES)
def runs(request: pytest.FixtureRequest, shared: Path) -> WordPressRuns:
    directory = shared / "data" / "wordpress" / request.param
    if not directory.is_dir():
        pytest.skip(f"WordPress capture not present: {directory}")
    return WordPressRuns(directory)


@pytest.fixture
def con(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    with open_writer(tmp_path / "wirehouse.duckdb") as connection:
        yield connection


def article_row(con: duckdb.DuckDBPyConnection, article_id: str) -> dict:
    result = con.execute("SELECT * FROM articles WHERE article_id = ?", [article_id])
    columns = [d[0] for d in result.description]
    return dict(zip(columns, result.fetchall()[0], strict=True))


# --- the channels differ, as they do in the wild ------------------------------------------------------------


def test_the_two_runs_really_disagree(runs: WordPressRuns) -> None:
    rest, page = runs.rest_run(BLOCKS_POST), runs.page_run(BLOCKS_POST)
    assert rest.article.article_id == page.article.article_id
    assert (rest.article.parser, page.article.parser) == ("wordpress_rest", "site_html")
    assert rest.article.word_count - page.article.word_count == 10
    assert rest.article.modified_at is not None and page.article.modified_at is None


# --- precedence ---------------------------------------------------------------------------------------------


def test_rest_stored_then_a_page_only_run_changes_nothing(con: duckdb.DuckDBPyConnection,
                                                          runs: WordPressRuns) -> None:
    load_batch(con, SOURCE, runs.all_rest(), [], [], "rest-run")
    before = snapshot(con)

    counts = load_batch(con, SOURCE, runs.all_pages(FETCHED + timedelta(days=1)), [], [], "page-run")

    assert (counts.articles_updated, counts.article_versions_inserted) == (0, 0)
    assert snapshot(con) == before
    blocks = article_row(con, runs.rest_run(BLOCKS_POST).article.article_id)
    assert (blocks["parser"], blocks["word_count"]) == ("wordpress_rest", 110)


def test_page_stored_then_a_rest_run_upgrades_every_field(con: duckdb.DuckDBPyConnection,
                                                          runs: WordPressRuns) -> None:
    load_batch(con, SOURCE, runs.all_pages(), [], [], "page-run")
    assert con.execute("SELECT DISTINCT parser FROM articles").fetchall() == [("site_html",)]

    rest_rows = runs.all_rest()
    counts = load_batch(con, SOURCE, rest_rows, [], [], "rest-run")

    assert counts.articles_updated == len(rest_rows)
    for item in rest_rows:
        row = article_row(con, item.article.article_id)
        assert row["parser"] == "wordpress_rest"
        assert (row["body_text"], row["modified_at"]) == (item.article.body_text, item.article.modified_at)
        assert row["content_hash"] == item.article.content_hash
        filled = {field for field, channel in row["field_channels"].items() if channel is not None}
        assert {row["field_channels"][field] for field in filled} == {"rest"}
        assert {"title", "body", "published_at", "modified_at", "post_id", "url", "byline"} <= filled
    # The page's shorter body is not lost: it is the first version of that article.
    blocks_id = next(item.article.article_id for item in rest_rows if item.article.post_id == BLOCKS_POST)
    assert con.execute("SELECT article_id, version, word_count FROM article_versions").fetchall() == [
        (blocks_id, 1, 100)]


def test_a_weaker_channel_that_reports_a_modification_is_a_new_version(con: duckdb.DuckDBPyConnection,
                                                                       runs: WordPressRuns) -> None:
    rest = runs.rest_run(BLOCKS_POST)
    load_batch(con, SOURCE, [rest], [], [], "rest-run")
    page = runs.page_run(BLOCKS_POST, FETCHED + timedelta(days=2))
    modified = page.model_copy(update={"article": page.article.model_copy(
        update={"modified_at": rest.article.modified_at + timedelta(days=1)})})

    counts = load_batch(con, SOURCE, [modified], [], [], "page-run")

    assert (counts.articles_updated, counts.article_versions_inserted) == (1, 1)
    row = article_row(con, rest.article.article_id)
    assert (row["parser"], row["word_count"], row["field_channels"]["body"]) == ("site_html", 100, "page")
    assert row["field_channels"]["categories"] == "page"
    assert con.execute("SELECT version, word_count, modified_at FROM article_versions").fetchall() == [
        (1, 110, rest.article.modified_at)]


def test_rest_stored_and_rest_reports_a_modification_is_a_new_version(con: duckdb.DuckDBPyConnection,
                                                                      runs: WordPressRuns) -> None:
    original = runs.rest_run(BLOCKS_POST)
    load_batch(con, SOURCE, [original], [], [], "rest-run")
    post = json.loads(json.dumps(runs.posts[BLOCKS_POST]))
    post["content"]["rendered"] += "<p>Update: the Pentagon has since confirmed the strike.</p>"
    post["modified_gmt"] = "2026-01-21T09:30:00"
    edited = runs.rest_run(BLOCKS_POST, post, FETCHED + timedelta(days=1))

    counts = load_batch(con, SOURCE, [edited], [], [], "rest-run-2")

    assert (counts.articles_updated, counts.article_versions_inserted) == (1, 1)
    row = article_row(con, original.article.article_id)
    assert row["body_text"].endswith("Update: the Pentagon has since confirmed the strike.")
    assert row["modified_at"] == datetime(2026, 1, 21, 9, 30, tzinfo=UTC)
    history = con.execute("SELECT version, body_text, is_current FROM article_history ORDER BY version").fetchall()
    assert history == [(1, original.article.body_text, False), (2, row["body_text"], True)]


def test_an_empty_title_or_body_never_overwrites(con: duckdb.DuckDBPyConnection, runs: WordPressRuns) -> None:
    rest = runs.rest_run(BLOCKS_POST)
    load_batch(con, SOURCE, [rest], [], [], "rest-run")
    before = snapshot(con)
    later = rest.article.modified_at + timedelta(days=1)
    blanks = [
        {"title": ""},
        {"body_text": "", "body_html": "", "word_count": 0},
        {"title": "", "body_text": "", "body_html": "", "word_count": 0, "deck": None, "categories": [], "tags": [],
         "published_at": None, "modified_at": None, "post_id": None},
    ]
    for blank in blanks:
        # Even from the strongest channel, and even when the site says the article was modified.
        for modified_at in (rest.article.modified_at, later):
            row = rest.article.model_copy(update={**{"modified_at": modified_at}, **blank})
            load_batch(con, SOURCE, [rest.model_copy(update={"article": row, "authors": [], "aliases": [],
                                                              "article_authors": []})], [], [], "blank-run")
            stored = article_row(con, rest.article.article_id)
            assert (stored["title"], stored["body_text"], stored["word_count"]) == (
                rest.article.title, rest.article.body_text, rest.article.word_count), blank
            assert stored["content_hash"] == rest.article.content_hash
            assert con.execute("SELECT count(*) FROM article_versions").fetchall() == [(0,)]
    after = snapshot(con)
    assert after["article_authors"] == before["article_authors"], "an empty byline never erases the stored one"


def test_merged_loads_are_idempotent(con: duckdb.DuckDBPyConnection, runs: WordPressRuns) -> None:
    sequence = [runs.all_pages(), runs.all_rest(), runs.all_pages(FETCHED + timedelta(days=1)), runs.all_rest()]
    for rows in sequence:
        load_batch(con, SOURCE, rows, [], [], "run")
        settled = snapshot(con)
        assert load_batch(con, SOURCE, rows, [], [], "again") == LoadCounts()
        assert snapshot(con) == settled


# --- gaps, bylines, hashes ----------------------------------------------------------------------------------


def test_a_weaker_channel_fills_an_empty_field_and_the_hash_follows(con: duckdb.DuckDBPyConnection) -> None:
    rest = make_article()
    rest = rest.model_copy(update={"article": rest.article.model_copy(update={
        "deck": None, "content_hash": content_hash(rest.article.title, None, rest.article.body_text)})})
    load_batch(con, SOURCE, [rest], [], [], "rest-run")
    deck = "Deir Ezzor offensive seen as effort to shore up control in Syria's east"
    page_row = rest.article.model_copy(update={
        "deck": deck, "parser": "site_html", "body_text": "A shorter body.", "body_html": "<p>A shorter body.</p>",
        "word_count": 3, "content_hash": content_hash(rest.article.title, deck, "A shorter body.")})

    load_batch(con, SOURCE, [rest.model_copy(update={"article": page_row})], [], [], "page-run")

    row = article_row(con, rest.article.article_id)
    assert (row["deck"], row["body_text"]) == (deck, rest.article.body_text)
    assert (row["field_channels"]["deck"], row["field_channels"]["body"]) == ("page", "rest")
    # Title and body from one channel, deck from another: the hash is the pipeline's hash of what is stored.
    assert row["content_hash"] == content_hash(rest.article.title, deck, rest.article.body_text)
    assert con.execute("SELECT deck, content_hash FROM article_versions").fetchall() == [
        (None, rest.article.content_hash)]


def test_a_weaker_byline_does_not_replace_a_stronger_one(con: duckdb.DuckDBPyConnection) -> None:
    load_batch(con, SOURCE, [make_article(authors=[("Jason Ditz", None)])], [], [], "rest-run")
    from_feed = make_article(authors=[("Antiwar Staff", None)]).model_copy(update={"channel": "feed"})
    counts = load_batch(con, SOURCE, [from_feed], [], [], "feed-run")
    assert counts.articles_updated == 0
    assert con.execute("SELECT author_id FROM article_authors").fetchall() == [("jason-ditz",)]

    # The same channel replaces it, as an edited byline would.
    load_batch(con, SOURCE, [make_article(authors=[("Dave DeCamp", None)])], [], [], "rest-run-2")
    assert con.execute("SELECT author_id FROM article_authors").fetchall() == [("dave-decamp",)]


def test_a_stronger_channel_with_the_same_values_takes_the_fields_over(con: duckdb.DuckDBPyConnection) -> None:
    page = make_article().model_copy(update={"channel": "page"})
    load_batch(con, SOURCE, [page], [], [], "page-run")
    assert article_row(con, page.article.article_id)["field_channels"]["title"] == "page"

    counts = load_batch(con, SOURCE, [make_article()], [], [], "rest-run")  # same values, REST

    assert (counts.articles_updated, counts.article_versions_inserted) == (1, 0)
    channels = article_row(con, page.article.article_id)["field_channels"]
    assert (channels["title"], channels["body"], channels["byline"], channels["modified_at"]) == (
        "rest", "rest", "rest", None)
    assert load_batch(con, SOURCE, [page], [], [], "page-run-2").articles_updated == 0


# --- what the pipeline can ask before it writes -------------------------------------------------------------


def test_stored_facts_for_a_batch_in_one_query(con: duckdb.DuckDBPyConnection, runs: WordPressRuns) -> None:
    rows = runs.all_rest()
    load_batch(con, SOURCE, rows, [], [], "rest-run")
    ids = [item.article.article_id for item in rows]

    facts = stored_article_facts(con, [*ids, "never-loaded"])

    assert set(facts) == set(ids)
    blocks = next(item.article for item in rows if item.article.post_id == BLOCKS_POST)
    fact = facts[blocks.article_id]
    assert (fact.post_id, fact.url, fact.title, fact.word_count) == (BLOCKS_POST, blocks.url, blocks.title, 110)
    assert (fact.content_hash, fact.modified_at, fact.parser, fact.channel) == (
        blocks.content_hash, blocks.modified_at, "wordpress_rest", "rest")
    assert fact.field_channels["deck"] is None
    assert stored_article_facts(con, []) == {}


# --- migration ------------------------------------------------------------------------------------------------


def test_rows_from_before_version_6_get_their_parsers_channel(tmp_path: Path) -> None:
    old = tmp_path / "migrations-v5"
    old.mkdir()
    for path in sorted(MIGRATIONS_DIR.glob("00[1-5]_*.sql")):
        shutil.copy(path, old)
    db = tmp_path / "v5.duckdb"
    con = duckdb.connect(str(db))
    try:
        con.execute("SET TimeZone = 'UTC'")
        assert migrate(con, old) == 5
        rest, page = make_article(101), make_article(102)
        load_batch_v5 = """
            INSERT INTO articles (article_id, source, post_id, url, title, deck, published_at, modified_at,
                body_text, body_html, word_count, content_hash, categories, tags, comment_count_hint, parser,
                fetched_at, first_seen_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, [], NULL, ?, ?, now(), now())
        """
        for item, parser in ((rest, "wordpress_rest"), (page, "generic")):
            a = item.article
            con.execute(load_batch_v5, [a.article_id, a.source, a.post_id, a.url, a.title, a.deck, a.published_at,
                                        a.body_text, a.body_html, a.word_count, a.content_hash, a.categories,
                                        parser, a.fetched_at])
        con.execute("INSERT INTO article_authors VALUES (?, 'jason-ditz', 0)", [rest.article.article_id])
        assert migrate(con) >= 6
        channels = dict(con.execute("SELECT post_id, field_channels FROM articles").fetchall())
    finally:
        con.close()
    assert channels[101] == {"title": "rest", "deck": "rest", "body": "rest", "published_at": "rest",
                             "modified_at": None, "categories": "rest", "tags": None, "post_id": "rest",
                             "url": "rest", "byline": "rest"}
    assert channels[102]["body"] == "page" and channels[102]["byline"] is None
    with open_writer(db) as con:  # a page run over the migrated REST row only fills what it lacked (tags)
        page_run = make_article(101, body="Shorter.").model_copy(update={"channel": "page"})
        load_batch(con, SOURCE, [page_run], [], [], "page-run")
        body, parser, tags, channels = con.execute(
            "SELECT body_text, parser, tags, field_channels FROM articles WHERE post_id = 101").fetchall()[0]
    assert (body, parser, tags) == (rest.article.body_text, "wordpress_rest", ["ISIS", "Syria"])
    assert (channels["body"], channels["tags"]) == ("rest", "page")
