"""Channel precedence: which way of reading a site the loader trusts more, and how that is written in SQL.

The REST API gives exact ids, dates and the body as the site stores it; an article page is read through a
theme that may cut words or dates; a feed carries a shortened summary. A stored value from a stronger channel
is only replaced by a weaker one when the site reports the article modified (warehouse.article_merge).
"""

from __future__ import annotations

from schemas.rows import NormalizedArticle

CHANNEL_RANK = {"rest": 3, "page": 2, "feed": 1}
# Parsers whose output comes from something other than an article page; every other parser reads a page.
_PARSER_CHANNELS = {"wordpress_rest": "rest", "feed": "feed"}
_PAGE = "page"


def channel_of(item: NormalizedArticle) -> str:
    """The channel an article's title and body came through: as the pipeline said, else from its parser."""
    return item.channel or _PARSER_CHANNELS.get(item.article.parser, _PAGE)


def parser_channel_sql(parser: str) -> str:
    """SQL for the channel of a stored row known only by its parser (rows loaded before channels were kept)."""
    whens = " ".join(f"WHEN '{name}' THEN '{channel}'" for name, channel in _PARSER_CHANNELS.items())
    return f"(CASE {parser} {whens} ELSE '{_PAGE}' END)"


def rank_sql(channel: str) -> str:
    """SQL for the rank of a channel expression; higher wins."""
    whens = " ".join(f"WHEN '{name}' THEN {rank}" for name, rank in CHANNEL_RANK.items())
    return f"(CASE {channel} {whens} ELSE 0 END)"
