"""Choose the parser for a fetched target and merge what its responses say."""

from __future__ import annotations

from schemas import FetchedTarget, ParsedArticle, RawResponse, Source, TargetKind
from tasks.comments.resolve import resolve_comments
from tasks.parse.encoding import decode_html
from tasks.parse.html_article import parse_article_html
from tasks.parse.wordpress_rest import RestParseError, oldest_first, parse_wp_comments, parse_wp_post


class ParseError(ValueError):
    """Nothing usable could be read from the responses."""


def parse_fetched(fetched: FetchedTarget, source: Source) -> ParsedArticle:
    by_role: dict[str, list[RawResponse]] = {}
    for response in fetched.responses:
        by_role.setdefault(response.role, []).append(response)
    page = _parse_page(by_role.get("article", []), fetched, source)

    if fetched.target.kind is TargetKind.WP_POST and "post_json" in by_role:
        try:
            article = parse_wp_post(by_role["post_json"][0].body)
        except RestParseError as exc:
            if page is None:
                raise ParseError(str(exc)) from None
            article = page  # the page alone still makes the article
        else:
            article = _merge_page_into_rest(article, page)
        _attach_rest_comments(article, by_role.get("comments_json", []), page)
    elif page is not None:
        if not page.body_text:
            raise ParseError("page has no article body")
        article = page
    else:
        raise ParseError("no article response to parse")

    if not article.title and not article.body_text:
        raise ParseError("page has neither a title nor a body")
    # the comment system the page uses decides which fetched channel holds the thread, and if it is whole
    resolve_comments(article, by_role, fetched.target, source)
    return article


def _parse_page(responses: list[RawResponse], fetched: FetchedTarget, source: Source) -> ParsedArticle | None:
    if not responses:
        return None
    response = responses[0]
    html = decode_html(response.body, response.headers.get("content-type"))
    return parse_article_html(html, response.final_url or fetched.target.url, source.selectors)


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


def _attach_rest_comments(article: ParsedArticle, pages: list[RawResponse], page: ParsedArticle | None) -> None:
    if not pages:
        return  # comments not fetched through REST: whatever the page showed stays
    comments = []
    complete = True
    for response in pages:
        if response.status == 0:
            complete = False
            continue
        try:
            comments.extend(parse_wp_comments(response.body))
        except RestParseError:
            complete = False
    if complete or page is None or len(comments) >= len(page.comments):
        article.comments = oldest_first(comments)
        article.comments_complete = complete
    # else: the page's own comment list is the fuller record of this thread; keep it
