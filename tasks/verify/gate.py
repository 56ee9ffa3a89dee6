"""The plausibility gate: a verdict on each article (and comment thread) before it may replace stored content.

Pure: it reads the parsed article, the responses it came from and what the warehouse holds about it (handed in
as data by tasks/verify/task.py), and says plausible or not, with reasons. Four questions:
- is there a title, and is the body prose rather than noise (tasks/verify/text.py);
- is the page an article at all, not a bot challenge, login wall, maintenance, soft-404 or consent page that
  answered 200 (tasks/verify/page.py: several structural signals must agree, and the body must be short);
- is it the article asked for (post id, canonical URL, the stored title);
- did the body shrink sharply against the stored one without the site reporting a modification.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime
from urllib.parse import unquote, urlsplit

from schemas.pipeline import ParsedArticle, RawResponse, Target
from schemas.rows import StoredArticleFacts
from schemas.verdict import StoredThread, Verdict
from tasks.parse.wordpress_json import foreign_comments
from tasks.verify.page import PageSignals, page_kinds, page_signals, text_kinds
from tasks.verify.text import noise_reasons, text_stats
from warehouse.channels import CHANNEL_RANK

# A page with several non-article signals is rejected only below this many body words: a long plausible body
# is an article, whatever widgets its theme adds.
MAX_WORDS_OF_A_WALL = 400
# A body below 70% of its stored words, with no reported modification, is a cut or a stand-in: a cut to about
# half still reads as prose, and real edits without a modified date fix words, not a third of the text.
BODY_SHRINK_RATIO = 0.7
SHRINK_RATIO = 0.5  # a complete thread below half its stored comments (unless the site's count says so)
MIN_STORED_WORDS = 40  # shorter stored bodies vary too much to call a shrink
PAGE_SHARE = 0.7  # a REST post's page with less of its body is cut, or another page
MIN_STORED_COMMENTS = 4  # a thread with fewer stored comments may lose most of them to moderation
_WORD_OF_TITLE = 3  # letters a title word needs to count in the comparison
_COMMENT_PAGE = re.compile(r"/comment-page-\d+$")  # WordPress pages of a thread are the article's address


def judge_article(
    parsed: ParsedArticle,
    target: Target,
    responses: Sequence[RawResponse],
    body_text: str,
    word_count: int,
    stored: StoredArticleFacts | None = None,
    channel: str = "page",
) -> Verdict:
    """The verdict on one parsed (and normalized: `body_text`, `word_count`) article."""
    reasons: list[str] = []
    if not parsed.title.strip():
        reasons.append("no title")
    reasons += noise_reasons(text_stats(body_text))
    page = _article_page(responses)
    signals = page_signals(page.body.decode("utf-8", "replace")) if page is not None else None
    if signals is not None and page is not None:
        signals.canonical_home = is_home(signals.canonical, target.url)
        reasons += wall_reasons(signals, parsed.title, body_text, word_count)
        reasons += _identity_reasons(parsed, target, signals, page.final_url, stored)
    elif target.post_id is not None and parsed.post_id is not None and parsed.post_id != target.post_id:
        reasons.append(f"post id {parsed.post_id}, asked for {target.post_id}")
    if parsed.parse_report.page_text is not None:
        reasons += page_reasons(parsed, signals, word_count)
    if stored is not None and not _reports_modification(parsed, stored):
        reasons += _stored_reasons(parsed, word_count, stored, channel)
    return Verdict(plausible=not reasons, reasons=reasons)


def page_reasons(parsed: ParsedArticle, signals: PageSignals | None, word_count: int) -> list[str]:
    """Why the page read beside an article from another channel (a WordPress REST post) is not that article's
    page: empty, noise, a wall, another title, or a cut of the post's body. Such a page would add its deck,
    bylines and comment facts to the post; the whole article waits for a good read instead."""
    title, text = parsed.parse_report.page_title or "", parsed.parse_report.page_text or ""
    words = len(text.split())
    reasons = []
    if not title.strip() and not words:
        reasons.append("no title and no text")
    reasons += noise_reasons(text_stats(text))
    if signals is not None:
        reasons += wall_reasons(signals, title, text, words)
    if title.strip() and not _titles_agree(parsed.title, title):
        reasons.append(f"titled {title[:60]!r}")
    if word_count >= MIN_STORED_WORDS and words < PAGE_SHARE * word_count:
        reasons.append(f"body {words} of the post's {word_count} words")
    return [f"article page: {reason}" for reason in reasons]


def wall_reasons(signals: PageSignals, title: str, body_text: str, word_count: int) -> list[str]:
    """Why a page is a challenge, login, maintenance, not-found, consent or error page rather than an article.

    Strong signals name what the page is (its title or heading, a page of a few words, a login form beside a
    short body, a canonical link to the home page, a body that speaks of little else); supporting ones are
    common on real article pages too (vendor scripts, consent banners, noindex) and only add weight. A page is
    rejected with at least one strong signal and a weight of 2, and only when its body is short.
    """
    if word_count >= MAX_WORDS_OF_A_WALL:
        return []
    kinds = list(dict.fromkeys([*signals.kinds, *_title_kinds(title, signals)]))
    body_kinds = [kind for kind in text_kinds(body_text, word_count) if kind not in kinds]
    strong: list[tuple[str, float]] = [(f"{kind} title", 1.0) for kind in kinds[:2]]
    strong += [(f"{kind} text", 1.0) for kind in body_kinds[:2]]
    if signals.page_words < 150:
        strong.append((f"page {signals.page_words} words", 1.0))
    # a login widget sits in many themes' sidebars; a login wall also says so in its title or body
    login_text = "login" in kinds or "login" in body_kinds or "login" in text_kinds(body_text, 0)
    if signals.password_form and word_count < 120 and login_text:
        strong.append(("password form", 1.0))
    if signals.canonical_home:
        strong.append(("canonical URL is the home page", 1.0))
    support = [(name, 0.5) for name, present in (
        ("challenge script", signals.challenge_script),
        ("asks for JavaScript", signals.noscript_js),
        ("noindex", signals.noindex),
        ("meta refresh", signals.meta_refresh),
        ("consent markup", signals.consent_markup),
        (f"body {word_count} of {signals.page_words} page words",
         word_count < 150 and word_count < 0.15 * signals.page_words),
    ) if present]
    if word_count < 30:
        support.append((f"body {word_count} words", 1.0))
    elif word_count < 120:
        support.append((f"body {word_count} words", 0.5))
    if not strong or sum(weight for _, weight in strong + support) < 2:
        return []
    return [f"{_page_kind(signals, kinds + body_kinds)} page", *(name for name, _ in strong + support)]


def judge_thread(
    live_comments: int,
    complete: bool,
    responses: Sequence[RawResponse],
    stored: StoredThread | None = None,
    advertised: int | None = None,
    page_read: ParsedArticle | None = None,
) -> Verdict:
    """The verdict on a comment thread as read again: `live_comments` read (`complete`: the whole thread);
    `page_read` is the article as read from its page, when the thread was read from there."""
    reasons = []
    for response in responses:
        # a channel of data (comments_json, disqus_json, comment_feed) that answered a web page; comment_page
        # channels are pages by nature
        data_channel = "json" in response.role or "feed" in response.role
        if data_channel and response.status == 200 and _is_html_document(response):
            reasons.append(f"{response.role} channel answered an HTML page")
            break
        foreign = foreign_comments(response.url, response.body) if data_channel and response.status == 200 else []
        if foreign:
            reasons.append(f"{len(foreign)} comments of post {foreign[0][1]} in this thread's answer")
            break
    page = _article_page(responses)
    if page is not None and page_read is not None and not reasons:
        signals = page_signals(page.body.decode("utf-8", "replace"))
        body = page_read.body_text
        reasons += wall_reasons(signals, page_read.title, body, len(body.split()))
    if stored is not None and complete and stored.live_comments >= MIN_STORED_COMMENTS:
        lost = stored.live_comments - live_comments
        explained = advertised is not None and abs(advertised - live_comments) <= max(1, advertised // 10)
        if live_comments < SHRINK_RATIO * stored.live_comments and not explained:
            reasons.append(f"thread lost {lost} of {stored.live_comments} stored comments")
    return Verdict(plausible=not reasons, reasons=reasons)


def _article_page(responses: Sequence[RawResponse]) -> RawResponse | None:
    """The article's HTML page among the responses (a REST post has it only when the page is fetched too)."""
    for response in responses:
        if response.role == "article" and response.status == 200 and _is_html_document(response):
            return response
    return None


def _is_html_document(response: RawResponse) -> bool:
    content_type = next((v for k, v in response.headers.items() if k.lower() == "content-type"), "").lower()
    head = response.body[:512].lstrip().lower()
    if "json" in content_type or ("xml" in content_type and "html" not in content_type):
        return head.startswith((b"<!doctype html", b"<html"))
    return "html" in content_type or head.startswith((b"<!doctype html", b"<html", b"<head", b"<body"))


def _title_kinds(title: str, signals: PageSignals) -> list[str]:
    return page_kinds(title, []) if title and title != signals.title else []


def _page_kind(signals: PageSignals, kinds: list[str]) -> str:
    if signals.challenge_script or "challenge" in kinds:
        return "challenge"
    if signals.password_form or "login" in kinds:
        return "login"
    for kind in ("maintenance", "not found", "consent", "http error"):
        if kind in kinds:
            return {"not found": "not-found", "http error": "error"}.get(kind, kind)
    if signals.consent_markup:
        return "consent"
    return "not-an-article"


def _identity_reasons(
    parsed: ParsedArticle, target: Target, signals: PageSignals, final_url: str, stored: StoredArticleFacts | None
) -> list[str]:
    """Why the page is another article than the one asked for.

    The site's post id decides when both sides have one. A canonical link to another page of the site alone does
    not: real sites serve an article under several addresses (old slugs, short ids, tracking aliases); it counts
    when the page's title is also unlike the stored article's.
    """
    if target.post_id is not None:
        # the page's own id too: a REST post's page, read for what it adds, must be the same post's
        ids = {i for i in (parsed.post_id, signals.post_id) if i is not None}
        if ids - {target.post_id}:
            return [f"post id {min(ids - {target.post_id})}, asked for {target.post_id}"]
        if ids:
            return []  # the site's own id agrees: a changed slug or canonical is the same post
    if not signals.canonical:
        return []
    if stored is None:
        # a first read has nothing stored to compare with: the addresses' own words (slugs) stand in, and only
        # when they speak clearly: the page's canonical slug names its title, the asked slug does not
        asked_slug, canonical_slug = _slug_words(target.url), _slug_words(signals.canonical)
        if not (asked_slug and canonical_slug and _titles_agree(canonical_slug, parsed.title)
                and not _titles_agree(asked_slug, parsed.title)):
            return []
    elif _titles_agree(stored.title, parsed.title):
        return []
    asked = {_url_key(target.url), _url_key(final_url), *([_url_key(stored.url)] if stored is not None else [])}
    key = _url_key(signals.canonical, base=target.url)
    if key[0] not in {host for host, _ in asked} or key in asked:
        return []  # a canonical on another site (a syndicated article names its original), or this one
    return [f"canonical URL {signals.canonical} is another page"]


def _slug_words(url: str) -> str:
    """The words of an address's last path segment ("why-we-keep-counting"); "" for ids and bare paths."""
    segment = unquote(urlsplit(url).path).rstrip("/").rsplit("/", 1)[-1]
    return segment.replace("-", " ").replace("_", " ") if "-" in segment else ""


def is_home(canonical: str, url: str) -> bool:
    """The canonical link names the site's home page while another address was asked for (a soft 404's mark)."""
    if not canonical:
        return False
    key, asked = _url_key(canonical, base=url), _url_key(url)
    return key[0] == asked[0] and key[1] == "" and asked[1] != ""


def _url_key(url: str, base: str = "") -> tuple[str, str]:
    """Host without www and path without trailing slash, lowercased and unquoted: what two spellings of one
    address share; a WordPress `?p=ID` stays part of it."""
    parts = urlsplit(url)
    if not parts.netloc and base:
        parts = urlsplit(base)._replace(path=parts.path, query=parts.query)
    host = (parts.hostname or "").lower().removeprefix("www.")
    path = _COMMENT_PAGE.sub("", unquote(parts.path).rstrip("/")).rstrip("/").lower()
    if parts.query.startswith("p="):
        path += "?" + parts.query
    return host, path


def _reports_modification(parsed: ParsedArticle, stored: StoredArticleFacts) -> bool:
    """The site says the article changed since the stored version: its modified date is newer."""
    if parsed.modified_at is None:
        return False
    return stored.modified_at is None or _utc(parsed.modified_at) > _utc(stored.modified_at)


def _stored_reasons(parsed: ParsedArticle, word_count: int, stored: StoredArticleFacts, channel: str) -> list[str]:
    reasons = []
    weaker = CHANNEL_RANK.get(channel, 2) < CHANNEL_RANK.get(stored.channel or "page", 2)
    # a weaker channel's shorter body never replaces the stored one (the loader's merge); no need to refuse it
    if not weaker and stored.word_count >= MIN_STORED_WORDS and word_count < BODY_SHRINK_RATIO * stored.word_count:
        reasons.append(f"body shrank from {stored.word_count} to {word_count} words")
    # an edited headline keeps most of its words, or comes with a modified date; another article's page has
    # another title and another length
    other_length = abs(word_count - stored.word_count) > 0.2 * max(stored.word_count, 1)
    if not _titles_agree(stored.title, parsed.title) and other_length:
        reasons.append(f"title unlike the stored title {stored.title[:60]!r}")
    return reasons


def _titles_agree(a: str, b: str) -> bool:
    """Half the significant words of the shorter title are in the other; an empty title agrees with anything."""
    def words(text: str) -> set[str]:
        return {w for w in "".join(ch.lower() if ch.isalnum() else " " for ch in text).split()
                if len(w) >= _WORD_OF_TITLE or w.isdigit()}

    left, right = words(a), words(b)
    if not left or not right:
        return True
    return len(left & right) >= 0.5 * min(len(left), len(right))


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
