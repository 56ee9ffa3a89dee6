"""The generic extractor on a real WordPress (6.1.9) in its default themes, twentytwentyone (classic) and
twentytwentythree (block theme): every post page against the site's own REST API (title, author's
display name, publication day, content), and the seed article's comment thread.

Neither theme emits JSON-LD, og: tags or a `byline` class: the author is found by the themes' own
markup (the block theme's `wp-block-post-author__name`, the classic theme's author box and its
`rel="author"` link to the author's archive)."""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from pathlib import Path

import pytest

from tasks.parse.encoding import decode_html
from tasks.parse.generic import read_page
from tests.conftest import SHARED

WORDPRESS = SHARED / "data" / "wordpress"
THEMES = ("twentytwentyone", "twentytwentythree")
_REST_POST = re.compile(r"/wp-json/wp/v2/posts/(\d+)>")


def _rest_posts(theme: Path) -> tuple[dict[str, dict], dict[int, str]]:
    posts: dict[str, dict] = {}
    users: dict[int, str] = {}
    for listing in theme.glob("*.json"):
        data = json.loads(listing.read_text(encoding="utf-8"))
        for post in data if isinstance(data, list) else [data]:
            if isinstance(post, dict) and post.get("type") == "post":
                posts[str(post["id"])] = post
                users.update({a["id"]: a["name"] for a in post.get("_embedded", {}).get("author", [])})
    return posts, users


def post_pages(theme_name: str) -> list[tuple[Path, dict, str]]:
    """(page, its REST post, the author's display name) for each post page of a theme."""
    theme = WORDPRESS / theme_name
    if not theme.is_dir():
        pytest.skip("../shared/data/wordpress is not present")
    posts, users = _rest_posts(theme)
    pages = []
    for page in sorted(theme.glob("*.html")):
        headers = page.with_name(page.name + ".headers")
        match = _REST_POST.search(headers.read_text(encoding="utf-8")) if headers.exists() else None
        if match and match[1] in posts:
            post = posts[match[1]]
            pages.append((page, post, users[post["author"]]))
    return pages


def _words(text: str) -> Counter[str]:
    return Counter(re.findall(r"\w+", text.lower()))


def _word_f1(predicted: str, reference: str) -> float:
    pred, ref = _words(predicted), _words(reference)
    overlap = sum((pred & ref).values())
    if not overlap:
        return 0.0
    precision, recall = overlap / sum(pred.values()), overlap / sum(ref.values())
    return 2 * precision * recall / (precision + recall)


@pytest.mark.parametrize("theme", THEMES)
def test_every_post_page_matches_the_rest_api(theme: str) -> None:
    pages = post_pages(theme)
    assert len(pages) >= 10
    for page, post, author in pages:
        extracted = read_page(decode_html(page.read_bytes()))
        assert extracted.title == html.unescape(post["title"]["rendered"]), page.name
        assert extracted.authors == [author], page.name
        assert extracted.published is not None and extracted.published.isoformat()[:10] == post["date"][:10]
        content = html.unescape(re.sub(r"<[^>]+>", " ", post["content"]["rendered"]))
        assert _word_f1(extracted.body_text, content) >= 0.95, page.name


@pytest.mark.parametrize("theme", THEMES)
def test_seed_article_thread_keeps_its_replies(theme: str) -> None:
    """The seed article's five comments, as the page nests them (see ../shared/README.md)."""
    page = next(p for p, _, _ in post_pages(theme) if p.name == "13-post-isis.html")
    extracted = read_page(decode_html(page.read_bytes()))
    authors = {c.site_id: c.author for c in extracted.comments}
    tree = [(authors[c.site_id], authors.get(c.parent_site_id or "")) for c in extracted.comments]
    assert tree == [("Don", None), ("Tom Mauel", "Don"), ("Don", "Tom Mauel"), ("Bianca", "Don"), ("Don", "Bianca")]
    assert "Jason Ditz is news editor" not in extracted.body_text  # the author box is no body text
    assert extracted.published is not None and extracted.published.isoformat() == "2017-01-16T18:12:00-05:00"
