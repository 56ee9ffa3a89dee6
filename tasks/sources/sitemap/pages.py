"""Which listed pages are articles: a sitemap also lists a site's front page, its tag, category and author
pages, and its static pages, which are not stories. Rules hold for the conventions CMSs share (WordPress core,
Yoast, Rank Math, Ghost, Hugo, Jekyll, Drupal), never for one site."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

# Child sitemaps named for what is not a story: Yoast/Rank Math `category-sitemap.xml`, `post_tag-sitemap2.xml`,
# `author-sitemap.xml`, `page-sitemap.xml`; Ghost `sitemap-tags.xml`, `sitemap-pages.xml`; WordPress core
# `wp-sitemap-taxonomies-category-1.xml`, `wp-sitemap-users-1.xml`, `wp-sitemap-posts-page-1.xml`.
_NOT_STORIES = r"(?:tags?|post_tag|categor(?:y|ies)|authors?|users?|taxonom(?:y|ies)|topics?)"
_NON_ARTICLE_SITEMAP = re.compile(
    rf"^(?:(?:[a-z]+[-_])?(?:{_NOT_STORIES}|page|pages)[-_]sitemap\d*"
    rf"|sitemap[-_](?:{_NOT_STORIES}|pages)(?:[-_]\d+)?"
    r"|wp-sitemap-(?:taxonomies|users)-.*|wp-sitemap-posts-page-\d+)\.(?:xml|txt)(?:\.gz)?$",
    re.IGNORECASE,
)
# Listing pages by their address: /tag/x/, /tags/x/, /category/x/y/, /author/x/, /authors/x/, /topics/x/,
# /taxonomy/term/5, and any /page/N/ of a listing.
_LISTING_WORDS = {"tag", "tags", "category", "categories", "author", "authors", "topic", "topics", "taxonomy"}
_PAGINATION = re.compile(r"/page/\d+/?$")


def lists_articles(sitemap_url: str) -> bool:
    """False for a child sitemap whose name says it lists taxonomies, authors or static pages."""
    name = urlsplit(sitemap_url).path.rsplit("/", 1)[-1]
    return not _NON_ARTICLE_SITEMAP.match(name)


def is_listing_page(url: str, base_url: str) -> bool:
    """True for the site's front page and for tag, category, author and paginated listing pages."""
    path = urlsplit(url).path or "/"
    base_path = urlsplit(base_url).path or "/"
    if path.rstrip("/") in ("", base_path.rstrip("/")) or _PAGINATION.search(path):
        return True
    below = path[len(base_path):] if path.startswith(base_path) else path
    segments = [s for s in below.split("/") if s]
    return bool(segments) and segments[0].lower() in _LISTING_WORDS and len(segments) <= 3
