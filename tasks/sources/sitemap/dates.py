"""Dates in sitemaps as spans of time: W3C datetimes of every precision, and dates written into URLs.

A sitemap date is rarely an instant. `2024-03-15` is a whole day in a zone nobody named, `2024-03` a month,
`sitemap-2024-03.xml` a month of articles. Each becomes a `DateSpan`, the earliest and latest UTC instants it
can mean, so window selection (`select.py`) can tell "surely outside" from "maybe inside" from "here".
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from urllib.parse import parse_qsl, urlsplit

# Local time somewhere on Earth is at most 14 hours from UTC: a date or time without a zone is within that.
ZONE_SLACK = timedelta(hours=14)
_NARROW = timedelta(days=3)  # a day and its zone slack (52 h) is placed by its middle; a month can only overlap
_FIRST_YEAR, _LAST_YEAR = 1990, 2100  # outside: a placeholder ("0000-00-00") or a typo, not a date

_W3C = re.compile(
    r"(?P<year>\d{4})(?:-(?P<month>\d{1,2})(?:-(?P<day>\d{1,2})"
    r"(?:[Tt ]+(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:[.,](?P<fraction>\d+))?)?"
    r"\s*(?P<zone>[Zz]|(?:UTC|GMT)?[+-]\d{2}(?::?\d{2})?|UTC|GMT)?)?)?)?"
)
# /2024/03/15/slug, /2024/03/slug, /news/2024/slug: a date the CMS wrote into an article's path
_PATH_DATE = re.compile(r"/((?:19|20)\d{2})(?:/(0[1-9]|1[0-2])(?:/(0[1-9]|[12]\d|3[01]))?)?(?=/|$)")
# sitemap-2024-03.xml, sitemap_2024_03_15.xml.gz, 2024.xml, sitemap-202403.xml: the period a sitemap covers
_NAME_PERIOD = re.compile(r"(?<!\d)((?:19|20)\d{2})(?:[-_.]?(0[1-9]|1[0-2])(?:[-_.]?(0[1-9]|[12]\d|3[01]))?)?(?!\d)")
_QUERY_YEAR = ("year", "yyyy", "y")
_QUERY_MONTH = ("month", "mm", "m")
_QUERY_DAY = ("day", "dd", "d")


@dataclass(frozen=True, slots=True)
class DateSpan:
    """The earliest and latest UTC instants a written date can stand for (equal for an instant with a zone)."""

    earliest: datetime
    latest: datetime

    @classmethod
    def instant(cls, moment: datetime) -> DateSpan:
        return cls(moment, moment)

    @property
    def middle(self) -> datetime:
        return self.earliest + (self.latest - self.earliest) / 2

    @property
    def narrow(self) -> bool:
        """Short enough (a day and its zone slack) to be placed by its middle."""
        return self.latest - self.earliest <= _NARROW

    def overlaps(self, other: DateSpan) -> bool:
        return self.earliest <= other.latest and other.earliest <= self.latest


def parse_w3c_datetime(text: str | None) -> DateSpan | None:
    """A sitemap date: W3C datetime at any precision (YYYY, YYYY-MM, YYYY-MM-DD, with hh:mm[:ss[.s]] and a zone),
    the common deviations (a space for T, no zone, +0000, UTC), or an RFC 2822 date; None when unreadable."""
    if not text:
        return None
    text = text.strip()
    if len(text) >= 20 and text[10] == "T":  # the common full form: the C parser, 10x cheaper than the pattern
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            moment = None
        if moment is not None and moment.tzinfo is not None and _FIRST_YEAR <= moment.year <= _LAST_YEAR:
            return DateSpan.instant(moment.astimezone(UTC))
    match = _W3C.fullmatch(text)
    if match is None:
        return _rfc2822(text)
    year, month, day = int(match["year"]), _int(match["month"]), _int(match["day"])
    if not _FIRST_YEAR <= year <= _LAST_YEAR or not _valid_day(year, month, day):
        return None
    if match["hour"] is None:
        return calendar_span(year, month, day)
    hour, minute, second = int(match["hour"]), int(match["minute"]), _int(match["second"]) or 0
    if hour > 23 or minute > 59 or second > 59:
        return None
    micro = int((match["fraction"] or "0")[:6].ljust(6, "0"))
    assert month is not None and day is not None  # the pattern allows a time only after a full date
    moment = datetime(year, month, day, hour, minute, second, micro, tzinfo=UTC)
    zone = match["zone"]
    if zone is None:
        return DateSpan(moment - ZONE_SLACK, moment + ZONE_SLACK)
    return DateSpan.instant(moment - _offset(zone))


def calendar_span(year: int, month: int | None = None, day: int | None = None) -> DateSpan:
    """A year, month or day in an unnamed zone."""
    if month is None:
        first, last = datetime(year, 1, 1, tzinfo=UTC), datetime(year + 1, 1, 1, tzinfo=UTC)
    elif day is None:
        first = datetime(year, month, 1, tzinfo=UTC)
        last = first + timedelta(days=calendar.monthrange(year, month)[1])
    else:
        first = datetime(year, month, day, tzinfo=UTC)
        last = first + timedelta(days=1)
    return DateSpan(first - ZONE_SLACK, last + ZONE_SLACK - timedelta(microseconds=1))


def date_in_article_url(url: str) -> DateSpan | None:
    """The publication date a permalink carries in its path (/2024/03/15/slug/), if any."""
    match = _PATH_DATE.search(urlsplit(url).path)
    if match is None:
        return None
    return _checked_span(match[1], match[2], match[3])


def period_of_sitemap(url: str) -> DateSpan | None:
    """The period a sitemap's name says it covers: sitemap-2024-03.xml, /sitemaps/2024/03/, ?yyyy=2024&mm=03."""
    parts = urlsplit(url)
    query = {key.lower(): value for key, value in parse_qsl(parts.query)}
    year = next((query[k] for k in _QUERY_YEAR if k in query), None)
    if year and year.isdigit() and len(year) == 4:
        month = next((query[k] for k in _QUERY_MONTH if k in query), None)
        day = next((query[k] for k in _QUERY_DAY if k in query), None) if month else None
        return _checked_span(year, month, day)
    path_date = _PATH_DATE.search(parts.path)
    if path_date is not None:
        return _checked_span(path_date[1], path_date[2], path_date[3])
    name = parts.path.rsplit("/", 1)[-1]
    match = _NAME_PERIOD.search(name)
    return _checked_span(match[1], match[2], match[3]) if match else None


def _checked_span(year: str, month: str | None, day: str | None) -> DateSpan | None:
    y, m, d = int(year), _int(month), _int(day)
    if not _FIRST_YEAR <= y <= _LAST_YEAR or not _valid_day(y, m, d):
        return None
    return calendar_span(y, m, d)


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _valid_day(year: int, month: int | None, day: int | None) -> bool:
    if month is None:
        return day is None
    if not 1 <= month <= 12:
        return False
    return day is None or 1 <= day <= calendar.monthrange(year, month)[1]


def _offset(zone: str) -> timedelta:
    zone = zone.upper().removeprefix("UTC").removeprefix("GMT")
    if zone in ("", "Z"):
        return timedelta(0)
    sign = -1 if zone[0] == "-" else 1
    digits = zone[1:].replace(":", "")
    return sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:4] or 0))


def _rfc2822(text: str) -> DateSpan | None:
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if not _FIRST_YEAR <= moment.year <= _LAST_YEAR:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
        return DateSpan(moment - ZONE_SLACK, moment + ZONE_SLACK)
    return DateSpan.instant(moment.astimezone(UTC))
