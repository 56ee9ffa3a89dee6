"""Disqus threads through the public API: `threads/listPosts`, followed cursor by cursor.

    GET {api_url}threads/listPosts.json?api_key=KEY&forum=FORUM&thread:ident=ID&limit=100&order=asc[&cursor=C]
    -> {"code": 0, "cursor": {"hasNext": true, "next": "…", …}, "response": [post, …]}
    -> {"code": 5, "response": "Invalid API key"}  (errors: a non-zero code, usually with HTTP 400/403)

A post has `id`, `parent` (the id it replies to, or null), `message` (HTML), `createdAt` (UTC without an
offset), `author.name`, and `isDeleted`/`isSpam`/`isApproved`. Requests go through the source's Fetcher rules
(domain check, rate limit, retries) but not robots.txt: a keyed API call is not a crawl. The key never reaches
the warehouse: stored responses carry the URL with the key redacted.
"""

from __future__ import annotations

import json
import weakref
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from schemas.errors import DisqusApiError, FetchError
from schemas.pipeline import ParsedComment, RawResponse
from schemas.source import DisqusSettings, Source
from tasks.comments.disqus.settings import api_key
from tasks.comments.gaps import gap_response
from tasks.fetch.fetcher import Fetcher
from tasks.normalize.bodies import html_to_text
from tasks.parse.wordpress_json import parse_gmt

ROLE = "disqus_json"
PAGE_SIZE = 100  # the API's maximum
# What the API's error codes mean for whoever reads the run report (https://disqus.com/api/docs/errors/).
_ERRORS = {
    2: "a missing or invalid argument (is the forum name right?)",
    5: "an invalid API key",
    8: "no such forum or thread",
    9: "a key without access to this resource",
    11: "a key not valid on this domain",
    12: "an application without the privileges for this",
    13: "its rate limit for this resource",
    14: "its rate limit for this account",
}


@dataclass
class DisqusPage:
    comments: list[ParsedComment]
    next_cursor: str | None


def list_posts_url(settings: DisqusSettings, api_key: str, thread_ref: str, cursor: str | None = None) -> str:
    """`thread_ref` is `ident:ID` (the page's disqus identifier) or `link:URL` (the page's URL)."""
    kind, _, value = thread_ref.partition(":")
    if kind not in ("ident", "link") or not value:
        raise ValueError(f"Disqus thread reference must be ident:ID or link:URL, not {thread_ref!r}")
    query = {"api_key": api_key, "forum": settings.forum, f"thread:{kind}": value, "limit": PAGE_SIZE, "order": "asc"}
    if cursor:
        query["cursor"] = cursor
    return f"{str(settings.api_url).rstrip('/')}/threads/listPosts.json?{urlencode(query)}"


def redact(url: str) -> str:
    """The URL without its API key, as it may be stored and shown."""
    parts = urlsplit(url)
    secret = ("api_key", "api_secret", "access_token")
    query = [(k, "REDACTED" if k in secret else v) for k, v in parse_qsl(parts.query)]
    return urlunsplit(parts._replace(query=urlencode(query)))


def parse_list_posts(body: bytes, status: int = 200) -> DisqusPage:
    """One page of a thread; raises DisqusApiError for an error answer, whatever its HTTP status."""
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise DisqusApiError(0, f"HTTP {status} with a body that is not JSON") from None
    if not isinstance(data, dict):
        raise DisqusApiError(0, f"HTTP {status} with JSON that is not an API answer")
    code = data.get("code")
    if code != 0 or status >= 400 or not isinstance(data.get("response"), list):
        detail = data.get("response") if isinstance(data.get("response"), str) else f"HTTP {status}"
        raise DisqusApiError(code if isinstance(code, int) else 0, str(detail))
    cursor = data.get("cursor") if isinstance(data.get("cursor"), dict) else {}
    has_next = bool(cursor.get("hasNext") or cursor.get("more"))
    next_cursor = str(cursor["next"]) if has_next and cursor.get("next") else None
    return DisqusPage([c for post in data["response"] if (c := _comment(post)) is not None], next_cursor)


def describe_error(error: DisqusApiError, source: Source) -> str:
    """One line for the run report: what Disqus said and what to change."""
    forum = source.disqus.forum if source.disqus else "?"
    meaning = _ERRORS.get(error.code)
    said = f"code {error.code}: {error.message}" if error.code else error.message
    hint = f"; check disqus.api_key of source '{source.name}'" if error.code in (5, 9, 11, 12) else ""
    because = f" because of {meaning}" if meaning else ""
    return f"Disqus API refused the thread of forum '{forum}'{because} ({said}){hint}"


async def fetch_thread(source: Source, thread_ref: str, fetcher: Fetcher) -> list[RawResponse]:
    """Every page of the thread, or [] without a configured forum and key. Never raises: a page that fails
    ends the list with a status-0 response whose `x-wirehouse-error` header says why (the read is incomplete).
    """
    settings, key = source.disqus, api_key(source.disqus)
    if settings is None or key is None:
        return []
    api = _api_fetcher(fetcher, settings)
    responses: list[RawResponse] = []
    cursor: str | None = None
    for _page in range(settings.max_pages):
        url = list_posts_url(settings, key, thread_ref, cursor)
        try:
            response = await api.get_api(url)
            page = parse_list_posts(response.body, response.status)
        except FetchError as exc:
            responses.append(gap_response(redact(url), ROLE, f"Disqus API unreachable ({exc.reason}: {exc.detail})"))
            return responses
        except DisqusApiError as exc:
            responses.append(gap_response(redact(url), ROLE, describe_error(exc, source)))
            return responses
        responses.append(response.model_copy(update={"url": redact(url), "final_url": redact(url), "role": ROLE}))
        if page.next_cursor is None:
            return responses
        cursor = page.next_cursor
    too_long = f"Disqus thread longer than {settings.max_pages} pages: read in part"
    responses.append(gap_response(redact(url), ROLE, too_long))
    return responses


def _comment(post: Any) -> ParsedComment | None:
    if not isinstance(post, dict) or post.get("id") is None:
        return None
    if post.get("isDeleted") or post.get("isSpam") or post.get("isApproved") is False:
        return None  # a deleted post with replies stays in the API as an empty placeholder
    author = post.get("author") if isinstance(post.get("author"), dict) else {}
    html = str(post.get("message") or "")
    parent = post.get("parent")
    return ParsedComment(
        site_id=str(post["id"]),
        parent_site_id=str(parent) if parent not in (None, "", 0) else None,
        author=" ".join(str(author.get("name") or "").split()),
        posted_at=parse_gmt(post.get("createdAt")),
        text=html_to_text(html),
        html=html,
    )


class _ApiFetcher(Fetcher):
    """The source's fetcher rules for the API host, with error answers returned (their JSON says why)."""

    async def get_api(self, url: str) -> RawResponse:
        self.check_allowed_url(url)
        response = await self._get_with_retries(url, {"Accept": "application/json"})
        return response.model_copy(update={"url": url, "final_url": url})


# One API fetcher per batch fetcher, so every target of a batch shares its rate limit for the API host.
_api_fetchers: weakref.WeakKeyDictionary[Fetcher, _ApiFetcher] = weakref.WeakKeyDictionary()


def _api_fetcher(fetcher: Fetcher, settings: DisqusSettings) -> _ApiFetcher:
    api = _api_fetchers.get(fetcher)
    if api is None:
        source = fetcher.source
        api_source = source.model_copy(update={
            "allowed_domains": [*source.allowed_domains, (settings.api_url.host or "").lower()],
            "politeness": source.politeness.model_copy(update={"obey_robots": False}),
        })
        api = _ApiFetcher(api_source, fetcher.client, fetcher.user_agent, fetcher.throttle)
        _api_fetchers[fetcher] = api
    return api
