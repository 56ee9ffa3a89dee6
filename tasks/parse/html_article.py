"""Article pages read with the selectors a source declares, generic rules for the rest.

Order matters: comments are read first and their markup removed, so that nothing of them can reach the
metadata or the body; then metadata; then the body is cleaned (exclusions, share blocks, bylines, bios,
feed trailers). Whatever the site selectors leave empty is filled from the generic extractor.
"""


import contextlib

from selectolax.lexbor import LexborHTMLParser, LexborNode

from schemas.pipeline import ParsedArticle
from schemas.source import Selectors
from tasks.parse.article_body import COMMENT_AREA_SELECTOR, BodyCredits, clean_body, strip_byline_blocks
from tasks.parse.article_dom import all_matches, first_match, node_text, parse_tree
from tasks.parse.article_metadata import (
    author_box_bios,
    author_box_texts,
    dates_of,
    page_bylines,
    post_id_of,
    terms_of,
    title_of,
)
from tasks.parse.bylines import block_text
from tasks.parse.selector_checks import check_selectors
from tasks.parse.wp_comments import parse_wordpress_comments

PARSER_NAME = "site_html"


def parse_article_html(html: str, url: str, selectors: Selectors | None = None) -> ParsedArticle:
    """Read an article page with the source's selectors; generic rules fill what they leave empty.

    Never raises on bad input: garbage gives an article with empty fields.
    """
    selectors = selectors or Selectors()
    article = ParsedArticle(url=url, parser=PARSER_NAME)
    tree = parse_tree(html)
    if tree is None or tree.root is None:
        return article
    # A page we cannot read must not stop a batch; keep whatever was found before the failure.
    with contextlib.suppress(Exception):
        _fill_from_page(article, tree.root, selectors)
    if not article.body_text:
        _fill_from_generic(article, tree, html, url)
        article.parse_report.body_from_generic = bool(article.body_text)
    return article


def parse_page_additions(html: str, url: str, selectors: Selectors | None = None) -> ParsedArticle | None:
    """Only what an article page adds to a WordPress REST post that has its title, body and whole thread:
    the deck and the printed bylines, bios and author slugs, read exactly as `parse_article_html` reads them.

    Skips most of what REST already gave (the page's comments, dates, terms, body HTML); keeps the page's title
    and body text, by which the plausibility gate tells whether the page is this article at all.
    None when the page's body has no text: then the generic extractor has its say, and only the whole read
    (`parse_article_html`) gives the same answer.
    """
    selectors = selectors or Selectors()
    tree = parse_tree(html)
    if tree is None or tree.root is None:
        return None
    article = ParsedArticle(url=url, parser=PARSER_NAME)
    try:
        body_has_text = _fill_from_page(article, tree.root, selectors, whole=False)
    except Exception:  # the whole read keeps what it found before a failure; let it do so
        return None
    return article if body_has_text else None


def _fill_from_page(article: ParsedArticle, root: LexborNode, selectors: Selectors, whole: bool = True) -> bool:
    """Read the page into `article`; `whole=False` reads the deck, the credits, the title and the body text
    (parse_page_additions).
    True when the body selector found text."""
    # every declared selector, whichever read this is (source health counts them); before the comment area goes,
    # as a declared comments selector points into it
    article.parse_report.selector_checks = check_selectors(root, selectors)
    if whole:
        article.comments = parse_wordpress_comments(first_match(root, selectors.comments) or root)
    for node in all_matches(root, COMMENT_AREA_SELECTOR):
        node.decompose()

    article.title = title_of(root, selectors)  # the additions too: the gate compares a REST post's page with it
    if whole:
        article.post_id = post_id_of(root)
    article.deck = node_text(first_match(root, selectors.deck))
    if whole:
        article.published_at, article.modified_at = dates_of(root, selectors)
        article.categories, article.tags = terms_of(root)
        language = first_match(root, "html")
        article.language = (language.attributes.get("lang") or None) if language is not None else None
    body = first_match(root, selectors.body)
    page_names, article.author_slugs = page_bylines(root, body, selectors)
    box_texts = author_box_texts(root)
    credits = BodyCredits()
    body_has_text = False
    if body is not None:
        credits = clean_body(body, selectors, page_names)
        # the additions keep the page's text too (not its HTML): the gate judges a REST post's page by it
        article.body_text = block_text(body)
        body_has_text = bool(article.body_text)
        if whole:
            article.body_html = (body.inner_html or "").strip()
    # A declared byline selector wins; otherwise the body's own "Author:" line beats theme guesses.
    if selectors.byline and page_names:
        article.bylines = page_names
    else:
        article.bylines = credits.names or page_names
    article.author_bios = {**author_box_bios(box_texts, article.bylines), **credits.bios}
    article.author_slugs = {**credits.slugs, **article.author_slugs}
    article.reprint = credits.reprint
    return body_has_text


def _fill_from_generic(article: ParsedArticle, tree: LexborHTMLParser, html: str, url: str) -> None:
    """Fill empty fields from the generic extractor.

    When WordPress comments were read, it gets the page without them (comments are never body); otherwise
    the page as fetched, so that it can find comments of other systems itself.
    """
    try:
        from tasks.parse.generic import extract_article  # another module, may not exist yet
    except ImportError:
        return
    try:
        generic = extract_article((tree.html or html) if article.comments else html, url)
    except Exception:
        return
    for name in ("title", "deck", "published_at", "modified_at", "language", "post_id"):
        if not getattr(article, name) and getattr(generic, name):
            setattr(article, name, getattr(generic, name))
    for name in ("bylines", "categories", "tags", "comments"):
        if not getattr(article, name) and getattr(generic, name):
            setattr(article, name, list(getattr(generic, name)))
    if not article.author_bios and generic.author_bios:
        article.author_bios = dict(generic.author_bios)
    if generic.body_html or generic.body_text:
        credits = _strip_generic_body(article, generic.body_html, generic.body_text)
        article.bylines = article.bylines or credits.names
        article.reprint = article.reprint or credits.reprint
        for name, bio in credits.bios.items():
            article.author_bios.setdefault(name, bio)


def _strip_generic_body(article: ParsedArticle, body_html: str, body_text: str) -> BodyCredits:
    """The generic body with bylines, bios, reprint notes and feed trailers moved out, as for a selector-found
    body."""
    fragment = parse_tree(f"<div id='wirehouse-body'>{body_html}</div>") if body_html else None
    container = fragment.css_first("#wirehouse-body") if fragment is not None else None
    if container is None:
        article.body_html, article.body_text = body_html, body_text
        return BodyCredits()
    before = container.inner_html
    credits = strip_byline_blocks(container, article.bylines)
    article.body_html = (container.inner_html or "").strip()
    changed = container.inner_html != before
    article.body_text = block_text(container) if changed or not body_text else body_text
    return credits
