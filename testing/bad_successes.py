"""Bad successes: answers with status 200 that are not what was asked for, as faults for `FaultySite`.

A kind (empty page, noise, bot challenge, login wall, maintenance, soft 404, consent wall, another article,
JSON of the wrong shape, HTML where JSON was expected, a truncated page) has several variants, each drawn from
the real answer of the URL it replaces (and, for "another article", from a sibling URL of the same site), so a
soft 404 wears the site's own theme and a truncated page is the article itself cut short but well formed.

Channels: "html" (an article page), "post" (a REST post object), "comments" (a REST comment list). Each variant
says which channels it can stand in for. `fault(variant, other_path)` makes the `FaultySite` fault.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from typing import Any

from testing import bad_pages as pages
from testing.faults import Fault, send

HTML = "text/html; charset=UTF-8"
JSON = "application/json; charset=UTF-8"


@dataclass(frozen=True)
class Real:
    """What the URL really answers, and what a sibling URL of the same site answers."""

    path: str
    body: bytes
    other: bytes
    site: str  # the site's display name, as a wall or challenge page shows it

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def json(self) -> Any:
        return json.loads(self.body)


Draw = Callable[[Real, random.Random], tuple[str, bytes]]  # -> content type, body


@dataclass(frozen=True)
class Variant:
    kind: str
    name: str
    channels: frozenset[str]
    draw: Draw

    @property
    def id(self) -> str:
        return f"{self.kind}/{self.name}"


def fault(variant: Variant, other_path: str, seed: int = 0) -> Fault:
    """Answer 200 with `variant` drawn from this URL's real answer (and `other_path`'s, for another article)."""

    def answer(request: BaseHTTPRequestHandler, _serve: Callable[[], None]) -> None:
        server: Any = request.server
        # the real answers asked without the client's validators: a 304 would have no body to draw from
        real = Real(request.path, server.answer_path(request.path).body, server.answer_path(other_path).body,
                    server.site_name)
        content_type, body = variant.draw(real, random.Random(f"{variant.id}-{request.path}-{seed}"))
        send(request, 200, body, {"Content-Type": content_type})

    return answer


# ------------------------------------------------------------------------------------------- page surgery

_HEAD_FACTS = re.compile(
    r'<link rel=["\'](?:canonical|shortlink)["\'][^>]*>\s*|<meta (?:property|name)="(?:og:|article:|author)[^>]*>\s*'
    r'|<script type="application/ld\+json">.*?</script>\s*', re.S | re.I)
_TITLE = re.compile(r"<title>.*?</title>", re.S | re.I)
_H1 = re.compile(r"(<h1\b[^>]*>).*?(</h1>)", re.S | re.I)
_PARAGRAPH = re.compile(r"<p\b[^>]*>.*?</p>", re.S | re.I)
_BODY_OPEN = re.compile(r"<body\b[^>]*>", re.I)
_HEADER_END = re.compile(r"</header>", re.I)
_FOOTER = re.compile(r"<footer\b", re.I)
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*?(/?)>")
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


def _head_without_facts(page: str, title: str) -> str:
    """The page with a new <title> and without what names the article (canonical, og:, article:, JSON-LD)."""
    return _TITLE.sub(f"<title>{title}</title>", _HEAD_FACTS.sub("", page), count=1)


def soft_404_in_chrome(real: Real, words: tuple[str, str, str]) -> str:
    """The site's own header and footer around a 404 section, as WordPress themes draw 404.php."""
    title, heading, text = words
    page = _head_without_facts(real.text, f"{title} - {real.site}")
    page = re.sub(r'(<body\b[^>]*class=")[^"]*', r"\1error404", page, count=1)
    section = (f'<main id="main" class="site-main"><section class="error-404 not-found"><header class="page-header">'
               f'<h1 class="page-title">{heading}</h1></header><div class="page-content"><p>{text}</p>'
               '<form role="search" method="get" class="search-form" action="/"><label>'
               '<span class="screen-reader-text">'
               'Search for:</span><input type="search" class="search-field" name="s" /></label>'
               '<input type="submit" class="search-submit" value="Search" /></form></div></section></main>')
    body = _BODY_OPEN.search(page)
    start = _HEADER_END.search(page, body.end() if body else 0)
    end = _FOOTER.search(page, start.end() if start else 0)
    if not (body and start and end):
        return f"<!DOCTYPE html><html><head><title>{title}</title></head><body>{section}</body></html>"
    return page[: start.end()] + section + page[end.start():]


def soft_404_in_single_template(real: Real, words: tuple[str, str, str]) -> str:
    """The article's own template with the 404 words in its title and body places (a theme that reuses single.php)."""
    title, heading, text = words
    page = _head_without_facts(real.text, f"{title} | {real.site}")
    page = _H1.sub(lambda m: m.group(1) + heading + m.group(2), page, count=1)
    first = [True]

    def keep_one(match: re.Match[str]) -> str:
        if first[0]:
            first[0] = False
            return f"<p>{text}</p>"
        return ""

    return _PARAGRAPH.sub(keep_one, page)


def close_open_tags(fragment: str) -> str:
    """`fragment` (a prefix of a page, cut between tags) with every element still open closed, innermost first."""
    stack: list[str] = []
    for closing, name, self_closing in _TAG.findall(fragment):
        name = name.lower()
        if self_closing or name in _VOID:
            continue
        if closing:
            if name in stack:
                while stack and stack.pop() != name:
                    pass
        else:
            stack.append(name)
    return fragment + "".join(f"</{name}>" for name in reversed(stack))


def _prose(page: str) -> list[re.Match[str]]:
    """The page's paragraphs of running text (bylines, meta lines and one-line comments are shorter)."""
    return [m for m in _PARAGRAPH.finditer(page) if len(re.sub(r"<[^>]+>", "", m.group(0))) >= 100]


def cut_at(page: str, share: float) -> str:
    """The page cut at the last tag boundary before `share` of its running text, then closed: truncated, well formed."""
    prose = _prose(page)
    start, end = (prose[0].start(), prose[-1].end()) if prose else (0, len(page))
    cut = page.rfind(">", 0, start + int((end - start) * share)) + 1
    return close_open_tags(page[:cut]) + "\n"


def keep_paragraphs(page: str, keep: int, tail: str = "") -> str:
    """The page with only its first `keep` paragraphs of running text; every paragraph after them (comments' too)
    dropped, `tail` after the last one kept."""
    prose = _prose(page)
    if len(prose) <= keep:
        return page
    last = prose[keep - 1]
    rest = _PARAGRAPH.sub("", page[last.end():])
    return page[: last.end()] + tail + rest


# ------------------------------------------------------------------------------------------- the kinds

def _static(make: Callable[[str, random.Random], str]) -> Draw:
    return lambda real, rng: (HTML, make(real.site, rng).encode())


def _noise_bytes(real: Real, rng: random.Random) -> tuple[str, bytes]:
    return HTML, rng.randbytes(6 * 1024)


def _png_as_html(real: Real, rng: random.Random) -> tuple[str, bytes]:
    return HTML, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + rng.randbytes(9 * 1024)


def _word_soup(real: Real, rng: random.Random) -> tuple[str, bytes]:
    """Letters in word-sized runs, wrapped in paragraphs: what a wrongly decoded or scrambled body reads like."""
    def word() -> str:
        return "".join(rng.choice("bcdfghjklmnpqrstvwxz0123456789=+/") for _ in range(rng.randint(2, 14)))
    paragraphs = "".join(f"<p>{' '.join(word() for _ in range(60))}</p>" for _ in range(12))
    return HTML, f"<html><head><title>{word()}</title></head><body>{paragraphs}</body></html>".encode()


def _base64_blob(real: Real, rng: random.Random) -> tuple[str, bytes]:
    import base64
    return HTML, base64.b64encode(rng.randbytes(4500))


def _noise_json(real: Real, rng: random.Random) -> tuple[str, bytes]:
    return JSON, rng.randbytes(3 * 1024)


def _other_page(real: Real, rng: random.Random) -> tuple[str, bytes]:
    return HTML, real.other


def _other_page_no_canonical(real: Real, rng: random.Random) -> tuple[str, bytes]:
    """Another article served from a cache under this URL, its canonical and og:url dropped by a proxy."""
    page = re.sub(r'<link rel=["\']canonical["\'][^>]*>|<meta property="og:url"[^>]*>', "",
                  real.other.decode("utf-8", "replace"))
    return HTML, page.encode()


def _other_json(real: Real, rng: random.Random) -> tuple[str, bytes]:
    return JSON, real.other


def _truncated_json_post(real: Real, rng: random.Random, keep: int) -> tuple[str, bytes]:
    post = real.json()
    post["content"]["rendered"] = keep_paragraphs(post["content"]["rendered"], keep)
    return JSON, json.dumps(post).encode()


def _wrong_post(shape: Callable[[dict[str, Any]], Any]) -> Draw:
    return lambda real, rng: (JSON, json.dumps(shape(real.json())).encode())


def _without(post: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {k: v for k, v in post.items() if k not in keys}


def _string_fields(post: dict[str, Any]) -> dict[str, Any]:
    """A post whose rendered fields are plain strings (another plugin's serializer)."""
    return {**post, "title": post["title"]["rendered"], "content": "", "excerpt": ""}


_REST_NO_ROUTE = {"code": "rest_no_route", "message": "No route was found matching the URL and request method.",
                  "data": {"status": 404}}


def _wrong_comments(shape: Callable[[list[dict[str, Any]]], Any]) -> Draw:
    return lambda real, rng: (JSON, json.dumps(shape(real.json())).encode())


_CRITICAL_ERROR = ('<!DOCTYPE html><html dir="ltr" lang="en-US"><head><meta http-equiv="Content-Type" '
                   'content="text/html; charset=utf-8" /><meta name="viewport" content="width=device-width">'
                   '<meta name=\'robots\' content=\'max-image-preview:large, noindex, follow\' />'
                   '<title>WordPress &rsaquo; '
                   'Error</title></head><body id="error-page"><div class="wp-die-message"><p>There has been a critical '
                   'error on this website.</p><p><a href="https://wordpress.org/documentation/article/faq-troubleshooting/">'
                   'Learn more about troubleshooting WordPress.</a></p></div></body></html>')


def _html_labelled_json(make: Callable[[str, random.Random], str]) -> Draw:
    return lambda real, rng: (JSON, make(real.site, rng).encode())


def _variants() -> list[Variant]:
    h, p, c = frozenset({"html"}), frozenset({"post"}), frozenset({"comments"})
    rest, every = p | c, h | p | c
    out = [
        Variant("empty", "zero-bytes", every, lambda real, rng: (HTML, b"")),
        Variant("empty", "title-only", h, lambda real, rng: (HTML, b"<html><head><title>x</title></head></html>")),
        Variant("empty", "empty-body", h, lambda real, rng: (
            HTML, b"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"></head><body>\n</body></html>\n")),
        Variant("empty", "whitespace", every, lambda real, rng: (HTML, b"\r\n\r\n   \n")),
        Variant("empty", "json-null", rest, lambda real, rng: (JSON, b"null")),
        Variant("noise", "random-bytes", h, _noise_bytes),
        Variant("noise", "png-as-html", h, _png_as_html),
        Variant("noise", "word-soup", h, _word_soup),
        Variant("noise", "base64-blob", h, _base64_blob),
        Variant("noise", "random-bytes-as-json", rest, _noise_json),
        *(Variant("challenge", make.__name__, h, _static(make)) for make in pages.CHALLENGES),
        *(Variant("login", make.__name__, h, _static(make)) for make in pages.LOGIN_WALLS),
        *(Variant("maintenance", make.__name__, h, _static(make)) for make in pages.MAINTENANCE),
        *(Variant("consent", make.__name__, h, _static(make)) for make in pages.CONSENT_WALLS),
        *(Variant("soft404", f"chrome-{n}", h, lambda real, rng, w=words: (HTML, soft_404_in_chrome(real, w).encode()))
          for n, words in enumerate(pages.NOT_FOUND_TEXTS)),
        *(Variant("soft404", f"single-template-{n}", h,
                  lambda real, rng, w=words: (HTML, soft_404_in_single_template(real, w).encode()))
          for n, words in enumerate(pages.NOT_FOUND_TEXTS[:3])),
        Variant("other-article", "cached-page", h, _other_page),
        Variant("other-article", "no-canonical", h, _other_page_no_canonical),
        Variant("other-article", "other-json", rest, _other_json),
        Variant("wrong-json", "list-of-one", p, _wrong_post(lambda post: [post])),
        Variant("wrong-json", "wrapped-in-data", p, _wrong_post(lambda post: {"data": post, "success": True})),
        Variant("wrong-json", "id-only", p, _wrong_post(lambda post: {"id": post["id"]})),
        Variant("wrong-json", "no-content", p, _wrong_post(lambda post: _without(post, "content", "title"))),
        Variant("wrong-json", "plain-strings", p, _wrong_post(_string_fields)),
        Variant("wrong-json", "rest-error-as-200", rest, _wrong_post(lambda _post: _REST_NO_ROUTE)),
        Variant("wrong-json", "comments-in-object", c, _wrong_comments(lambda items: {"comments": items,
                                                                                        "total": len(items)})),
        Variant("wrong-json", "one-comment-object", c, _wrong_comments(lambda items: items[0] if items else {})),
        Variant("wrong-json", "comments-without-content", c,
                _wrong_comments(lambda items: [_without(item, "content") for item in items] or [{"id": 1}])),
        Variant("html-for-json", "critical-error", rest, lambda real, rng: (HTML, _CRITICAL_ERROR.encode())),
        Variant("html-for-json", "critical-error-labelled-json", rest,
                lambda real, rng: (JSON, _CRITICAL_ERROR.encode())),
        Variant("html-for-json", "challenge-labelled-json", rest, _html_labelled_json(pages.cloudflare_just_a_moment)),
        Variant("html-for-json", "maintenance", rest, _static(pages.wordpress_maintenance)),
        Variant("html-for-json", "login-wall", rest, _static(pages.wordpress_login)),
        Variant("truncated", "first-paragraph", h, lambda real, rng: (HTML, keep_paragraphs(real.text, 1).encode())),
        Variant("truncated", "cut-at-a-third", h, lambda real, rng: (HTML, cut_at(real.text, 0.33).encode())),
        Variant("truncated", "teaser-continue-reading", h, lambda real, rng: (HTML, keep_paragraphs(
            real.text, 2, '<p class="more-link"><a href="#">Continue reading &rarr;</a></p>').encode())),
        Variant("truncated", "rest-first-paragraph", p, lambda real, rng: _truncated_json_post(real, rng, 1)),
        Variant("truncated", "comments-first-page-only", c,
                lambda real, rng: (JSON, json.dumps(real.json()[:1]).encode())),
    ]
    return out


VARIANTS = _variants()
KINDS = sorted({v.kind for v in VARIANTS})


def variants(kind: str, channel: str) -> list[Variant]:
    return [v for v in VARIANTS if v.kind == kind and channel in v.channels]
