"""WordPress REST JSON -> ParsedArticle and comment threads, on a real WordPress's responses."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from schemas.errors import RestFormatError
from tasks.comments.wordpress_rest import parse_wp_comments
from tasks.normalize.comments import normalize_comments
from tasks.sources.wordpress.post import parse_wp_post


def test_real_post(shared: Path) -> None:
    post = parse_wp_post((shared / "data/wordpress/twentytwentyone/03-post-isis.json").read_bytes())
    assert post.post_id == 7
    assert post.title == "ISIS Shifts Focus to Syria as They Lose Ground in Iraq"
    assert post.body_text.startswith("While reports of ISIS’ outright defeat in Iraq are dramatically overstated")
    assert "Author:" not in post.body_text
    assert post.published_at is not None and post.published_at.tzinfo is not None
    assert list(post.author_slugs.values()) == ["jason"]
    assert any("news editor" in bio for bio in post.author_bios.values())
    assert post.categories


def test_real_seed_thread(shared: Path) -> None:
    comments = parse_wp_comments((shared / "data/wordpress/twentytwentyone/04-comments-isis.json").read_bytes())
    assert len(comments) == 5
    rows = normalize_comments("a1", comments)
    by_site = {r.site_comment_id: r for r in rows}
    names = {r.comment_id: r.author_name for r in rows}
    edges = sorted((names.get(r.parent_id or "", ""), r.author_name, r.depth) for r in rows)
    assert edges == sorted(
        [("", "Don", 0), ("Don", "Tom Mauel", 1), ("Tom Mauel", "Don", 2), ("Don", "Bianca", 1), ("Bianca", "Don", 2)]
    )
    # Tom Mauel's reply comes before Bianca's among the first comment's children
    top = next(r for r in rows if r.depth == 0)
    children = sorted((r for r in rows if r.parent_id == top.comment_id), key=lambda r: r.position)
    assert [c.author_name for c in children] == ["Tom Mauel", "Bianca"]
    assert all(r.posted_at is not None and r.posted_at.utcoffset() is not None for r in by_site.values())


def test_pending_and_spam_comments_are_never_ingested() -> None:
    body = json.dumps(
        [
            {
                "id": 1,
                "parent": 0,
                "author_name": "A",
                "date_gmt": "2026-01-01T00:00:00",
                "status": "approved",
                "type": "comment",
                "content": {"rendered": "<p>ok</p>"},
            },
            {
                "id": 2,
                "parent": 0,
                "author_name": "B",
                "status": "hold",
                "type": "comment",
                "content": {"rendered": "x"},
            },
            {
                "id": 3,
                "parent": 0,
                "author_name": "C",
                "status": "spam",
                "type": "comment",
                "content": {"rendered": "y"},
            },
            {
                "id": 4,
                "parent": 0,
                "author_name": "D",
                "status": "approved",
                "type": "pingback",
                "content": {"rendered": "z"},
            },
        ]
    ).encode()
    assert [c.site_id for c in parse_wp_comments(body)] == ["1"]


def test_orphan_reply_is_kept_top_level() -> None:
    body = json.dumps(
        [
            {
                "id": 9,
                "parent": 5,
                "author_name": "Late",
                "status": "approved",
                "type": "comment",
                "content": {"rendered": "<p>reply to a deleted comment</p>"},
            }
        ]
    ).encode()
    rows = normalize_comments("a1", parse_wp_comments(body))
    assert rows[0].parent_id is None and rows[0].depth == 0 and rows[0].text == "reply to a deleted comment"


@pytest.mark.parametrize("body", [b"", b"not json", b"[]", b'{"code":"rest_post_invalid_id"}', b'{"id":"x"}'])
def test_bad_post_json_is_a_parse_error(body: bytes) -> None:
    with pytest.raises(RestFormatError):
        parse_wp_post(body)


_POST = {"id": 7, "title": {"rendered": "A Title"}, "content": {"rendered": "<p>Body words here.</p>"},
         "date_gmt": "2026-07-01T10:00:00", "link": "https://example.org/2026/07/01/a-title/"}


@pytest.mark.parametrize("post", [
    {"id": 7},  # id only
    {k: v for k, v in _POST.items() if k not in ("title", "content")},  # no content, no title
    {**_POST, "title": "A Title", "content": ""},  # another serializer's plain strings
])
def test_a_post_without_rendered_title_and_content_is_a_parse_error(post: dict) -> None:  # type: ignore[type-arg]
    with pytest.raises(RestFormatError, match="no rendered"):
        parse_wp_post(json.dumps(post).encode(), 7)


def test_a_list_answers_only_the_bulk_request() -> None:
    body = json.dumps([_POST]).encode()
    assert parse_wp_post(body, 7).title == "A Title"  # posts?include=7 (bulk)
    with pytest.raises(RestFormatError, match="list"):
        parse_wp_post(body, 7, single=True)  # posts/7 answers one object
    assert parse_wp_post(json.dumps(_POST).encode(), 7, single=True).body_text == "Body words here."
