"""WordPress day archives (/YYYY/MM/DD/): discovery beyond the feed's newest ten posts."""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser

from tasks.normalize.urls import canonical_url

_DATED_PATH = re.compile(r"/(\d{4})/(\d{2})/(\d{2})/[^/?#]+/?$")


def day_archive_url(base_url: str, day: date) -> str:
    return urljoin(base_url if base_url.endswith("/") else base_url + "/", f"{day:%Y/%m/%d}/")


def article_links(html: str, page_url: str, day: date, hosts: list[str]) -> tuple[list[str], str | None]:
    """Permalinks dated `day` on an archive page, in page order, and the next archive page if any."""
    tree = LexborHTMLParser(html)
    links: list[str] = []
    for anchor in tree.css("a[href]"):
        url = canonical_url(urljoin(page_url, anchor.attributes.get("href") or ""))
        parts = urlsplit(url)
        match = _DATED_PATH.search(parts.path)
        if not match or (parts.hostname or "") not in hosts:
            continue
        if (int(match[1]), int(match[2]), int(match[3])) == (day.year, day.month, day.day) and url not in links:
            links.append(url)
    next_link = tree.css_first("link[rel=next], a.next[href], .nav-previous a[href]")
    next_url = None
    if next_link is not None and next_link.attributes.get("href"):
        next_url = urljoin(page_url, next_link.attributes["href"] or "")
    return links, next_url
