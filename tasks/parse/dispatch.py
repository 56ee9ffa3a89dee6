"""Choose the parser for a fetched target and merge what its responses say."""

from __future__ import annotations

from dataclasses import dataclass, field

from schemas import FetchedTarget, ParsedArticle, ParsedComment, RawResponse, Source, TargetKind
from schemas.errors import ParseError, RestFormatError
from tasks.comments.resolve import resolve_comments
from tasks.parse.encoding import decode_html
from tasks.parse.html_article import parse_article_html, parse_page_additions
from tasks.parse.wordpress_rest import oldest_first, parse_wp_comments, parse_wp_post


@dataclass
class RestThread:
    """The comments the REST comment pages gave, and whether every page was read."""

    comments: list[ParsedComment] = field(default_factory=list)
    complete: bool = True


def parse_fetched(fetched: FetchedTarget, source: Source) -> ParsedArticle:
    by_role: dict[str, list[RawResponse]] = {}
    for response in fetched.responses:
        by_role.setdefault(response.role, []).append(response)
    pages = by_role.get("article", [])

    if fetched.target.kind is TargetKind.WP_POST and "post_json" in by_role:
        thread = _read_rest_comments(by_role.get("comments_json", []))
        try:
            rest = parse_wp_post(by_role["post_json"][0].body)
        except RestFormatError as exc:
            page = _parse_page(pages, fetched, source)
            if page is None:
                raise ParseError(str(exc)) from None
            article = page  # the page alone still makes the article
        else:
            # REST gave the title, the body and the whole thread: the page is read only for what it adds
            additions_only = bool(rest.title and rest.body_text and thread is not None and thread.complete)
            page = _parse_page(pages, fetched, source, additions_only)
            article = _merge_page_into_rest(rest, page)
        _attach_rest_comments(article, thread, page)
    else:
        page = _parse_page(pages, fetched, source)
        if page is None:
            raise ParseError("no article response to parse")
        if not page.body_text:
            raise ParseError("page has no article body")
        article = page

    if not article.title and not article.body_text:
        raise ParseError("page has neither a title nor a body")
    # the comment system the page uses decides which fetched channel holds the thread, and if it is whole
    resolve_comments(article, by_role, fetched.target, source)
    return article


def _parse_page(
    responses: list[RawResponse], fetched: FetchedTarget, source: Source, additions_only: bool = False
) -> ParsedArticle | None:
    if not responses:
        return None
    response = responses[0]
    html = decode_html(response.body, response.headers.get("content-type"))
    url = response.final_url or fetched.target.url
    additions = parse_page_additions(html, url, source.selectors) if additions_only else None
    return additions or parse_article_html(html, url, source.selectors)


def _merge_page_into_rest(article: ParsedArticle, page: ParsedArticle | None) -> ParsedArticle:
    """REST is exact for ids, dates, body and accounts; the page adds the deck and the printed byline/bio."""
    if page is None:
        return article
    bios = {**article.author_bios, **page.author_bios}
    bylines = page.bylines + [b for b in article.bylines if b not in page.bylines]
    return article.model_copy(
        update={
            "deck": article.deck or page.deck,
            "bylines": bylines,
            "author_bios": bios,
            "title": article.title or page.title,
            "body_html": article.body_html or page.body_html,
            "body_text": article.body_text or page.body_text,
            "comments": page.comments,  # replaced by the REST thread below when that is complete
        }
    )


def _read_rest_comments(pages: list[RawResponse]) -> RestThread | None:
    """The thread from its REST comment pages; None when comments were not fetched through REST."""
    if not pages:
        return None
    thread = RestThread()
    for response in pages:
        if response.status == 0:
            thread.complete = False
            continue
        try:
            thread.comments.extend(parse_wp_comments(response.body))
        except RestFormatError:
            thread.complete = False
    return thread


def _attach_rest_comments(article: ParsedArticle, thread: RestThread | None, page: ParsedArticle | None) -> None:
    if thread is None:
        return  # comments not fetched through REST: whatever the page showed stays
    if thread.complete or page is None or len(thread.comments) >= len(page.comments):
        article.comments = oldest_first(thread.comments)
        article.comments_complete = thread.complete
    # else: the page's own comment list is the fuller record of this thread; keep it
