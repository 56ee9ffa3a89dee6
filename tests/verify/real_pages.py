"""Real article pages of ../shared/data (never copied into the repo), and the gate's verdict on each as the
pipeline would reach it: the page read by the article reader, the body normalized, the page as the response."""

from __future__ import annotations

import gzip
import json
import random
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from schemas.pipeline import ParsedArticle, RawResponse, Target
from schemas.rows import StoredArticleFacts
from schemas.verdict import Verdict
from tasks.normalize.bodies import html_to_text, normalize_text, word_count
from tasks.parse.encoding import decode_html
from tasks.parse.html_article import parse_article_html
from tasks.verify.gate import judge_article

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"
NOW = datetime(2026, 12, 6, tzinfo=UTC)


def page_response(url: str, html: str | bytes, status: int = 200) -> RawResponse:
    body = html.encode("utf-8") if isinstance(html, str) else html
    return RawResponse(url=url, final_url=url, status=status, headers={"content-type": "text/html; charset=UTF-8"},
                       body=body, fetched_at=NOW, role="article")


def read_page(html: str | bytes, url: str) -> tuple[ParsedArticle, str, int]:
    """The article as the pipeline reads it: parsed, its body text normalized, its words counted."""
    text = decode_html(html) if isinstance(html, bytes) else html
    parsed = parse_article_html(text, url)
    body = normalize_text(parsed.body_text or html_to_text(parsed.body_html))
    return parsed, body, word_count(body)


def judge_page(
    html: str | bytes, url: str, post_id: int | None = None, stored: StoredArticleFacts | None = None
) -> Verdict:
    parsed, body, words = read_page(html, url)
    target = Target(source="site", url=url, post_id=post_id, discovered_at=NOW)
    return judge_article(parsed, target, [page_response(url, html)], body, words, stored)


def stored_facts(html: str, url: str, post_id: int | None = None) -> StoredArticleFacts:
    """What the warehouse would hold after loading this page."""
    parsed, _, words = read_page(html, url)
    return StoredArticleFacts(article_id="a", post_id=post_id, url=url, title=parsed.title, word_count=words,
                              content_hash="h", published_at=parsed.published_at, modified_at=parsed.modified_at,
                              parser="site_html", channel="page", field_channels={})


def antiwar_pages() -> Iterator[tuple[str, str, str]]:
    folder = SHARED / "antiwar"
    urls = {"aw-home.html": "https://www.antiwar.com/", "aw-latest.html": "https://www.antiwar.com/latest.php",
            "aw-vp.html": "https://www.antiwar.com/viewpoints.php"}
    for name, url in urls.items():
        yield name, url, (folder / name).read_text("utf-8", "replace")


def wordpress_pages() -> Iterator[tuple[str, str, str]]:
    """The post pages of the real WordPress, each under its own address (its canonical link)."""
    for theme in ("twentytwentyone", "twentytwentythree"):
        for path in sorted((SHARED / "wordpress" / theme).glob("*-post-*.html")):
            html = path.read_text("utf-8", "replace")
            match = re.search(r'<link rel="canonical" href="([^"]+)"', html)
            yield f"{theme}/{path.name}", match.group(1) if match else "http://127.0.0.1/", html


def set_pages(name: str, sample: int | None = None, seed: int = 13) -> Iterator[tuple[str, str, bytes]]:
    """Article pages of aeb, pages or wcxb (wcxb: its article pages; forum threads are not articles)."""
    folder = SHARED / name
    if name == "aeb":
        gold = json.loads((folder / "ground-truth.json").read_text("utf-8"))
        items = [(key, value.get("url") or f"https://example.org/{key}", folder / "html" / f"{key}.html.gz")
                 for key, value in gold.items()]
    elif name == "pages":
        gold = json.loads((folder / "gold.json").read_text("utf-8"))
        items = [(key, value["url"], folder / "html" / value["file"]) for key, value in gold.items()]
    else:
        gold = json.loads((folder / "gold.json").read_text("utf-8"))
        items = [(key, value["url"], folder / "html" / f"{key}.html.gz") for key, value in gold.items()
                 if value.get("type") == "article"]
    items.sort()
    if sample is not None and sample < len(items):
        items = sorted(random.Random(seed).sample(items, sample))
    for key, url, path in items:
        if not path.exists():
            continue
        raw = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
        yield key, url, raw
