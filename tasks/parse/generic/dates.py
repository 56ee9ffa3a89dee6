"""Dates as pages write them: ISO 8601, RFC 2822, numeric and spelled-out forms in many languages.

Every result is tz-aware and keeps the offset the page wrote (so its calendar date is the page's);
a date without a zone is taken as UTC. `to_utc` converts for storage.
"""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime, timedelta, timezone

_MONTH_NAMES: dict[int, str] = {
    1: "january jan januar jänner janvier enero gennaio janeiro januari stycznia styczeń leden ledna "
    "января январь ocak ιανουαρίου tammikuuta",
    2: "february feb febr februar février fevrier febrero febbraio fevereiro februari lutego luty února "
    "февраля февраль şubat φεβρουαρίου helmikuuta",
    3: "march mar märz maerz mrz mars marzo março marco maart marca marzec března марта март mart "
    "μαρτίου maaliskuuta",
    4: "april apr avril abril aprile kwietnia kwiecień dubna апреля апрель nisan απριλίου huhtikuuta",
    5: "may mai mayo maggio maio mei maja maj května мая май mayıs μαΐου toukokuuta",
    6: "june jun juni juin junio giugno junho czerwca czerwiec června июня июнь haziran ιουνίου "
    "kesäkuuta",
    7: "july jul juli juillet julio luglio julho lipca lipiec července июля июль temmuz ιουλίου "
    "heinäkuuta",
    8: "august aug août aout agosto augustus sierpnia sierpień srpna августа август ağustos "
    "αυγούστου elokuuta augusti",
    9: "september sep sept septembre septiembre setiembre settembre setembro września wrzesień září "
    "сентября сентябрь eylül σεπτεμβρίου syyskuuta",
    10: "october oct oktober octobre octubre ottobre outubro października październik října октября "
    "октябрь ekim οκτωβρίου lokakuuta okt",
    11: "november nov novembre noviembre novembro listopada listopad listopadu ноября ноябрь kasım "
    "νοεμβρίου marraskuuta",
    12: "december dec dez dezember décembre decembre diciembre dicembre dezembro grudnia grudzień "
    "prosince декабря декабрь aralık δεκεμβρίου joulukuuta desember",
}
MONTHS: dict[str, int] = {name: num for num, names in _MONTH_NAMES.items() for name in names.split()}
# Any word where a month name can stand; MONTHS then says whether it is one. (An alternation of
# every month name in every language, tried at each position of a long text, is many times slower.)
_MONTH_WORD = r"[^\W\d_]{3,14}"

_TIME = (
    r"(?:[T\s,]+(?:at\s+|um\s+|à\s+|a las\s+|-\s*)?(?P<H>\d{1,2})[:h.](?P<M>\d{2})(?::(?P<S>\d{2})(?:[.,]\d+)?)?"
    r"\s*(?P<ampm>[ap]\.?m\.?)?\s*(?P<tz>Z|[+-]\d{2}:?\d{2}|UTC|GMT)?)?"
)
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("ymd", re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?!\d)" + _TIME, re.I)),
    ("ymd", re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})[/.](?P<m>\d{1,2})[/.](?P<d>\d{1,2})(?!\d)" + _TIME, re.I)),
    ("ymd", re.compile(r"(?P<y>(?:19|20)\d{2})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日")),
    (
        "dmy_name",
        re.compile(
            rf"(?<![\w.])(?P<d>\d{{1,2}})(?:st|nd|rd|th|er|º|\.)?\s*(?:de\s+)?(?P<mon>{_MONTH_WORD})\.?,?"
            rf"\s*(?:de\s+)?(?P<y>(?:19|20)\d{{2}})(?!\d)" + _TIME,
            re.I,
        ),
    ),
    (
        "mdy_name",
        re.compile(
            rf"(?<![\w])(?P<mon>{_MONTH_WORD})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>(?:19|20)\d{{2}})"
            r"(?!\d)" + _TIME,
            re.I,
        ),
    ),
    ("dmy", re.compile(r"(?<![\d.])(?P<d>\d{1,2})\.\s?(?P<m>\d{1,2})\.\s?(?P<y>(?:19|20)\d{2})(?!\d)" + _TIME)),
    ("slash", re.compile(r"(?<![\d/])(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<y>(?:19|20)\d{2})(?!\d)" + _TIME)),
]
# Day, month and a two-digit year, European style ("23.09.22"); not part of a longer dotted number.
_SHORT_YEAR = re.compile(r"(?<![\d.])(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{2})(?![\d.])" + _TIME)
_COMPACT = re.compile(r"^(?P<y>(?:19|20)\d{2})(?P<m>[01]\d)(?P<d>[0-3]\d)(?:T?(?P<H>\d{2})(?P<M>\d{2}))?")
_URL_DATE = re.compile(
    r"/(?P<y>(?:19|20)\d{2})(?P<sep>[/-]?)(?P<m>0?[1-9]|1[0-2])(?P=sep)(?P<d>0?[1-9]|[12]\d|3[01])?"
    r"(?:[/_-]|\.html?|$)"
)
_EARLIEST_YEAR = 1994
_YEAR = re.compile(r"(?:19|20)\d{2}")
# The most characters a date written on one line with single spaces can put before its year:
# "31st de septiembre de 2020" (day, suffix, "de", the longest month word, punctuation, spaces).
_LONGEST_LEAD = 40
_NAMED = frozenset(("dmy_name", "mdy_name"))


_latest: tuple[float, int] = (0.0, 0)  # (valid until, in seconds since the epoch; the year)


def _latest_year() -> int:
    """Next year: no page is dated later. (Asked for every date read; the clock is read once an hour.)"""
    global _latest
    now = time.time()
    if now >= _latest[0]:
        _latest = (now + 3600, datetime.now(UTC).year + 1)
    return _latest[1]


def _zone(tz: str | None) -> timezone:
    if not tz or tz.upper() in ("Z", "UTC", "GMT"):
        return UTC
    sign = -1 if tz[0] == "-" else 1
    digits = tz[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:4] or 0)))


def _build(year: int, month: int, day: int, match: re.Match[str] | None = None) -> datetime | None:
    hour = minute = second = 0
    tz = None
    if match is not None and match.groupdict().get("H"):
        hour, minute = int(match["H"]), int(match["M"])
        second = int(match["S"] or 0)
        ampm = (match["ampm"] or "").lower()
        if ampm.startswith("p") and hour < 12:
            hour += 12
        elif ampm.startswith("a") and hour == 12:
            hour = 0
        tz = match["tz"]
    if not _EARLIEST_YEAR <= year <= _latest_year():
        return None
    try:
        value = datetime(year, month, day, hour, minute, second, tzinfo=_zone(tz))
    except ValueError:
        try:
            value = datetime(year, month, day, tzinfo=UTC)
        except ValueError:
            return None
    return value


def parse_date(text: str | None, *, month_first: bool = True, short_year: bool = False) -> datetime | None:
    """The first date written in `text`, or None. `month_first` settles 03/04/2020 (US order).

    `short_year`: where the text is known to show the date (a date element, the headline's
    neighbourhood), a day and month with a two-digit year ("23.09.22") count when nothing else does."""
    value = _parse_date(text, month_first)
    if value is None and short_year and text:
        match = _SHORT_YEAR.search(text)
        if match is not None:
            year = 2000 + int(match["y"])
            value = _build(year if year <= _latest_year() else year - 100, int(match["m"]), int(match["d"]), match)
    return value


def _parse_date(text: str | None, month_first: bool) -> datetime | None:
    if not text:
        return None
    text = text.strip()
    if text.isdigit() and len(text) in (10, 13):
        # Unix timestamps (seconds or milliseconds), as some meta tags carry them.
        seconds = int(text) / (1000 if len(text) == 13 else 1)
        try:
            stamp = datetime.fromtimestamp(seconds, UTC)
        except (OverflowError, OSError, ValueError):
            return None
        return stamp if _EARLIEST_YEAR <= stamp.year <= _latest_year() else None
    if len(text) >= 10 and text[4] == "-" and text[7] == "-" and text[:4].isdigit():
        # ISO 8601, as machines write it (meta tags, JSON-LD, <time datetime>): the C parser first.
        try:
            value = datetime.fromisoformat(text.replace("Z", "+00:00") if text.endswith("Z") else text)
        except ValueError:
            pass
        else:
            if _EARLIEST_YEAR <= value.year <= _latest_year():
                value = value.replace(microsecond=0)  # as precise as the other formats are read
                return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
            return None
    compact = _COMPACT.match(text)
    if compact and (len(text) == 8 or (len(text) > 8 and not text[8].isdigit())):
        return _build(int(compact["y"]), int(compact["m"]), int(compact["d"]))
    # Every pattern holds a year: none in the text, no date; and none starts long before the first.
    year = _YEAR.search(text)
    if year is None:
        return None
    start = 0
    if year.start() > _LONGEST_LEAD and "  " not in text and text.isprintable():
        # (Spaces alone, single: no whitespace run stretches a date's lead beyond _LONGEST_LEAD.)
        start = year.start() - _LONGEST_LEAD
    best: tuple[int, datetime] | None = None
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(text, start):
            if best is not None and match.start() >= best[0]:
                break
            if kind in _NAMED and match["mon"].lower() not in MONTHS:
                continue  # a word in a month's place that is no month: look further on
            found = _from_match(kind, match, month_first)
            if found is not None:
                best = (match.start(), found)
            break
    return best[1] if best else None


def _from_match(kind: str, match: re.Match[str], month_first: bool) -> datetime | None:
    year = int(match["y"])
    if kind in ("ymd", "dmy"):
        return _build(year, int(match["m"]), int(match["d"]), match)
    if kind in ("dmy_name", "mdy_name"):
        month = MONTHS.get(match["mon"].lower().rstrip("."))
        return _build(year, month, int(match["d"]), match) if month else None
    first, second = int(match["a"]), int(match["b"])
    if first > 12 or (not month_first and second <= 12):
        first, second = second, first
    return _build(year, first, second, match)


def date_from_url(url: str | None) -> datetime | None:
    """A /2019/08/02/ (or /2019-08-02-, /20190802/) date in the URL path; needs year, month and day."""
    if not url:
        return None
    match = _URL_DATE.search(url)
    if match is None or not match["d"]:
        return None
    if not match["sep"] and (len(match["m"]) < 2 or len(match["d"]) < 2):
        return None  # "/2019123/" is an id, not a date
    return _build(int(match["y"]), int(match["m"]), int(match["d"]))


def to_utc(value: datetime | None) -> datetime | None:
    """Tz-aware UTC; a naive value is taken as UTC."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
