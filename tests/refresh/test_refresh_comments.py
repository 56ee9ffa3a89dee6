"""The comment refresh flow against loopback sites whose threads gain, edit and lose comments between runs.

news.antiwar.com's snapshot is served by `FaultySite`, with the REST comments of one post answered by a
`LiveThread` that changes when the test says (ETags and 304s as WordPress behind a cache sends them); a Disqus
thread changes through the API answers of tests/comments/test_disqus.py's site. After a change the warehouse holds all
three kinds of change; a run with nothing changed writes nothing.
"""

from __future__ import annotations

import asyncio
import copy
import hashlib
import json
import re
from collections.abc import Callable
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import duckdb
import pytest
from typer.testing import CliRunner

from flows.nightly import nightly
from flows.refresh_comments import refresh_comments
from tasks.normalize.comments import commenter_id_for
from testing.faults import FaultySite, send
from testing.snapshot.site import SNAPSHOT_NOW, SnapshotSite, wp_json
from tests.comments.test_disqus import DisqusSite, disqus_source_entry, fixture
from tests.flows.helpers import news_on_loopback, original_on_loopback, write_sources
from wirehouse.cli import app
from wirehouse.demo import DEMO_SINCE

pytestmark = pytest.mark.usefixtures("prefect_harness")

POST = 173724  # a news post of 2026-07-02 with a four-comment thread: 2171390 > 2171392 > 2171395; 2171399
TABLES = ["articles", "authors", "article_authors", "comments", "commenters", "comment_versions",
          "comment_sections", "raw_responses", "failures"]


class LiveThread:
    """Answers /wp-json/wp/v2/comments?post=POST from a list the test edits, newest first, with an ETag."""

    def __init__(self, items: list[dict[str, Any]]) -> None:
        self.items = items
        self.answers: list[int] = []

    def __call__(self, request: BaseHTTPRequestHandler, _serve: Callable[[], None]) -> None:
        query = parse_qs(urlsplit(request.path).query)
        page, per_page = int(query.get("page", ["1"])[0]), int(query.get("per_page", ["10"])[0])
        ordered = sorted(self.items, key=lambda c: (c["date_gmt"], c["id"]), reverse=True)
        body = wp_json(ordered[(page - 1) * per_page: page * per_page])
        etag = f'"{hashlib.md5(body).hexdigest()}"'
        if request.headers.get("If-None-Match") == etag:
            self.answers.append(304)
            send(request, 304, b"", {"ETag": etag})
            return
        self.answers.append(200)
        pages = -(-len(ordered) // per_page)
        send(request, 200, body, {"Content-Type": "application/json; charset=UTF-8", "ETag": etag,
                                  "X-WP-Total": str(len(ordered)), "X-WP-TotalPages": str(pages)})

    def comment(self, comment_id: int) -> dict[str, Any]:
        return next(c for c in self.items if c["id"] == comment_id)


class LivePage:
    """Answers one article page with the snapshot's HTML passed through `edit`, with its own ETag and 304s."""

    def __init__(self, html: str) -> None:
        self.html = html
        self.edit: Callable[[str], str] = lambda html: html
        self.answers: list[int] = []

    def __call__(self, request: BaseHTTPRequestHandler, _serve: Callable[[], None]) -> None:
        body = self.edit(self.html).encode()
        etag = f'"{hashlib.md5(body).hexdigest()}"'
        if request.headers.get("If-None-Match") == etag:
            self.answers.append(304)
            send(request, 304, b"", {"ETag": etag})
            return
        self.answers.append(200)
        send(request, 200, body, {"Content-Type": "text/html; charset=UTF-8", "ETag": etag})


def digest(db: Path) -> dict[str, str]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {t: hashlib.sha256(repr(con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall()).encode()).hexdigest()
                for t in TABLES}
    finally:
        con.close()


def query(db: Path, sql: str, params: list[object] | None = None) -> list[tuple[Any, ...]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def thread(db: Path) -> list[tuple[Any, ...]]:
    return query(db, """SELECT t.depth, c.site_comment_id, t.reply_to FROM comment_threads t
                        JOIN comments c USING (comment_id) JOIN articles a ON a.article_id = c.article_id
                        WHERE a.post_id = ? ORDER BY t.path""", [POST])


def test_refresh_adds_edits_and_deletes_then_writes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "warehouse.duckdb"
    site = FaultySite("news.antiwar.com")
    with site.serve() as base:
        original = json.loads(SnapshotSite(rebase={"news.antiwar.com": base}).handle(
            "GET", f"https://news.antiwar.com/wp-json/wp/v2/comments?post={POST}&per_page=100", {}).body)
        live = LiveThread(copy.deepcopy(original))
        site.faults[f"/wp-json/wp/v2/comments?post={POST}&"] = live
        # per post: the ingest stores each thread's page 1 and its validators, so the refresh asks conditionally
        # (after a bulk ingest the first refresh reads every thread whole: same requests, more parsing)
        sources = write_sources(tmp_path / "sources.yaml", [{**news_on_loopback(base), "bulk": False}])

        def refresh(days: int = 3):  # type: ignore[no-untyped-def]
            return asyncio.run(refresh_comments(db=str(db), sources_file=str(sources), days=days, now=SNAPSHOT_NOW))

        ingest = asyncio.run(nightly(db=str(db), sources_file=str(sources), since=DEMO_SINCE, until=SNAPSHOT_NOW))
        assert ingest.failed == 0
        assert thread(db) == [(0, "2171390", None), (1, "2171392", "Dennis"), (2, "2171395", "Layla"),
                              (0, "2171399", None)]

        # between runs the site gains a reply, a commenter edits, a moderator removes a comment
        gained = copy.deepcopy(live.comment(2171392))
        gained.update(id=2171405, parent=2171399, author_name="Grace Okafor", date="2026-07-02T19:50:00",
                      date_gmt="2026-07-02T23:50:00",
                      content={"rendered": "<p>A late reply, posted after the first ingest.</p>\n"})
        live.items.append(gained)
        edited_text = live.comment(2171392)["content"]["rendered"].replace("</p>", " (Edited: sources added.)</p>", 1)
        live.comment(2171392)["content"]["rendered"] = edited_text
        live.items.remove(live.comment(2171395))

        second = refresh()
        assert second.status == "completed" and second.failed == 0
        news_threads = query(db, "SELECT count(*) FROM articles WHERE source = 'news' AND published_at >= ?",
                             [datetime(2026, 6, 30, tzinfo=UTC)])[0][0]
        assert second.discovered == news_threads >= 5
        assert (second.fetched, second.not_modified) == (1, news_threads - 1), "only the changed thread is read"
        assert second.comments_written == 3 and second.comments_deleted == 1
        assert [row[1] for row in thread(db)] == ["2171390", "2171392", "2171399", "2171405"]
        assert thread(db)[3] == (1, "2171405", "W. Becker")
        deleted = query(db, "SELECT deleted_at IS NOT NULL, text FROM comments WHERE site_comment_id = '2171395'")
        assert deleted[0][0] and deleted[0][1], "marked deleted, text kept"
        (edited,) = query(db, "SELECT text, edited_at IS NOT NULL FROM comments WHERE site_comment_id = '2171392'")
        assert edited[0].endswith("(Edited: sources added.)") and edited[1]
        (old,) = query(db, "SELECT v.text FROM comment_versions v JOIN comments c USING (comment_id)")
        assert "(Edited" not in old[0] and old[0] in edited[0]
        grace = commenter_id_for("Grace Okafor")
        assert query(db, f"SELECT display_name FROM commenters WHERE commenter_id = '{grace}'") == [("Grace Okafor",)]

        # nothing changed: one conditional request per thread, all 304, nothing written
        before = digest(db)
        answers = len(live.answers)
        third = refresh()
        assert third.not_modified == third.discovered == news_threads and third.fetched == 0
        assert third.comments_written == 0 and third.failed == 0
        assert digest(db) == before
        assert live.answers[answers:] == [304]

        # the removed comment is approved again: it comes back, once
        live.items.append(copy.deepcopy(next(c for c in original if c["id"] == 2171395)))
        fourth = refresh()
        assert fourth.comments_written == 1 and fourth.comments_deleted == 0
        assert [row[1] for row in thread(db)] == ["2171390", "2171392", "2171395", "2171399", "2171405"]
        assert query(db, "SELECT count(*), count(deleted_at) FROM comments WHERE site_comment_id = '2171395'"
                     ) == [(1, 0)]

        # articles outside the window are not read at all
        site.requests.clear()
        narrow = refresh(days=0)
        assert narrow.discovered == 0 and not any("comments" in path for _t, path in site.requests)

    runs = query(db, "SELECT flow, status FROM runs ORDER BY started_at")
    assert runs == [("nightly", "completed")] + [("refresh-comments", "completed")] * 4


def test_disqus_thread_refresh_and_the_cli(tmp_path: Path) -> None:
    db = tmp_path / "warehouse.duckdb"
    site = DisqusSite()
    with site.serve() as base:
        sources = write_sources(tmp_path / "sources.yaml", [disqus_source_entry(base)])
        asyncio.run(nightly(db=str(db), sources_file=str(sources), since=datetime(2026, 6, 30, tzinfo=UTC),
                            until=SNAPSHOT_NOW))
        assert query(db, "SELECT count(*) FROM comment_threads") == [(4,)]

        # Marguerite edits, the reply to her is deleted, Old Navy Hand answers again
        page2 = json.loads(fixture("listPosts-page2.json"))
        posts = page2["response"]
        posts[0]["message"] = "<p>The last one lasted eleven days. Correction: twelve.</p>"
        reply = posts.pop(2)
        newcomer = copy.deepcopy(reply)
        newcomer.update(id="6200000110", parent=6200000102, createdAt="2026-07-02T07:00:00",
                        message="<p>Twelve days is still no peace.</p>",
                        author={"name": "Old Navy Hand", "isAnonymous": False})
        posts.append(newcomer)
        site.pages[1] = json.dumps(page2).encode()

        result = CliRunner().invoke(app, ["comments", "refresh", "--days", "36500", "--db", str(db),
                                          "--sources-file", str(sources)])
        assert result.exit_code == 0, result.output
        assert "comments marked deleted 1" in result.output

        rows = query(db, """SELECT t.depth, t.author_name, t.reply_to, c.edited_at IS NOT NULL FROM comment_threads t
                            JOIN comments c USING (comment_id) ORDER BY t.path""")
        assert rows == [(0, "Realist in Ohio", None, False), (1, "Old Navy Hand", "Realist in Ohio", False),
                        (2, "Old Navy Hand", "Old Navy Hand", False), (0, "Marguerite", None, True)]
        assert query(db, "SELECT count(*) FROM comments WHERE deleted_at IS NOT NULL") == [(1,)]

        before = digest(db)
        again = asyncio.run(refresh_comments(db=str(db), sources_file=str(sources), days=36500))
        assert again.fetched == 1 and again.comments_written == 0  # the API has no 304: read, compared, unchanged
        assert digest(db) == before


ORIGINAL_PATH = "/paul/2026/07/01/a-memorandum-is-not-peace/"  # Divi page, thread 451201 > 451202; 451205


def changed_thread(html: str) -> str:
    """The page after a moderator removed 451205, Marguerite edited 451202 and a new comment 451209 came."""
    removed = re.search(r'<li id="comment-451205".*?</li><!-- #comment-## -->\n', html, flags=re.S)
    assert removed is not None
    block = removed.group(0)
    html = html.replace(block, "")
    at = html.index('id="comment-451202"')
    end = html.index("</p>", at)
    html = html[:end] + " (Edited: the memo was leaked on Tuesday.)" + html[end:]
    newcomer = block.replace("451205", "451209").replace("skeptic_mike", "Catherine")
    newcomer = re.sub(r"(<div class=\"comment-content\">\s*<p>).*?(</p>)", r"\1A new voice in the thread.\2", newcomer,
                      flags=re.S)
    return html.replace("</ol><!-- .commentlist -->", newcomer + "</ol><!-- .commentlist -->")


def test_refresh_of_a_page_thread_keeps_the_page_for_the_next_ingest(tmp_path: Path) -> None:
    db = tmp_path / "warehouse.duckdb"
    site = FaultySite("original.antiwar.com")
    with site.serve() as base:
        page = LivePage(SnapshotSite(rebase={"original.antiwar.com": base}).handle(
            "GET", f"https://original.antiwar.com{ORIGINAL_PATH}", {}).body.decode())
        site.faults[ORIGINAL_PATH] = page
        sources = write_sources(tmp_path / "sources.yaml", [original_on_loopback(base)])
        asyncio.run(nightly(db=str(db), sources_file=str(sources), since=DEMO_SINCE, until=SNAPSHOT_NOW))
        url = base + ORIGINAL_PATH
        ids = "SELECT site_comment_id FROM comment_threads t JOIN comments c USING (comment_id) ORDER BY t.path"
        assert [r[0] for r in query(db, ids)] == ["451201", "451202", "451205"]
        assert query(db, "SELECT system, complete FROM comment_sections s JOIN articles a USING (article_id) "
                         "WHERE a.url = ?", [url]) == [("wordpress", True)]
        stored_page = query(db, "SELECT response_id FROM raw_responses WHERE url = ?", [url])

        page.edit = changed_thread
        second = asyncio.run(refresh_comments(db=str(db), sources_file=str(sources), days=3, now=SNAPSHOT_NOW))
        assert second.failed == 0 and second.comments_deleted == 1 and second.comments_written == 3
        assert [r[0] for r in query(db, ids)] == ["451201", "451202", "451209"]
        (edited,) = query(db, "SELECT text, edited_at IS NOT NULL FROM comments WHERE site_comment_id = '451202'")
        assert edited[0].endswith("(Edited: the memo was leaked on Tuesday.)") and edited[1]
        assert query(db, "SELECT author_name, text FROM comments WHERE site_comment_id = '451209'") == [
            ("Catherine", "A new voice in the thread.")]
        # only comments were loaded from the page: its stored version (and so the next ingest's conditional
        # request) stays the one the article was loaded from
        assert query(db, "SELECT response_id FROM raw_responses WHERE url = ?", [url]) == stored_page

        before = digest(db)
        third = asyncio.run(refresh_comments(db=str(db), sources_file=str(sources), days=3, now=SNAPSHOT_NOW))
        assert third.comments_written == 0 and third.failed == 0
        assert digest(db) == before

        # the next ingest still sees the page changed, reads it whole, and finds nothing more to write
        again = asyncio.run(nightly(db=str(db), sources_file=str(sources), since=DEMO_SINCE, until=SNAPSHOT_NOW))
        assert page.answers[-1] == 200 and again.comments_written == 0 and again.articles_written == 0


def test_refresh_reads_a_rest_thread_exactly_as_ingest_loaded_it() -> None:
    """Same ids, parents, depths and positions from both paths: otherwise every refresh would "move" comments."""
    from schemas.pipeline import FetchedTarget, FetchedThread, RawResponse, Target, TargetKind, ThreadTarget
    from tasks.config import BUNDLED_SOURCES, load_sources
    from tasks.normalize.comments import normalize_comments
    from tasks.refresh.threads import read_thread
    from tasks.sources.reading import parse_fetched

    source = next(s for s in load_sources(BUNDLED_SOURCES) if s.name == "antiwar-news")
    site, root = SnapshotSite(), "https://news.antiwar.com/wp-json/wp/v2"

    def response(url: str, role: str) -> RawResponse:
        answer = site.handle("GET", url, {})
        return RawResponse(url=url, final_url=url, status=answer.status, body=answer.body, role=role,
                           headers={k.lower(): v for k, v in answer.headers.items()}, fetched_at=SNAPSHOT_NOW)

    # a thread of three REST pages, newest first, as the fetch stage asks for them
    pages = [response(f"{root}/comments?post=50001&per_page=2&page={n}&order=desc&orderby=date_gmt",
                      "comments_json") for n in (1, 2, 3)]
    post = response(f"{root}/posts/50001?_embed=1", "post_json")
    target = Target(source=source.name, kind=TargetKind.WP_POST, url="https://news.antiwar.com/seed/", post_id=50001,
                    discovered_at=SNAPSHOT_NOW)
    ingested = parse_fetched(FetchedTarget(target=target, responses=[post, *pages]), source)
    thread_target = ThreadTarget(article_id="a", source=source.name, url=target.url, post_id=50001,
                                 system="wordpress_rest")
    refreshed = read_thread(source, FetchedThread(target=thread_target, responses=pages))

    assert len(ingested.comments) == 5 and ingested.comments_complete and refreshed.comments_complete
    assert normalize_comments("a", refreshed.comments) == normalize_comments("a", ingested.comments)
    assert [c.author for c in refreshed.comments] == ["Don", "Tom Mauel", "Don", "Bianca", "Don"]
