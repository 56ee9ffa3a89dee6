"""Serve the bundled Antiwar.com snapshot with WordPress's semantics, in-process or on 127.0.0.1.

`SnapshotSite.handle` answers one request for news.antiwar.com, www.antiwar.com (the blog under
/blog/) or original.antiwar.com: the REST API is computed from the stored per-post JSON (windowing,
paging, ordering, errors as WordPress words them), pages and feeds are rendered from the same JSON
by `testing.snapshot.render`. Use it through `transport()` (an httpx MockTransport) or through
`serve_on_loopback()` (a real threaded HTTP server).

One deliberate difference from WordPress: `after`/`before` compare against `date_gmt`, where
WordPress compares against the site-local `date`. A crawler that sends UTC instants then gets
exactly the window it asked for; WordPress itself would shift it by the site's UTC offset.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import httpx

from testing.loopback import loopback_server
from testing.snapshot.render import NOT_FOUND, Page, Site, render_site

SNAPSHOT_ROOT = Path(__file__).resolve().parent
SNAPSHOT_NOW = datetime(2026, 7, 3, 0, 0, tzinfo=UTC)

JSON_TYPE = "application/json; charset=UTF-8"
REST_HEADERS = {
    "X-Robots-Tag": "noindex",
    "X-Content-Type-Options": "nosniff",
    "Access-Control-Expose-Headers": "X-WP-Total, X-WP-TotalPages, Link",
    "Allow": "GET",
}
_RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})?$")
_POST_ORDERBY = {"date", "id", "modified", "slug", "title", "include", "relevance", "author", "parent"}
_COMMENT_ORDERBY = {"date", "date_gmt", "id", "include", "post", "parent", "type"}


class UnknownSnapshotHost(LookupError):
    """The snapshot holds no site for this host (the transport turns it into a connection error)."""


@dataclass(frozen=True)
class SnapshotResponse:
    status: int
    headers: dict[str, str]
    body: bytes


class RestError(Exception):
    """A WordPress REST error: `{"code", "message", "data": {"status", ...}}`."""

    def __init__(self, status: int, code: str, message: str, **data: Any) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.data = status, code, message, data

    def payload(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "data": {"status": self.status, **self.data}}


@dataclass
class _Reply:
    """A response before conditional-GET handling and loopback rewriting."""

    status: int
    body: bytes
    content_type: str
    modified: datetime = SNAPSHOT_NOW
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class _LoadedSite:
    site: Site
    pages: dict[str, Page]
    rest_prefix: str  # e.g. "/blog/wp-json"
    posts_by_id: dict[int, dict[str, Any]]
    comments: list[dict[str, Any]]


def wp_json(value: Any) -> bytes:
    """JSON as PHP's json_encode writes it for WordPress: ASCII only and escaped slashes."""
    return json.dumps(value, ensure_ascii=True, separators=(",", ":")).replace("/", "\\/").encode()


def _http_date(moment: datetime) -> str:
    return format_datetime(moment.astimezone(UTC), usegmt=True)


def _gmt(value: str) -> datetime:
    return datetime.fromisoformat(value).replace(tzinfo=UTC)


class SnapshotSite:
    """The three snapshot sites behind one request handler.

    `rebase` maps a host to a base URL (e.g. "http://127.0.0.1:8123"): absolute URLs of that host in
    bodies and headers are rewritten to it, so a crawler following links stays on a loopback server.
    """

    def __init__(self, root: Path = SNAPSHOT_ROOT, rebase: Mapping[str, str] | None = None) -> None:
        self.root = root
        self.rebase = {host: base.rstrip("/") for host, base in (rebase or {}).items()}
        self.sites: dict[str, _LoadedSite] = {}
        for folder in sorted(p for p in root.iterdir() if (p / "site.json").is_file()):
            site, pages = render_site(folder)
            self.sites[site.host] = _LoadedSite(
                site=site,
                pages=pages,
                rest_prefix=f"{site.home_path}wp-json",
                posts_by_id={p["id"]: p for p in site.posts},
                comments=[c for thread in site.comments.values() for c in thread if c["status"] == "approved"],
            )

    @property
    def hosts(self) -> list[str]:
        return sorted(self.sites)

    # ------------------------------------------------------------ entry points

    def handle(self, method: str, url: str, headers: Mapping[str, str]) -> SnapshotResponse:
        """Answer one request; raises UnknownSnapshotHost for hosts the snapshot does not hold."""
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        loaded = self.sites.get(host)
        if loaded is None:
            raise UnknownSnapshotHost(host)
        method = method.upper()
        if method not in ("GET", "HEAD"):
            reply = _Reply(405, b"", "text/plain; charset=UTF-8", headers={"Allow": "GET, HEAD"})
        else:
            # WordPress (PHP) keeps the last value of a repeated parameter.
            query = dict(parse_qsl(parts.query, keep_blank_values=True))
            reply = self._route(loaded, parts.path or "/", query)
        return self._finish(host, reply, method, {k.lower(): v for k, v in headers.items()})

    def transport(self) -> httpx.MockTransport:
        """An httpx transport answering for every snapshot host; other hosts fail to connect."""

        def answer(request: httpx.Request) -> httpx.Response:
            try:
                response = self.handle(request.method, str(request.url), request.headers)
            except UnknownSnapshotHost as exc:
                raise httpx.ConnectError(f"snapshot has no site for host {exc}", request=request) from exc
            return httpx.Response(response.status, headers=response.headers, content=response.body)

        return httpx.MockTransport(answer)

    # ------------------------------------------------------------ routing

    def _route(self, loaded: _LoadedSite, path: str, query: dict[str, str]) -> _Reply:
        site = loaded.site
        if path.startswith(loaded.rest_prefix + "/") or path == loaded.rest_prefix:
            return self._rest(loaded, path.removeprefix(loaded.rest_prefix), query)
        if path == site.home_path and "rest_route" in query:
            return self._rest(loaded, query.pop("rest_route"), query)
        if path == site.home_path and query.get("p", "").isdigit():
            post = loaded.posts_by_id.get(int(query["p"]))
            if post is not None:  # the ?p=ID shortlink (the feed's guid) redirects like WordPress does
                return _Reply(301, b"", "text/html; charset=UTF-8",
                              headers={"Location": post["link"], "X-Redirect-By": "WordPress"})
        page = loaded.pages.get(path)
        if page is not None:
            return _Reply(200, page.body, page.content_type, page.modified, self._page_headers(loaded))
        if not path.endswith("/") and path + "/" in loaded.pages:
            location = f"https://{site.host}{path}/"
            return _Reply(301, b"", "text/html; charset=UTF-8",
                          headers={"Location": location, "X-Redirect-By": "WordPress"})
        missing = loaded.pages[NOT_FOUND]
        return _Reply(404, missing.body, missing.content_type, missing.modified,
                      {**self._page_headers(loaded), "Cache-Control": "no-cache, must-revalidate, max-age=0"})

    def _page_headers(self, loaded: _LoadedSite) -> dict[str, str]:
        if loaded.site.meta["rest"] != "open":
            return {}
        return {"Link": f'<https://{loaded.site.host}{loaded.rest_prefix}/>; rel="https://api.w.org/"'}

    # ------------------------------------------------------------ REST

    def _rest(self, loaded: _LoadedSite, route: str, query: dict[str, str]) -> _Reply:
        route = "/" + route.strip("/")  # WordPress untrailingslashes the route
        try:
            if loaded.site.meta["rest"] != "open":
                raise RestError(401, "rest_forbidden", "Sorry, you are not allowed to do that.")
            return self._rest_route(loaded, route, query)
        except RestError as error:
            return _Reply(error.status, wp_json(error.payload()), JSON_TYPE, headers=dict(REST_HEADERS))

    def _rest_route(self, loaded: _LoadedSite, route: str, query: dict[str, str]) -> _Reply:
        if route == "/":
            return self._json(self._index(loaded))
        if route == "/wp/v2/posts":
            return self._posts(loaded, query)
        if match := re.fullmatch(r"/wp/v2/posts/(\d+)", route):
            post = loaded.posts_by_id.get(int(match[1]))
            if post is None:
                raise RestError(404, "rest_post_invalid_id", "Invalid post ID.")
            return self._json(post, _gmt(post["modified_gmt"]),
                              {"Link": f'<{post["link"]}>; rel="alternate"; type=text/html'})
        if route == "/wp/v2/comments":
            return self._comments(loaded, query)
        if match := re.fullmatch(r"/wp/v2/comments/(\d+)", route):
            found = [c for c in loaded.comments if c["id"] == int(match[1])]
            if not found:
                raise RestError(404, "rest_comment_invalid_id", "Invalid comment ID.")
            return self._json(found[0], _gmt(found[0]["date_gmt"]))
        if match := re.fullmatch(r"/wp/v2/users/(\d+)", route):
            users = {u["id"]: u for p in loaded.site.posts for u in p["_embedded"]["author"]}
            if int(match[1]) not in users:
                raise RestError(404, "rest_user_invalid_id", "Invalid user ID.")
            return self._json(users[int(match[1])])
        raise RestError(404, "rest_no_route", "No route was found matching the URL and request method.")

    def _json(self, value: Any, modified: datetime = SNAPSHOT_NOW, extra: dict[str, str] | None = None) -> _Reply:
        return _Reply(200, wp_json(value), JSON_TYPE, modified, {**REST_HEADERS, **(extra or {})})

    def _index(self, loaded: _LoadedSite) -> dict[str, Any]:
        site = loaded.site
        home = site.home.rstrip("/")
        return {"name": site.meta["title"], "description": site.meta["description"], "url": home, "home": home,
                "gmt_offset": "-4", "timezone_string": "America/New_York",
                "namespaces": ["oembed/1.0", "wp/v2", "wp-site-health/v1"], "authentication": [],
                "routes": {f"/wp/v2/{r}": {"namespace": "wp/v2", "methods": ["GET"]}
                           for r in ("posts", "posts/(?P<id>[\\d]+)", "comments", "users/(?P<id>[\\d]+)")}}

    def _posts(self, loaded: _LoadedSite, query: dict[str, str]) -> _Reply:
        page, per_page = _paging(query)
        order = _choice(query, "order", {"asc", "desc"}, "desc")
        orderby = _choice(query, "orderby", _POST_ORDERBY, "date")
        after, before = _instant(query, "after"), _instant(query, "before")
        posts = list(loaded.site.posts)
        if after is not None:
            posts = [p for p in posts if _gmt(p["date_gmt"]) > after]
        if before is not None:
            posts = [p for p in posts if _gmt(p["date_gmt"]) < before]
        if "slug" in query:
            posts = [p for p in posts if p["slug"] in query["slug"].split(",")]
        if "include" in query:
            posts = [p for p in posts if str(p["id"]) in query["include"].split(",")]
        if "author" in query:
            posts = [p for p in posts if str(p["author"]) in query["author"].split(",")]
        posts.sort(key=_post_sort_key(orderby), reverse=order == "desc")
        return self._collection(loaded, "/wp/v2/posts", query, posts, page, per_page,
                                "rest_post_invalid_page_number", "modified_gmt")

    def _comments(self, loaded: _LoadedSite, query: dict[str, str]) -> _Reply:
        page, per_page = _paging(query)
        order = _choice(query, "order", {"asc", "desc"}, "desc")  # WordPress lists newest first
        orderby = _choice(query, "orderby", _COMMENT_ORDERBY, "date_gmt")
        comments = list(loaded.comments)
        for name in ("post", "parent"):
            if name in query:
                wanted = {v for v in query[name].split(",") if v}
                comments = [c for c in comments if str(c[name]) in wanted]
        key = "id" if orderby == "id" else "date_gmt"
        comments.sort(key=lambda c: (c[key], c["id"]), reverse=order == "desc")
        return self._collection(loaded, "/wp/v2/comments", query, comments, page, per_page,
                                "rest_comment_invalid_page_number", "date_gmt")

    def _collection(self, loaded: _LoadedSite, route: str, query: dict[str, str], items: list[dict[str, Any]],
                    page: int, per_page: int, past_end_code: str, time_field: str) -> _Reply:
        total = len(items)
        pages = -(-total // per_page)
        if page > pages and total > 0:
            raise RestError(400, past_end_code,
                            "The page number requested is larger than the number of pages available.")
        window = items[(page - 1) * per_page: page * per_page]
        headers = {**REST_HEADERS, "X-WP-Total": str(total), "X-WP-TotalPages": str(pages)}
        base = f"https://{loaded.site.host}{loaded.rest_prefix}{route}"
        rest = {k: v for k, v in query.items() if k != "page"}
        links = []
        if page > 1:
            links.append(f'<{base}?{urlencode({**rest, "page": min(page - 1, pages)})}>; rel="prev"')
        if pages > page:
            links.append(f'<{base}?{urlencode({**rest, "page": page + 1})}>; rel="next"')
        if links:
            headers["Link"] = ", ".join(links)
        modified = max((_gmt(i[time_field]) for i in window), default=SNAPSHOT_NOW)
        return _Reply(200, wp_json(window), JSON_TYPE, modified, headers)

    # ------------------------------------------------------------ finishing: rewrite, validators, 304

    def _finish(self, host: str, reply: _Reply, method: str, request_headers: dict[str, str]) -> SnapshotResponse:
        body, headers = reply.body, dict(reply.headers)
        base = self.rebase.get(host)
        if base is not None:
            body = _rebase_text(body, host, base)
            headers = {k: _rebase_text(v.encode(), host, base).decode() for k, v in headers.items()}
        etag = f'"{hashlib.md5(body).hexdigest()}"'
        last_modified = reply.modified.replace(microsecond=0)
        headers.update({"Content-Type": reply.content_type, "ETag": etag,
                        "Last-Modified": _http_date(last_modified)})
        if reply.status == 200 and _not_modified(request_headers, etag, last_modified):
            headers.pop("Content-Type")
            return SnapshotResponse(304, headers, b"")
        headers["Content-Length"] = str(len(body))
        return SnapshotResponse(reply.status, headers, b"" if method == "HEAD" else body)


# ---------------------------------------------------------------- request parameters


def _paging(query: dict[str, str]) -> tuple[int, int]:
    page = _integer(query, "page", 1, 1, None)
    per_page = _integer(query, "per_page", 10, 1, 100)
    return page, per_page


def _post_sort_key(orderby: str) -> Any:
    if orderby == "id":
        return lambda p: p["id"]
    if orderby in ("slug", "modified"):
        field_name = "slug" if orderby == "slug" else "modified_gmt"
        return lambda p: (p[field_name], p["id"])
    if orderby == "title":
        return lambda p: (p["title"]["rendered"], p["id"])
    return lambda p: (p["date_gmt"], p["id"])


def _integer(query: dict[str, str], name: str, default: int, low: int, high: int | None) -> int:
    if name not in query:
        return default
    raw = query[name].strip()
    if not re.fullmatch(r"-?\d+", raw) or int(raw) < low or (high is not None and int(raw) > high):
        bound = f"between {low} (inclusive) and {high} (inclusive)" if high else f"greater than or equal to {low}"
        raise _invalid_param(name, f"{name} must be {bound}")
    return int(raw)


def _choice(query: dict[str, str], name: str, allowed: set[str], default: str) -> str:
    value = query.get(name, default)
    if value not in allowed:
        raise _invalid_param(name, f"{name} is not one of {', '.join(sorted(allowed))}.")
    return value


def _instant(query: dict[str, str], name: str) -> datetime | None:
    """An RFC 3339 date-time; without an offset it is read as UTC (it is compared with date_gmt)."""
    if name not in query:
        return None
    raw = query[name]
    if not _RFC3339.match(raw):
        raise _invalid_param(name, "Invalid date.")
    moment = datetime.fromisoformat(raw.replace("z", "Z").replace("t", "T"))
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _invalid_param(name: str, reason: str) -> RestError:
    return RestError(400, "rest_invalid_param", f"Invalid parameter(s): {name}", params={name: reason},
                     details={name: {"code": "rest_invalid_param", "message": reason, "data": None}})


# ---------------------------------------------------------------- conditional GET and rewriting


def _not_modified(request_headers: dict[str, str], etag: str, last_modified: datetime) -> bool:
    if "if-none-match" in request_headers:
        tags = [t.strip().removeprefix("W/") for t in request_headers["if-none-match"].split(",")]
        return "*" in tags or etag in tags
    if "if-modified-since" in request_headers:
        try:
            since = parsedate_to_datetime(request_headers["if-modified-since"])
        except (TypeError, ValueError):
            return False
        return since.tzinfo is not None and last_modified <= since
    return False


def _rebase_text(body: bytes, host: str, base: str) -> bytes:
    """Point absolute URLs of `host` (plain and JSON-escaped) at `base`."""
    escaped_base = base.replace("/", "\\/")
    for scheme in ("https", "http"):
        body = body.replace(f"{scheme}://{host}".encode(), base.encode())
        body = body.replace(f"{scheme}:\\/\\/{host}".encode(), escaped_base.encode())
    return body


# ---------------------------------------------------------------- loopback server


@contextmanager
def serve_on_loopback(host: str, root: Path = SNAPSHOT_ROOT, port: int = 0) -> Iterator[str]:
    """Serve one site's snapshot (e.g. host="news.antiwar.com") from a threaded HTTP server on 127.0.0.1.

    Yields the base URL ('http://127.0.0.1:PORT'). Absolute URLs of that host inside bodies and headers
    are rewritten to the base, so a crawler following them stays here; for www.antiwar.com the blog
    lives under /blog/ as on the real site.
    """
    with loopback_server(BaseHTTPRequestHandler, port) as (server, base):
        site = SnapshotSite(root, rebase={host: base})
        if host not in site.sites:
            raise UnknownSnapshotHost(host)
        server.RequestHandlerClass = _handler_for(site, host)
        yield base


def _handler_for(site: SnapshotSite, host: str) -> type[BaseHTTPRequestHandler]:
    class SnapshotRequestHandler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                self.rfile.read(length)
            response = site.handle(self.command, f"https://{host}{self.path}", dict(self.headers.items()))
            self.send_response(response.status)
            for name, value in response.headers.items():
                self.send_header(name, value)
            if "Content-Length" not in response.headers:
                self.send_header("Content-Length", "0")
            self.end_headers()
            if response.body:
                self.wfile.write(response.body)

        do_GET = do_HEAD = do_POST = do_PUT = do_DELETE = _answer

        def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
            return

    return SnapshotRequestHandler
