"""Pins for what the real WordPress showed the pipeline getting wrong, on responses it gives.

Each was found by the live tests beside this file; these keep the fixes without PHP or MariaDB, on the
recorded responses in ../shared or on REST comment pages in the exact shape WordPress sends.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from schemas import FetchedTarget, RawResponse, Source, Target, TargetKind
from tasks.normalize.comments import normalize_comments
from tasks.parse.html_article import parse_article_html
from tasks.sources.feed.archive import article_links
from tasks.sources.reading import parse_fetched
from tasks.sources.wordpress.post import parse_wp_post


@pytest.fixture
def recorded(shared: Path) -> Path:
    return shared / "data" / "wordpress"


def test_rest_author_bio_is_text_not_html(recorded: Path) -> None:
    # A user's description is HTML ("news editor of <a href=…>Antiwar.com</a>."). Block themes print no bio, so
    # the REST one is the only one, and it reached the authors table with its markup.
    post = parse_wp_post((recorded / "twentytwentythree" / "03-post-isis.json").read_bytes())
    assert post.author_bios == {"Jason Ditz": "Jason Ditz is news editor of Antiwar.com."}


@pytest.mark.parametrize("theme", ["twentytwentyone", "twentytwentythree"])
def test_archive_pages_lead_to_the_next_page(recorded: Path, theme: str) -> None:
    # Block themes link the next page with the Query Pagination block, which discovery did not follow.
    html = (recorded / theme / "24-home.html").read_text(encoding="utf-8")
    links, next_url = article_links(html, "http://127.0.0.1:8081/", datetime(2017, 1, 1).date(),
                                    datetime(2026, 12, 31).date(), ["127.0.0.1"])
    assert links and next_url == "http://127.0.0.1:8081/page/2/"


def test_a_published_time_is_not_a_modification_time(recorded: Path) -> None:
    # Twenty Twenty-One marks its one date `published updated`; the post was edited a day later, which the
    # page does not say. Reading that date as the modification time was wrong.
    html = (recorded / "twentytwentyone" / "20-post-edited.html").read_text(encoding="utf-8")
    page = parse_article_html(html, "http://127.0.0.1:8081/2017/01/30/civilians-among-dead-in-us-commando-raid-in-yemen/")
    assert page.published_at == datetime(2017, 1, 30, 13, 55, tzinfo=UTC)
    assert page.modified_at is None


def _rest_comment(comment_id: int, parent: int, minutes: int) -> dict[str, object]:
    posted = datetime(2017, 2, 6, 19, 0) + timedelta(minutes=minutes)
    return {"id": comment_id, "post": 19, "parent": parent, "author": 0, "author_name": f"Reader {comment_id}",
            "date": (posted - timedelta(hours=8)).isoformat(), "date_gmt": posted.isoformat(),
            "content": {"rendered": f"<p>Comment {comment_id}</p>\n"}, "status": "approved", "type": "comment"}


def _response(url: str, role: str, body: object, pages: int = 1) -> RawResponse:
    return RawResponse(url=url, final_url=url, status=200, body=json.dumps(body).encode(), role=role,
                       headers={"content-type": "application/json", "x-wp-totalpages": str(pages)},
                       fetched_at=datetime(2017, 3, 1, tzinfo=UTC))


def test_a_thread_over_several_rest_pages_reads_oldest_first(recorded: Path) -> None:
    # Comments are fetched newest first, 100 a page. Sorting each page on its own put the oldest page's
    # comments last: wrong positions among siblings, and every one "moved" when a deletion shifted the pages.
    base = "http://127.0.0.1:8081/wp-json/wp/v2/comments?post=19&per_page=100&order=desc&orderby=date_gmt&page="
    newest = [_rest_comment(5, 0, 50), _rest_comment(4, 1, 40), _rest_comment(3, 0, 30)]
    oldest = [_rest_comment(2, 0, 20), _rest_comment(1, 0, 10)]
    post = (recorded / "twentytwentyone" / "03-post-isis.json").read_bytes()
    target = Target(source="wire", kind=TargetKind.WP_POST, url="http://127.0.0.1:8081/2017/02/06/war-powers/",
                    post_id=19, discovered_at=datetime(2017, 3, 1, tzinfo=UTC))
    fetched = FetchedTarget(target=target, responses=[
        RawResponse(url="http://127.0.0.1:8081/wp-json/wp/v2/posts/19?_embed=1", final_url="", status=200,
                    headers={}, body=post, role="post_json", fetched_at=datetime(2017, 3, 1, tzinfo=UTC)),
        _response(base + "1", "comments_json", newest, pages=2),
        _response(base + "2", "comments_json", oldest, pages=2),
    ])
    source = Source.model_validate({"name": "wire", "kind": "wordpress", "base_url": "http://127.0.0.1:8081/",
                                    "fetch_article_html": False})
    article = parse_fetched(fetched, source)
    assert [c.site_id for c in article.comments] == ["1", "2", "3", "4", "5"]
    rows = normalize_comments("article", article.comments)
    assert [(r.site_comment_id, r.depth, r.position) for r in rows if r.depth == 0] == [
        ("1", 0, 0), ("2", 0, 1), ("3", 0, 2), ("5", 0, 3)]
