"""Real pages (../shared/data/pages) through the parse stage and its comment detector, against human gold.

On every page with a WordPress comment list whose gold names comment snippets, the snippets must be found in
the comments and never in the body. Where those lists nest, each comment's parent and depth are checked against
a second reading of the HTML: Python's own html.parser walking the tags, nothing of the pipeline's parsers.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from functools import cache
from html.parser import HTMLParser

import pytest

from schemas.errors import ParseError
from schemas.pipeline import FetchedTarget, ParsedArticle, RawResponse, Target, TargetKind
from schemas.source import Source
from tasks.comments.base import SystemName as CommentSystem
from tasks.normalize.comments import normalize_comments
from tasks.parse.bylines import collapse_ws
from tasks.sources.reading import parse_fetched
from tests.conftest import SHARED

PAGES = SHARED / "data" / "pages"
SOURCE = Source(name="pages", kind="feed", base_url="https://example.org/")  # no site selectors: any site
_ID = re.compile(r"^(?:li-|div-)?comment-(\d+)$")


@cache
def gold() -> dict[str, dict]:  # type: ignore[type-arg]
    path = PAGES / "gold.json"
    if not path.exists():
        pytest.skip("shared pages with gold annotations not available")
    return json.loads(path.read_text(encoding="utf-8"))


def page_html(name: str) -> str:
    return (PAGES / "html" / name).read_text(encoding="utf-8", errors="replace")


def is_wordpress_list_page(html: str) -> bool:
    return bool(re.search(r"comment-?list", html) and re.search(r"""id=["']comment-\d+["']""", html))


@cache
def parse_page(name: str) -> ParsedArticle | None:
    """The page as the parse stage reads a fetched article (so the comment detector decides, as in a run)."""
    url = gold()[name]["url"]
    response = RawResponse(url=url, final_url=url, status=200, headers={"content-type": "text/html"},
                           body=(PAGES / "html" / name).read_bytes(), fetched_at=datetime.now(UTC), role="article")
    target = Target(source=SOURCE.name, kind=TargetKind.HTML_ARTICLE, url=url, discovered_at=datetime.now(UTC))
    try:
        return parse_fetched(FetchedTarget(target=target, responses=[response]), SOURCE)
    except ParseError:
        return None


def wordpress_gold_pages() -> list[str]:
    return [name for name, entry in sorted(gold().items())
            if entry.get("comments") and is_wordpress_list_page(page_html(name))]


def test_wordpress_list_pages_comment_snippets_are_comments_and_never_body() -> None:
    names = wordpress_gold_pages()
    assert len(names) >= 30
    found = total = 0
    for name in names:
        article = parse_page(name)
        assert article is not None, name
        assert article.comment_read.system == CommentSystem.WORDPRESS, name
        comments = collapse_ws(" ".join(c.text for c in article.comments))
        body = collapse_ws(article.body_text)
        for snippet in gold()[name]["comments"]:
            total += 1
            found += collapse_ws(snippet) in comments
            assert collapse_ws(snippet) not in body, (name, snippet)
    assert found / total >= 0.8, (found, total)


# --- nesting, counted independently -------------------------------------------------------------------


class _Nesting(HTMLParser):
    """Each WordPress comment's parent and depth, from the tag structure alone.

    A comment is an <li> whose id (or the id of its first element with one, in older themes) is comment-N;
    its parent is the nearest enclosing comment <li>, skipping pingbacks and trackbacks as WordPress readers
    do. An <li> opened while another is open in the same list closes it, as HTML says. A theme that closes a
    comment's <li> before the `children` list of its replies still means them as its replies: such a list
    counts as inside the comment just closed.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[list[object]] = []  # [tag, comment id or None, is a pingback]
        self.last_closed: list[object] | None = None  # the comment <li> that ended last
        self.parents: dict[str, str | None] = {}
        self.depths: dict[str, int] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "li":
            if self.stack and self.stack[-1][0] == "li":
                self._close("li")
            kind = set((values.get("class") or "").split())
            self.stack.append(["li", None, bool(kind & {"pingback", "trackback"})])
        elif tag in ("ol", "ul"):
            children = "children" in (values.get("class") or "").split()
            if children and self.stack and self.stack[-1][0] in ("ol", "ul") and self.last_closed is not None:
                self.stack.append(["li", self.last_closed[1], self.last_closed[2], "reopened"])
            self.stack.append([tag, None, False])
        match = _ID.match(values.get("id") or "")
        if match:
            pending = next((entry for entry in reversed(self.stack) if entry[0] == "li"), None)
            if pending is not None and pending[1] is None:
                pending[1] = match.group(1)
                self._record(pending)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("li", "ol", "ul"):
            self._close(tag)

    def _close(self, tag: str) -> None:
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                closed = self.stack[index]
                del self.stack[index:]
                if tag == "li" and closed[1] is not None:
                    self.last_closed = closed
                elif self.stack and self.stack[-1][3:] == ["reopened"]:
                    del self.stack[-1]  # the replies' list ended: so does the comment it belonged to
                return

    def _record(self, entry: list[object]) -> None:
        if entry[2]:
            return  # pingbacks are not comments
        enclosing = [e for e in self.stack if e is not entry and e[0] == "li" and e[1] is not None and not e[2]]
        comment_id = str(entry[1])
        self.parents.setdefault(comment_id, str(enclosing[-1][1]) if enclosing else None)
        self.depths.setdefault(comment_id, len(enclosing))


def counted_nesting(html: str) -> tuple[dict[str, str | None], dict[str, int]]:
    nesting = _Nesting()
    nesting.feed(html)
    return nesting.parents, nesting.depths


def nested_wordpress_pages() -> list[str]:
    names = []
    for name in sorted(gold()):
        html = page_html(name)
        if is_wordpress_list_page(html) and re.search(r"""class=["'][^"']*\bchildren\b""", html):
            names.append(name)
    return names


def test_nested_threads_match_the_nesting_counted_in_the_html() -> None:
    names = nested_wordpress_pages()
    assert len(names) >= 10, names
    checked_pages = checked_replies = 0
    for name in names:
        article = parse_page(name)
        if article is None or not article.comments:
            continue
        parents, depths = counted_nesting(page_html(name))
        if not any(depths.values()):
            continue
        rows = {row.site_comment_id: row for row in normalize_comments("a", article.comments)}
        by_id = {row.comment_id: row.site_comment_id for row in rows.values()}
        compared = [site_id for site_id in rows if site_id in parents]
        assert len(compared) >= 0.9 * len(rows), name  # the pipeline finds the comments the tags hold
        for site_id in compared:
            row = rows[site_id]
            assert (by_id.get(row.parent_id) if row.parent_id else None) == parents[site_id], (name, site_id)
            assert row.depth == depths[site_id], (name, site_id)
            checked_replies += row.depth > 0
        checked_pages += 1
    assert checked_pages >= 10 and checked_replies >= 50, (checked_pages, checked_replies)


def test_the_independent_count_agrees_with_wordpress_own_depth_classes() -> None:
    """The counter itself is checked: WordPress writes depth-N on every comment it draws."""
    agreeing = 0
    for name in nested_wordpress_pages():
        html = page_html(name)
        written = {m.group(2): int(m.group(1)) - 1 for m in re.finditer(
            r"""<li\b[^>]*\bdepth-(\d+)\b[^>]*\bid=["'](?:li-)?comment-(\d+)["']""", html)}
        if not written:
            continue
        _parents, depths = counted_nesting(html)
        assert {k: depths[k] for k in written if k in depths} == {k: v for k, v in written.items() if k in depths}
        agreeing += 1
    assert agreeing >= 5
