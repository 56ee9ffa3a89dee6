"""The REST comments of many posts per request: `/wp/v2/comments?post=1,2,3&per_page=100`, every page.

The WordPress source kind reads a batch's threads this way (tasks/sources/wordpress/bulk.py); each post's
thread is then the items naming it (`read_comment_pages(pages, post_id)`). Anything that makes the answer
doubtful (a failing page, a page that is not a list of comments, an item naming no post or a post not asked
for) gives None: the posts are then read one by one, exactly as without bulk reads.
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlencode

from schemas.errors import FetchError, RestFormatError
from schemas.pipeline import RawResponse
from schemas.source import Source
from tasks.comments.wordpress_rest.pages import (
    MAX_COMMENT_PAGES,
    ROLE,
    Get,
    check_comment_page,
    load_comment_items,
)
from tasks.parse.wordpress_json import PER_PAGE, total_pages

# A hundred posts' threads share the pages; past this many the posts are read one by one (each capped as before)
MAX_BULK_PAGES = 4 * MAX_COMMENT_PAGES


def bulk_comments_url(source: Source, post_ids: Sequence[int], page: int) -> str:
    query = {"post": ",".join(str(i) for i in post_ids), "per_page": PER_PAGE, "page": page, "order": "desc",
             "orderby": "date_gmt"}
    return f"{source.rest_root()}wp/v2/comments?{urlencode(query)}"


async def fetch_bulk_comments(source: Source, post_ids: Sequence[int], get: Get) -> list[RawResponse] | None:
    """Every page of the posts' approved comments, newest first; None when any page is doubtful."""
    wanted = set(post_ids)
    pages: list[RawResponse] = []
    page, last = 1, 1
    while page <= last:
        try:
            response = await get(bulk_comments_url(source, post_ids, page), ROLE)
            if response.status != 200:
                return None
            check_comment_page(response.body)  # one odd item would otherwise fail every post of the batch
            if not _attributable(response.body, wanted):
                return None
        except (FetchError, RestFormatError):
            return None
        pages.append(response)
        last = total_pages(response.headers)
        if last > MAX_BULK_PAGES:
            return None
        page += 1
    return pages


def _attributable(body: bytes, wanted: set[int]) -> bool:
    """Every comment on the page names one of the posts asked for (what is not a comment is skipped anyway)."""
    return all(
        isinstance(item.get("post"), int) and item["post"] in wanted
        for item in load_comment_items(body)
        if isinstance(item, dict) and "id" in item
    )
