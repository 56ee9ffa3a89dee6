"""Stored HTML is safe to render, end to end (issue 13, item 8): the OWASP XSS filter-evasion vectors in an
article body and in a reader comment, served by the loopback snapshot sites, go through the real nightly flow
(REST bodies and comments on news.antiwar.com; HTML pages and page comments on original.antiwar.com) and the
comment refresh. Every stored body_html and comments.html is parsed with lexbor and every element and
attribute checked."""

from __future__ import annotations

import asyncio
import json
import shutil
from pathlib import Path

import duckdb
import pytest

from flows.nightly import nightly
from flows.refresh_comments import refresh_comments
from testing.snapshot.site import SNAPSHOT_NOW, SNAPSHOT_ROOT, serve_on_loopback
from tests.flows.helpers import news_on_loopback, original_on_loopback, write_sources
from tests.warehouse.test_safe_html import VECTORS, unsafe_parts
from wirehouse.demo import DEMO_SINCE

pytestmark = pytest.mark.usefixtures("prefect_harness")

# host: (post whose body and first comment carry the vectors); both posts have comment threads
HOSTILE_POSTS = {"news.antiwar.com": "173724", "original.antiwar.com": "2012363620"}
BODY_MARK = "Readers asked how the strikes were counted."
COMMENT_MARK = "I checked the figures myself."


def _hostile(mark: str) -> str:
    """The vectors between ordinary paragraphs; the unclosed ones last, as a careless or hostile author leaves
    them (each in its own paragraph, so one that swallows what follows swallows only vectors)."""
    return f"<p>{mark}</p>\n" + "\n".join(f"<p>Note {i}: {vector}</p>" for i, (_, vector) in enumerate(VECTORS))


def hostile_snapshot(root: Path) -> Path:
    shutil.copytree(SNAPSHOT_ROOT, root, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    for host, post_id in HOSTILE_POSTS.items():
        post_path = root / host / "posts" / f"{post_id}.json"
        post = json.loads(post_path.read_text(encoding="utf-8"))
        post["content"]["rendered"] = _hostile(BODY_MARK) + "\n" + post["content"]["rendered"]
        post_path.write_text(json.dumps(post), encoding="utf-8")
        comments_path = root / host / "comments" / f"{post_id}.json"
        comments = json.loads(comments_path.read_text(encoding="utf-8"))
        comments[0]["content"]["rendered"] = _hostile(COMMENT_MARK)
        comments_path.write_text(json.dumps(comments), encoding="utf-8")
    return root


def stored_html(db: Path) -> list[tuple[str, str, str]]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("""
            SELECT 'articles', a.source || ' ' || a.url, a.body_html FROM articles a
            UNION ALL SELECT 'article_versions', article_id, body_html FROM article_versions
            UNION ALL SELECT 'comments', c.comment_id, c.html FROM comments c
            UNION ALL SELECT 'comment_versions', comment_id, html FROM comment_versions""").fetchall()


def test_xss_vectors_in_bodies_and_comments_are_stored_harmless(tmp_path: Path) -> None:
    root = hostile_snapshot(tmp_path / "snapshot")
    db = tmp_path / "hostile.duckdb"
    with serve_on_loopback("news.antiwar.com", root) as news, serve_on_loopback("original.antiwar.com", root) as orig:
        sources = write_sources(tmp_path / "sources.yaml", [news_on_loopback(news), original_on_loopback(orig)])
        report = asyncio.run(nightly(db=str(db), sources_file=str(sources), since=DEMO_SINCE, until=SNAPSHOT_NOW))
        assert report.articles_written >= 10
        refreshed = asyncio.run(refresh_comments(db=str(db), sources_file=str(sources), days=36500,
                                                 now=SNAPSHOT_NOW))
        assert refreshed.status == "completed"

    rows = stored_html(db)
    assert rows
    unsafe = {(table, key): parts for table, key, html in rows if (parts := unsafe_parts(html))}
    assert unsafe == {}

    with duckdb.connect(str(db), read_only=True) as con:
        # the hostile body and comment did reach the tables, through both channels: nothing was dodged
        bodies = con.execute("SELECT source, body_html FROM articles WHERE body_text LIKE ?",
                             [f"%{BODY_MARK}%"]).fetchall()
        comments = con.execute("SELECT a.source, c.html FROM comments c JOIN articles a USING (article_id) "
                               "WHERE c.text LIKE ?", [f"%{COMMENT_MARK}%"]).fetchall()
    assert sorted(source for source, _ in bodies) == ["news", "original"]
    assert sorted(source for source, _ in comments) == ["news", "original"]
    for _, html in bodies + comments:
        assert html.count("Note ") >= 25, "the vectors' paragraphs are stored, cleaned, not dropped whole"
        assert "<a>encoded tab</a>" in html and "<a>vb</a>" in html and "<a>data</a>" in html
