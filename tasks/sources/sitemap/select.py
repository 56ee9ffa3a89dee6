"""Which sitemaps to open and which of their URLs to keep for a window of publication time.

One rule serves nightly runs (window = watermark less its overlap .. now) and backfills (a day, month or year):

- a child sitemap is skipped when its <lastmod> is before the window (nothing in it changed since, so nothing in
  it was published since) or when its name's period (sitemap-2024-03.xml) lies outside the window;
- a URL is placed by the best date it has: the news sitemap's publication date; else its <lastmod> when that
  agrees with the date in its permalink or its sitemap's period; else that date (a day is placed by its middle,
  a month or more can only overlap); else its <lastmod> alone; else it is "undated" and left to the caller.

Every URL with a narrow date is placed in exactly one window, so a backfill over consecutive windows finds it
once. A URL dated only by a month (its permalink or its sitemap's name) is found in every window that overlaps
that calendar month: once in a backfill by calendar months, in each day of the month in a backfill by days.
A URL edited after publication with nothing but its <lastmod> is placed at its edit.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from schemas import DiscoveryWindow
from tasks.sources.sitemap.dates import ZONE_SLACK, DateSpan, date_in_article_url, period_of_sitemap
from tasks.sources.sitemap.sitemaps import ChildSitemap, SitemapEntry


def child_in_window(child: ChildSitemap, window: DiscoveryWindow | None, period: DateSpan | None = None) -> bool:
    """Whether a child sitemap can hold URLs of the window; `period` is the child's own or its parents' name period."""
    if window is None:
        return True
    if child.lastmod is not None and child.lastmod.latest < window.start:
        return False
    period = period_of_sitemap(child.url) or period
    return period is None or period.overlaps(_half_open(window))


def place_entry(entry: SitemapEntry, window: DiscoveryWindow, period: DateSpan | None = None) -> bool | None:
    """True when the entry belongs to the window, False when not, None when nothing dates it."""
    if entry.news_published is not None:
        return _placed(entry.news_published, window)
    published = date_in_article_url(entry.url) or period
    lastmod = entry.lastmod
    if lastmod is not None and (published is None or lastmod.overlaps(published)):
        return _placed(lastmod, window)
    if published is not None:
        return _placed(published, window)
    return None


def _placed(span: DateSpan, window: DiscoveryWindow) -> bool:
    if span.narrow:
        return _inside(span.middle, window)
    # A month or year overlaps by its calendar dates, not by the zone slack at its edges: a backfill in calendar
    # months then finds each of its URLs once.
    core = DateSpan(span.earliest + ZONE_SLACK, span.latest - ZONE_SLACK)
    return core.overlaps(_half_open(window))


def _inside(moment: datetime, window: DiscoveryWindow) -> bool:
    return window.start <= moment < window.end


def _half_open(window: DiscoveryWindow) -> DateSpan:
    return DateSpan(window.start, window.end - timedelta(microseconds=1))
