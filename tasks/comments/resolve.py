"""Parse time: the article's comments from whatever its comment system fetched, and how far to trust the read.

`comments_complete` says the whole thread was read, which is what lets the load mark stored comments that are
missing from it as deleted. So it is only set for reads that can vouch for absence: an API that answered every
page (WordPress REST, Disqus), a WordPress list with every comment page and the site's own comment ids, a
comment feed holding as many comments as the site counts. Markup that shows no comments proves nothing (a
theme change, comments drawn by script), and ids made up from positions shift when a comment is added.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

from schemas.pipeline import CommentRead, ParsedArticle, ParsedComment, RawResponse, Target
from schemas.source import Selectors, Source
from tasks.comments import disqus, feeds
from tasks.comments.channels import COMMENT_PAGE_ROLE, REST_COMMENTS_ROLE, article_page, signals_of
from tasks.comments.detect import CommentSystem, PageSignals
from tasks.parse.encoding import decode_html
from tasks.parse.wp_comments import parse_wordpress_comments

_SITE_ID = re.compile(r"^\d+$")  # WordPress and Disqus ids; "position-3"/"pos-3" are made up by the parsers
_PAGE_NUMBER = re.compile(r"/comment-page-(\d+)/?|[?&]cpage=(\d+)")
_GAP_HEADER = "x-wirehouse-error"


def resolve_comments(
    article: ParsedArticle, by_role: dict[str, list[RawResponse]], target: Target, source: Source
) -> None:
    """Set article.comments, comments_complete and comment_read from the fetched channels."""
    page = article_page(by_role.get("article", []))
    signals = signals_of(page)
    page_url = (page.final_url or page.url) if page is not None else target.url
    disqus_pages = by_role.get(disqus.ROLE, [])
    if disqus_pages:
        _read_disqus(article, disqus_pages, signals, page_url)
    elif signals.disqus is not None and not article.comments:
        _disqus_not_fetched(article, signals, page_url, source)
    elif REST_COMMENTS_ROLE in by_role:
        # dispatch chose between the REST thread and the page's list and knows whether every page came
        article.comment_read = CommentRead(system=CommentSystem.WORDPRESS_REST)
    elif signals.wordpress_list and (article.comments or COMMENT_PAGE_ROLE in by_role):
        _read_wordpress_pages(article, by_role.get(COMMENT_PAGE_ROLE, []), signals, page_url, source.selectors)
    else:
        _read_feed_or_generic(article, by_role.get(feeds.ROLE, []), page, target)


def read_disqus_pages(pages: list[RawResponse]) -> tuple[list[ParsedComment], bool, str]:
    """(comments, every page read, the error that stopped the read or "")."""
    comments: list[ParsedComment] = []
    for response in pages:
        if response.status == 0:
            return comments, False, response.headers.get(_GAP_HEADER, "Disqus API page missing")
        try:
            comments.extend(disqus.parse_list_posts(response.body, response.status).comments)
        except disqus.DisqusApiError as exc:
            return comments, False, f"Disqus API answer unreadable: {exc.message}"
    return _unique(comments), True, ""


def _read_disqus(article: ParsedArticle, pages: list[RawResponse], signals: PageSignals, page_url: str) -> None:
    comments, complete, error = read_disqus_pages(pages)
    ref = signals.disqus.thread_ref(page_url) if signals.disqus is not None else ""
    if comments or complete:
        article.comments = comments
    article.comments_complete = complete
    article.comment_read = CommentRead(
        system=CommentSystem.DISQUS, fetched=complete or bool(comments), error=error, thread_ref=ref,
        note="" if complete else "Disqus thread read in part",
    )


def _disqus_not_fetched(article: ParsedArticle, signals: PageSignals, page_url: str, source: Source) -> None:
    """The page embeds Disqus but no API key is configured: the comments exist, and are recorded as not read."""
    assert signals.disqus is not None
    forum = signals.disqus.forum or (source.disqus.forum if source.disqus else None)
    missing = "disqus.api_key" if source.disqus is not None else "disqus settings (forum, api_key)"
    article.comments_complete = False
    article.comment_read = CommentRead(
        system=CommentSystem.DISQUS, fetched=False, thread_ref=signals.disqus.thread_ref(page_url),
        note=f"Disqus thread (forum {forum or 'unknown'}) not fetched: source '{source.name}' sets no {missing}",
    )


def _read_wordpress_pages(
    article: ParsedArticle, pages: list[RawResponse], signals: PageSignals, page_url: str, selectors: Selectors
) -> None:
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
    if signals.paginated and not pages:
        complete = False  # pages linked but none fetched
    taken = {n for n, _ in numbered}
    own = page_number(page_url) or next((n for n in range(1, len(numbered) + 2) if n not in taken), 0)
    numbered.append((own, article.comments))
    article.comments = _unique([c for _, page in sorted(numbered, key=lambda item: item[0]) for c in page])
    article.comments_complete = complete and _vouched(article.comments)
    article.comment_read = CommentRead(
        system=CommentSystem.WORDPRESS,
        note="" if article.comments_complete else "comment pages or comment ids missing: read in part",
    )


def _read_feed_or_generic(
    article: ParsedArticle, feed_responses: list[RawResponse], page: RawResponse | None, target: Target
) -> None:
    feed_comments, feed_url, feed_whole = _feed_comments(feed_responses)
    page_comments = article.comments or _generic_comments(page, article)
    if feed_comments and len(feed_comments) > len(page_comments):
        article.comments = feed_comments
        # the feed holds only the newest comments: whole only when it holds as many as the site counts
        article.comments_complete = feed_whole and target.comment_count_hint == len(feed_comments)
        article.comment_read = CommentRead(
            system=CommentSystem.COMMENT_FEED, thread_ref=feed_url,
            note="" if article.comments_complete else "comment feed holds only the newest comments",
        )
        return
    article.comments = page_comments
    # comments found by shape alone: some may be missed or hidden behind a script, so absence proves nothing
    article.comments_complete = False
    system = CommentSystem.GENERIC if page_comments else CommentSystem.NONE
    article.comment_read = CommentRead(system=system)


def _feed_comments(responses: list[RawResponse]) -> tuple[list[ParsedComment], str, bool]:
    for response in responses:
        if response.status != 200:
            return [], response.url, False
        try:
            return feeds.parse_comment_feed(response.body), response.url, True
        except feeds.FeedError:
            return [], response.url, False
    return [], "", False


def _generic_comments(page: RawResponse | None, article: ParsedArticle) -> list[ParsedComment]:
    """The generic extractor's comments of a page whose site selectors found a body but no WordPress list.

    (When the selectors found no body, the generic extractor already ran on the page and gave its comments.)
    A "comment" whose text is part of the body is the extractor mistaking body markup: left out.
    """
    if page is None or article.parser == "generic":
        return []
    from tasks.parse.generic.comments import extract_comments  # another engineer's module: read, never edited

    try:
        section = extract_comments(LexborHTMLParser(decode_html(page.body, page.headers.get("content-type"))))
    except Exception:  # the generic extractor must not cost the article
        return []
    body = " ".join(article.body_text.split())
    return [c for c in section.comments if c.text and " ".join(c.text.split()) not in body]


def page_number(url: str) -> int | None:
    match = _PAGE_NUMBER.search(url)
    if match is None:
        return None
    return int(match.group(1) or match.group(2))


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


def _unique(comments: list[ParsedComment]) -> list[ParsedComment]:
    seen: set[str] = set()
    unique = []
    for comment in comments:
        if comment.site_id not in seen:
            seen.add(comment.site_id)
            unique.append(comment)
    return unique
