"""The REST comments of many posts per request: paging, each post's thread read out of shared pages, and the
answers that send the posts back to per-post reads (None)."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime
from typing import Any

from schemas import Source
from schemas.errors import FetchError
from schemas.pipeline import RawResponse
from tasks.comments.wordpress_rest import bulk_comments_url, fetch_bulk_comments, read_comment_pages

SOURCE = Source(name="wire", kind="wordpress", base_url="https://news.example.org/")


def comment(cid: int, post: Any, minute: int, parent: int = 0) -> dict[str, Any]:
    return {"id": cid, "post": post, "parent": parent, "author_name": f"Reader {cid}", "status": "approved",
            "type": "comment", "date_gmt": f"2026-07-02T10:{minute:02d}:00", "content": {"rendered": f"<p>c{cid}</p>"}}


def page(items: list[dict[str, Any]], pages: int, url: str = "u") -> RawResponse:
    return RawResponse(url=url, final_url=url, status=200, headers={"x-wp-totalpages": str(pages)},
                       body=json.dumps(items).encode(), fetched_at=datetime.now(UTC), role="comments_json")


def serve(answers: dict[int, RawResponse | Exception]):  # type: ignore[no-untyped-def]
    asked: list[str] = []

    async def get(url: str, role: str) -> RawResponse:
        asked.append(url)
        answer = answers[int(url.rsplit("page=", 1)[1].split("&")[0])]
        if isinstance(answer, Exception):
            raise answer
        return answer
    return get, asked


def test_every_page_is_read_and_each_post_gets_its_own_thread() -> None:
    get, asked = serve({1: page([comment(5, 2, 50), comment(4, 1, 40, parent=3)], 2),
                        2: page([comment(3, 1, 30), comment(2, 2, 20)], 2)})
    pages = asyncio.run(fetch_bulk_comments(SOURCE, [1, 2], get))
    assert pages is not None and len(pages) == 2
    assert asked == [bulk_comments_url(SOURCE, [1, 2], 1), bulk_comments_url(SOURCE, [1, 2], 2)]
    assert "post=1%2C2" in asked[0] and "per_page=100" in asked[0]
    first, second = read_comment_pages(pages, 1), read_comment_pages(pages, 2)
    assert first is not None and second is not None and first.complete
    assert [(c.site_id, c.parent_site_id) for c in first.comments] == [("3", None), ("4", "3")]  # oldest first
    assert [c.site_id for c in second.comments] == ["2", "5"]
    assert read_comment_pages(pages, 9) is not None and not read_comment_pages(pages, 9).comments  # type: ignore[union-attr]


def test_doubtful_answers_send_the_posts_back_to_per_post_reads() -> None:
    failing = FetchError("u", "server error", 500)
    for answers in (
        {1: page([comment(1, 1, 1)], 2), 2: failing},  # a later page fails
        {1: page([comment(1, 7, 1)], 1)},  # a comment of a post not asked for: the list was ignored
        {1: page([comment(1, None, 1)], 1)},  # a comment naming no post
        {1: page([comment(1, 1, 1), {"id": 2, "post": 2}], 1)},  # an item that is no comment (no content)
        {1: RawResponse(url="u", final_url="u", status=200, headers={}, body=b'{"code": "x"}',
                        fetched_at=datetime.now(UTC), role="comments_json")},  # not a list
    ):
        get, _ = serve(answers)  # type: ignore[arg-type]
        assert asyncio.run(fetch_bulk_comments(SOURCE, [1, 2], get)) is None


def test_a_per_post_page_reads_as_before_with_or_without_the_post_id() -> None:
    one = page([comment(2, 1, 20), {"id": 3, "status": "approved", "date_gmt": "2026-07-02T10:10:00",
                                         "content": {"rendered": "<p>c3</p>"}}], 1)  # naming no post
    with_id, without = read_comment_pages([one], 1), read_comment_pages([one])
    assert with_id is not None and without is not None
    assert [c.site_id for c in with_id.comments] == [c.site_id for c in without.comments] == ["3", "2"]
