"""Bulk reads of a batch's posts: a hundred posts per request, then their comments a hundred posts per request.

Per chunk of at most 100 posts: `wp/v2/posts?include=…&per_page=100&_embed=author,wp:term` (what the post
parser reads: the post, its author accounts and its terms), then every page of
`wp/v2/comments?post=…&per_page=100`. A post missing from the answer, or an answer that fails or is not a list
of posts, leaves its posts to the per-post requests; comments that fail in bulk are read per post. So a fault
costs what it costs without bulk reads, plus the bulk request itself.
"""

from __future__ import annotations

from urllib.parse import urlencode

from schemas import RawResponse, Source, Target, TargetKind
from schemas.errors import FetchError, RestFormatError
from tasks.comments import wordpress_rest as rest_comments
from tasks.comments.wordpress_rest.pages import load_comment_items
from tasks.fetch.fetcher import Fetcher
from tasks.parse.wordpress_json import PER_PAGE
from tasks.sources.wordpress.post import is_whole_post, load_post_json

POST_ROLE = "post_json"


def posts_url(source: Source, post_ids: list[int]) -> str:
    query = {"include": ",".join(str(i) for i in post_ids), "per_page": PER_PAGE, "orderby": "include",
             "_embed": "author,wp:term"}
    return f"{source.rest_root()}wp/v2/posts?{urlencode(query)}"


async def prefetch_posts(source: Source, targets: list[Target], fetcher: Fetcher) -> dict[str, list[RawResponse]]:
    """{target URL: [the bulk posts answer, the bulk comment pages]} for each post read in bulk."""
    posts = [t for t in targets if t.kind is TargetKind.WP_POST and t.post_id is not None]
    prefetched: dict[str, list[RawResponse]] = {}
    for start in range(0, len(posts), PER_PAGE):
        prefetched.update(await _prefetch_chunk(source, posts[start:start + PER_PAGE], fetcher))
    return prefetched


async def _prefetch_chunk(source: Source, chunk: list[Target], fetcher: Fetcher) -> dict[str, list[RawResponse]]:
    ids = [t.post_id for t in chunk if t.post_id is not None]
    try:
        response = await fetcher.get(posts_url(source, ids), POST_ROLE)
        found = _post_ids(response) if response.status == 200 else set()
    except (FetchError, RestFormatError):
        return {}  # every post of the chunk is read by itself
    ready = [t for t in chunk if t.post_id in found]
    if not (source.fetch_comments and ready):
        return {t.url: [response] for t in ready}
    ready_ids = [t.post_id for t in ready if t.post_id is not None]
    # None: every thread is read by itself (fetch_rest finds no comment pages among the prefetched responses)
    comments = await rest_comments.fetch_bulk_comments(source, ready_ids, fetcher.get) or []
    counted = _commented_posts(comments)
    # a post the feed says has comments, of which the bulk answer holds none, is asked by itself: an answer
    # that ignored the post list must not read as threads emptied
    return {t.url: [response, *comments] if t.post_id in counted or not t.comment_count_hint else [response]
            for t in ready}


def _commented_posts(pages: list[RawResponse]) -> set[int]:
    return {item["post"] for page in pages for item in load_comment_items(page.body) if isinstance(item, dict)
            and isinstance(item.get("post"), int)}


def _post_ids(response: RawResponse) -> set[int]:
    """The ids of the answer's whole posts (what the per-post parser accepts); any other post is asked by itself,
    so a server that ignores `include`/`_embed` and answers a bare listing costs requests, not articles."""
    posts = load_post_json(response.body)
    if not isinstance(posts, list):
        raise RestFormatError("the bulk posts answer is not a list")
    return {p["id"] for p in posts if is_whole_post(p)}
