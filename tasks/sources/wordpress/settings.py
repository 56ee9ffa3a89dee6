"""What a WordPress source declares beyond name, URL and politeness."""

from __future__ import annotations

from pydantic import HttpUrl

from tasks.sources.base import KindSettings


class WordPressSettings(KindSettings):
    feed_url: HttpUrl | None = None  # the second channel: bylines as printed, comment counts
    rest_url: HttpUrl | None = None  # the REST root; {base_url}/wp-json/ when unset
    fetch_article_html: bool = True  # also read the article page (deck, printed byline and bio, comment markup)
    bulk: bool = True  # posts and comments a hundred posts per request (False: one post per request, as before)
