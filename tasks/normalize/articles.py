"""ParsedArticle (+ the target that found it) -> the rows one article contributes to the warehouse."""

from __future__ import annotations

import hashlib
import unicodedata
from datetime import UTC, datetime

from schemas import ArticleAuthorRow, ArticleRow, NormalizedArticle, ParsedArticle, Source, Target
from schemas.pipeline import ReprintNote
from tasks.normalize.authors import AuthorResolver, Byline
from tasks.normalize.bodies import content_hash, html_to_text, normalize_text, sanitize_html, word_count
from tasks.normalize.comments import normalize_comments
from tasks.normalize.urls import canonical_url, site_name_of


def article_id_for(source: str, post_id: int | None, url: str) -> str:
    """Stable across channels: the site's post id when known, else the canonical URL."""
    key = f"{source}:post:{post_id}" if post_id is not None else f"{source}:url:{canonical_url(url)}"
    return hashlib.sha256(key.encode()).hexdigest()[:20]


def normalize_article(
    parsed: ParsedArticle,
    target: Target,
    source: Source,
    fetched_at: datetime,
    resolver: AuthorResolver,
) -> NormalizedArticle:
    # the post asked for names the row: a page that is another post (a cache's mix-up) must not take that post's
    # id, and with it its row in the batch; the gate refuses it for the mismatch
    post_id = target.post_id if target.post_id is not None else parsed.post_id
    url = canonical_url(target.url or parsed.url)
    article_id = article_id_for(source.name, post_id, url)

    body_html = sanitize_html(parsed.body_html, url) if parsed.body_html else ""
    body_text = normalize_text(parsed.body_text or html_to_text(body_html))
    title = _clean_line(parsed.title)
    deck = _clean_line(parsed.deck) or None
    published_at = _utc(parsed.published_at) or _utc(target.channel_published_at)

    resolved = resolver.resolve(_bylines(parsed, target), parsed.author_bios, site_name_of(source.host))
    comments = normalize_comments(article_id, parsed.comments, base_url=url)

    article = ArticleRow(
        article_id=article_id,
        source=source.name,
        post_id=post_id,
        url=url,
        title=title,
        deck=deck,
        published_at=published_at,
        modified_at=_utc(parsed.modified_at),
        body_text=body_text,
        body_html=body_html,
        word_count=word_count(body_text),
        content_hash=content_hash(title, deck, body_text),
        categories=parsed.categories,
        tags=parsed.tags,
        comment_count_hint=target.comment_count_hint,
        parser=parsed.parser,
        fetched_at=fetched_at,
        **_reprint_columns(parsed.reprint),
    )
    return NormalizedArticle(
        article=article,
        authors=resolved.authors,
        aliases=resolved.aliases,
        article_authors=[
            ArticleAuthorRow(article_id=article_id, author_id=a.author_id, position=i)
            for i, a in enumerate(resolved.authors)
        ],
        comments=comments,
        comments_complete=parsed.comments_complete,
    )


def _bylines(parsed: ParsedArticle, target: Target) -> list[Byline]:
    """Channels in order of trust: the page or Co-Authors Plus, then the feed, then REST user accounts."""
    bylines = [Byline("page", parsed.bylines)]
    if target.channel_bylines:
        bylines.append(Byline(target.channel or "feed", target.channel_bylines))
    accounts = list(dict.fromkeys(parsed.author_slugs.keys()))
    if accounts:
        bylines.append(Byline("rest_user", accounts, human=False))
    return bylines


def _reprint_columns(reprint: ReprintNote | None) -> dict[str, str | None]:
    """articles.reprinted_from, reprinted_from_url and reprint_note; NULL for what the note does not say."""
    if reprint is None:
        return {}
    return {
        "reprinted_from": _clean_line(reprint.source) or None,
        "reprinted_from_url": reprint.url.strip() or None,
        "reprint_note": _clean_line(reprint.note) or None,
    }


def _clean_line(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def _utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
