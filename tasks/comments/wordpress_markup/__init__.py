"""WordPress comment markup: the list on the article page, plus its other `/comment-page-N/` pages.

The markup itself is read by tasks.parse.wp_comments (the article parser reads the page's own list with it);
this system fetches the thread's other pages and puts the pages together, oldest first, each comment once.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

from schemas.pipeline import CommentRead, ParsedArticle, ParsedComment, RawResponse
from schemas.source import Selectors
from tasks.comments.base import CommentSystem, FetchContext, Get, Page, ReadContext, SystemName
from tasks.comments.detect import PageSignals
from tasks.comments.gaps import get_or_gap
from tasks.comments.unique import unique
from tasks.parse.encoding import decode_html
from tasks.parse.wp_comments import comment_page_urls, parse_wordpress_comments

ROLE = "comment_page"
MAX_COMMENT_PAGES = 50  # as for REST comment pages: beyond that a thread is not a comment section
_SITE_ID = re.compile(r"^\d+$")  # WordPress and Disqus ids; "position-3"/"pos-3" are made up by the parsers
_PAGE_NUMBER = re.compile(r"/comment-page-(\d+)/?|[?&]cpage=(\d+)")


class WordPressMarkup(CommentSystem):
    name = SystemName.WORDPRESS

    def detect(self, signals: PageSignals, rest_fetched: bool) -> bool:
        return signals.wordpress_list

    async def fetch(self, context: FetchContext) -> list[RawResponse]:
        if not context.page.signals.paginated:
            return []
        return await fetch_comment_pages(context.page.html, context.page.url, context.get)

    def read(self, context: ReadContext) -> bool:
        article = context.article
        if not (context.page.signals.wordpress_list and (article.comments or ROLE in context.responses)):
            return False
        _read_pages(article, context.responses.get(ROLE, []), context.page, context.source.selectors)
        return True


async def fetch_comment_pages(html: str, page_url: str, get: Get) -> list[RawResponse]:
    """The thread's other comment pages, newest first (WordPress shows the newest on the post by default)."""
    urls = comment_page_urls(html, page_url)[: MAX_COMMENT_PAGES - 1]
    return [await get_or_gap(get, url, ROLE) for url in urls]


def page_number(url: str) -> int | None:
    match = _PAGE_NUMBER.search(url)
    if match is None:
        return None
    return int(match.group(1) or match.group(2))


def _read_pages(article: ParsedArticle, pages: list[RawResponse], page: Page, selectors: Selectors) -> None:
    """The page's list plus its other comment pages, oldest page first, each comment once."""
    complete = article.comments_complete
    numbered: list[tuple[int, list[ParsedComment]]] = []
    for response in pages:
        number = page_number(response.url)
        if response.status != 200 or number is None:
            complete = False  # a gap, or a 304 whose body we do not have
            continue
        html = decode_html(response.body, response.headers.get("content-type"))
        numbered.append((number, parse_wordpress_comments(_comment_scope(html, selectors))))
    if page.signals.paginated and not pages:
        complete = False  # pages linked but none fetched
    taken = {n for n, _ in numbered}
    own = page_number(page.url) or next((n for n in range(1, len(numbered) + 2) if n not in taken), 0)
    numbered.append((own, article.comments))
    article.comments = unique([c for _, comments in sorted(numbered, key=lambda item: item[0]) for c in comments])
    article.comments_complete = complete and _vouched(article.comments)
    article.comment_read = CommentRead(
        system=SystemName.WORDPRESS,
        note="" if article.comments_complete else "comment pages or comment ids missing: read in part",
    )


def _comment_scope(html: str, selectors: Selectors) -> LexborNode | str:
    """Where the article parser reads comments on the post page: the same place on its other comment pages."""
    if not selectors.comments:
        return html
    tree = LexborHTMLParser(html)
    try:
        scope = tree.css_first(selectors.comments)
    except Exception:
        scope = None
    return scope if scope is not None else (tree.root or html)


def _vouched(comments: list[ParsedComment]) -> bool:
    """A read that can stand for the whole thread: some comments, all with the site's own ids."""
    return bool(comments) and all(_SITE_ID.match(c.site_id) for c in comments)
