"""WordPress date archives (/YYYY/MM/DD/ and /YYYY/MM/): discovery beyond the feed's newest posts."""

from __future__ import annotations

import re
from datetime import date, timedelta
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser

from tasks.normalize.urls import canonical_url

_DATED_PATH = re.compile(r"/(\d{4})/(\d{2})/(\d{2})/[^/?#]+/?$")
DAY_ARCHIVES_UP_TO_DAYS = 7  # shorter windows read day archives; longer ones month archives (fewer requests)


def archive_urls(base_url: str, first: date, last: date) -> list[str]:
    """Archive pages covering the days first..last (inclusive)."""
    base = base_url if base_url.endswith("/") else base_url + "/"
    if (last - first).days < DAY_ARCHIVES_UP_TO_DAYS:
        days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
        return [urljoin(base, f"{day:%Y/%m/%d}/") for day in days]
    months: list[str] = []
    month = first.replace(day=1)
    while month <= last:
        months.append(urljoin(base, f"{month:%Y/%m}/"))
        month = (month + timedelta(days=32)).replace(day=1)
    return months


def article_links(html: str, page_url: str, first: date, last: date, hosts: list[str]) -> tuple[list[str], str | None]:
    """Permalinks dated first..last on an archive page, in page order, and the next archive page if any."""
    tree = LexborHTMLParser(html)
    links: list[str] = []
    for anchor in tree.css("a[href]"):
        url = canonical_url(urljoin(page_url, anchor.attributes.get("href") or ""))
        parts = urlsplit(url)
        match = _DATED_PATH.search(parts.path)
        if not match or (parts.hostname or "") not in hosts:
            continue
        try:
            day = date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            continue
        if first <= day <= last and url not in links:
            links.append(url)
    # classic themes: a.next / .nav-previous; block themes: the Query Pagination block's "next" link
    next_link = tree.css_first(
        "link[rel=next], a.next[href], .nav-previous a[href], a.wp-block-query-pagination-next[href]"
    )
    next_url = None
    if next_link is not None and next_link.attributes.get("href"):
        next_url = urljoin(page_url, next_link.attributes["href"] or "")
    return links, next_url
