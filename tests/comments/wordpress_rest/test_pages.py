"""Reading a post's REST comment pages: a 200 that is not a list of comments is an error of the read (the caller
refuses it), never an empty or phantom thread."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from schemas.pipeline import RawResponse
from tasks.comments.wordpress_rest import read_comment_pages

URL = "https://news.example.org/wp-json/wp/v2/comments?post=7&per_page=100&page=1&order=desc&orderby=date_gmt"


def comment(cid: int, minute: int) -> dict[str, Any]:
    return {"id": cid, "post": 7, "parent": 0, "author_name": f"Reader {cid}", "status": "approved",
            "type": "comment", "date_gmt": f"2026-07-02T10:{minute:02d}:00",
            "content": {"rendered": f"<p>Comment {cid} on the ceasefire.</p>"}}


def answer(body: Any) -> RawResponse:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return RawResponse(url=URL, final_url=URL, status=200, headers={"x-wp-totalpages": "1"}, body=raw,
                       fetched_at=datetime.now(UTC), role="comments_json")


def test_a_list_of_comments_reads_without_error() -> None:
    thread = read_comment_pages([answer([comment(2, 5), comment(1, 1)])], 7)
    assert thread is not None and thread.error is None and thread.complete
    assert [c.site_id for c in thread.comments] == ["1", "2"]
    empty = read_comment_pages([answer([])], 7)
    assert empty is not None and empty.error is None and empty.comments == []


@pytest.mark.parametrize("body", [
    {"code": "rest_no_route", "message": "No route was found matching the URL and request method.",
     "data": {"status": 404}},
    {"comments": [comment(1, 1)], "total": 1},
    comment(1, 1),
    None,
    [{"id": 1}],
    [{"id": 1, "post": 7, "author_name": "Ana"}],
    ["1", "2"],
    b"\x89PNG\r\n\x1a\n\x00\x00",
], ids=["rest-error", "object", "one-comment", "null", "id-only", "no-content", "strings", "noise"])
def test_a_200_that_is_not_a_list_of_comments_is_an_error(body: Any) -> None:
    thread = read_comment_pages([answer(body)], 7)
    assert thread is not None and thread.error is not None and not thread.complete
    assert URL in thread.error and "\n" not in thread.error
