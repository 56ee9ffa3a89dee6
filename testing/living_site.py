"""A news site that lives through simulated days, for the source-health tests of the real flows.

Articles appear on a schedule the test gives (a month of varied volumes), each a copy of one of the bundled
snapshot's news.antiwar.com posts with its own id, slug, date and title (`copy_post`, as for the benchmark's
testing/generated_site.py),
some with one of the snapshot's comment threads. The site answers like WordPress as of its clock, `now`, which the
test moves night by night: the REST API (post listings by GMT window, posts, comment pages), the RSS feed of the
ten newest posts with their comment counts, day archives, and article pages drawn by the snapshot's theme code.

What a test can change between nights, as sites change in the wild:
- `theme`: "news" (news.antiwar.com's), "blog" (a classic WordPress theme) or "divi" (a redesign: the body's
  container and the deck are gone, the byline moves from the body's last lines to the title's meta line);
- `comment_markup`: "list" (WordPress's comment list) or "script" (comments drawn by a script: none in the HTML);
- `failing`: path prefix -> HTTP status answered instead (a feed that answers 404, an API behind a 503);
- `listing_cap`: the most posts any listing, feed or archive shows (a listing that stopped paginating).

Served on 127.0.0.1 by `serve()`; pages are drawn when asked for and kept per version, with ETags (a re-read
of an unchanged page is a 304).
"""

from __future__ import annotations

import copy
import hashlib
import random
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from testing.loopback import loopback_server
from testing.snapshot.render import Site, feed
from testing.snapshot.site import SNAPSHOT_ROOT, wp_json
from testing.snapshot.themes import blog_article, classic_page, divi_article, front_list, news_article

TEMPLATE = SNAPSHOT_ROOT / "news.antiwar.com"
FIRST_ID = 400_000
HTML_TYPE = "text/html; charset=UTF-8"
JSON_TYPE = "application/json; charset=UTF-8"
RSS_TYPE = "application/rss+xml; charset=UTF-8"
THEMES = {"news": news_article, "blog": blog_article, "divi": divi_article}
SCRIPTED_COMMENTS = ('<div id="comments-app" data-post="{id}"><noscript>Comments need JavaScript.</noscript></div>'
                     '<script src="/assets/comments.js" defer></script>')
_COMMENT_LIST = re.compile(r'<ol class="commentlist">.*?</ol><!-- \.commentlist -->', re.S)
_GMT = "%Y-%m-%dT%H:%M:%S"

Reply = tuple[int, str, bytes, dict[str, str]]  # status, content type, body, extra headers


class LivingSite:
    def __init__(self, name: str, schedule: Sequence[datetime], *, theme: str = "news", archives: bool = True,
                 comment_share: float = 0.5, seed: int = 0) -> None:
        """`name` makes the site's host (`name.example`, rewritten to the loopback address when served);
        `schedule`: when each article is published; `comment_share`: the share of articles with a thread."""
        self.host = f"{name}.example"
        self.template = Site(TEMPLATE)
        self.meta = copy.deepcopy(self.template.meta)
        self.meta["title"] = f"{name.title()} News"
        self.archives = archives
        self.now = datetime.min.replace(tzinfo=UTC)
        self.theme = theme
        self.comment_markup = "list"
        self.failing: dict[str, int] = {}
        self.listing_cap: int | None = None
        self.base = f"https://{self.host}"
        rng = random.Random(f"{name}-{seed}")
        models = self.template.posts
        threads = [approved for thread in self.template.comments.values()
                   if (approved := [c for c in thread if c["status"] == "approved"])]
        self.posts: list[dict[str, Any]] = []  # oldest first
        self.threads: dict[int, list[dict[str, Any]]] = {}
        for number, published in enumerate(sorted(schedule)):
            model = models[number % len(models)]
            post = copy_post(model, number, published, self.host)
            if str(model["id"]) in self.meta["decks"]:
                self.meta["decks"][str(post["id"])] = self.meta["decks"][str(model["id"])]
            self.posts.append(post)
            self.threads[post["id"]] = copy_thread(rng.choice(threads), post) if rng.random() < comment_share else []
        self.by_path = {urlsplit(p["link"]).path: p for p in self.posts}
        self.by_id = {p["id"]: p for p in self.posts}
        self._index = {p["id"]: index for index, p in enumerate(self.posts)}
        self._drawn: dict[tuple[Any, ...], bytes] = {}

    # ------------------------------------------------------------ what the site shows as of `now`

    def reset(self) -> None:
        """The site as it was made: its own theme's markup, nothing failing, every post listed."""
        self.comment_markup, self.failing, self.listing_cap = "list", {}, None

    def published(self, start: datetime | None = None, end: datetime | None = None) -> list[dict[str, Any]]:
        """Posts published by now (and in [start, end) when given), oldest first."""
        now = self.now.strftime(_GMT)
        low, high = (start or datetime.min).strftime(_GMT), (end or datetime.max).strftime(_GMT)
        return [p for p in self.posts if p["date_gmt"] <= now and low <= p["date_gmt"] < high]

    def comments_of(self, post: dict[str, Any]) -> list[dict[str, Any]]:
        now = self.now.strftime(_GMT)
        return [c for c in self.threads[post["id"]] if c["date_gmt"] <= now]

    def _is_out(self, post: dict[str, Any]) -> bool:
        return bool(post["date_gmt"] <= self.now.strftime(_GMT))

    def _listed(self, posts: list[dict[str, Any]], newest: bool = False) -> list[dict[str, Any]]:
        if self.listing_cap is None:
            return posts
        return posts[-self.listing_cap:] if newest else posts[: self.listing_cap]

    # ------------------------------------------------------------ answering

    def answer(self, path: str, query: dict[str, str], headers: dict[str, str]) -> Reply:
        failing = next((status for prefix, status in self.failing.items() if path.startswith(prefix)), None)
        if failing is not None:
            return failing, HTML_TYPE, f"<html><body><h1>Error {failing}</h1></body></html>".encode(), {}
        status, content_type, body, extra = self._route(path, query)
        body = body.replace(f"https://{self.host}".encode(), self.base.encode())
        body = body.replace(f"https:\\/\\/{self.host}".encode(), self.base.replace("/", "\\/").encode())
        if status != 200:
            return status, content_type, body, extra
        etag = f'"{hashlib.md5(body).hexdigest()}"'
        if headers.get("if-none-match") == etag:
            return 304, content_type, b"", {"ETag": etag}
        return status, content_type, body, {**extra, "ETag": etag}

    def _route(self, path: str, query: dict[str, str]) -> Reply:
        if path == "/robots.txt":
            return 200, "text/plain; charset=UTF-8", b"User-agent: *\nDisallow: /wp-admin/\n", {}
        if path == "/feed/":
            return 200, RSS_TYPE, feed(self._view(list(reversed(self._listed(self.published(), newest=True)))[:10])
                                       ).encode(), {}
        if path == "/wp-json/wp/v2/posts":
            return self._listing(query)
        if match := re.fullmatch(r"/wp-json/wp/v2/posts/(\d+)", path):
            post = self.by_id.get(int(match[1]))
            if post is None or not self._is_out(post):
                return 404, JSON_TYPE, wp_json({"code": "rest_post_invalid_id", "message": "Invalid post ID."}), {}
            return 200, JSON_TYPE, wp_json(post), {}
        if path == "/wp-json/wp/v2/comments":
            # `post` may list several posts (comma-separated), as WordPress takes it
            asked = [self.by_id.get(int(i)) for i in (query.get("post") or "0").split(",") if i.isdigit()]
            thread = [c for post in asked if post is not None and self._is_out(post) for c in self.comments_of(post)]
            thread = sorted(thread, key=lambda c: (c["date_gmt"], c["id"]), reverse=True)  # newest first
            return 200, JSON_TYPE, wp_json(thread), {"X-WP-Total": str(len(thread)),
                                                     "X-WP-TotalPages": str(1 if thread else 0)}
        if match := re.fullmatch(r"/(\d{4})/(\d{2})/(\d{2})/", path):
            return self._day_archive(datetime(int(match[1]), int(match[2]), int(match[3]), tzinfo=UTC))
        post = self.by_path.get(path)
        if post is not None and self._is_out(post):
            return 200, HTML_TYPE, self._page(post), {}
        return 404, HTML_TYPE, b"<html><head><title>Page not found</title></head><body>Not found</body></html>", {}

    def _listing(self, query: dict[str, str]) -> Reply:
        if "include" in query:  # WordPress answers a list of ids with the whole posts, in the order asked
            asked = [self.by_id.get(int(i)) for i in query["include"].split(",") if i.isdigit()]
            found = [p for p in asked if p is not None and self._is_out(p)]
            return 200, JSON_TYPE, wp_json(found), {"X-WP-Total": str(len(found)), "X-WP-TotalPages": "1"}
        after, before = query.get("after", "0000"), query.get("before", "9999")
        posts = self._listed([p for p in self.published() if after[:19] < p["date_gmt"] < before[:19]])
        per_page, page = int(query.get("per_page", "10")), int(query.get("page", "1"))
        pages = -(-len(posts) // per_page)
        window = posts[(page - 1) * per_page: page * per_page]
        items = [{"id": p["id"], "link": p["link"], "date_gmt": p["date_gmt"]} for p in window]
        return 200, JSON_TYPE, wp_json(items), {"X-WP-Total": str(len(posts)), "X-WP-TotalPages": str(pages)}

    def _day_archive(self, day: datetime) -> Reply:
        posts = self._listed(self.published(day, day + timedelta(days=1)))
        if not self.archives or not posts:
            return 404, HTML_TYPE, b"<html><body>Nothing found</body></html>", {}
        view = self._view(list(reversed(posts)))
        main = front_list(view, view.posts, f"Day: <span>{day:%B} {day.day}, {day.year}</span>", "entry-title")
        return 200, HTML_TYPE, classic_page(view, f"{day:%B} {day.day}, {day.year}", "archive date", main).encode(), {}

    def _page(self, post: dict[str, Any]) -> bytes:
        comments = self.comments_of(post)
        key = (post["id"], self.theme, self.comment_markup, len(comments))
        if key not in self._drawn:
            index = self._index[post["id"]]
            neighbours = list(reversed(self.posts[max(0, index - 1): index + 2]))  # newest first, as the theme wants
            html = THEMES[self.theme](self._view(neighbours), post)
            if self.comment_markup == "script":
                html = _COMMENT_LIST.sub(SCRIPTED_COMMENTS.format(id=post["id"]), html)
            self._drawn[key] = html.encode()
        return self._drawn[key]

    def _view(self, posts: list[dict[str, Any]]) -> Site:
        """The theme code's Site, holding the posts one page shows, with the comments published by now."""
        view = Site.__new__(Site)
        view.folder, view.meta, view.host, view.home_path = TEMPLATE, self.meta, self.host, "/"
        view.home = f"https://{self.host}/"
        view.posts = posts
        view.comments = {p["id"]: self.comments_of(p) for p in posts}
        view.pages = {}
        return view

    # ------------------------------------------------------------ serving

    @contextmanager
    def serve(self) -> Iterator[str]:
        """Serve the site on 127.0.0.1 until the block ends; yields its base URL."""
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                status, content_type, body, extra = site.answer(
                    parts.path, dict(parse_qsl(parts.query)), {k.lower(): v for k, v in self.headers.items()})
                self.send_response(status)
                for name, value in {"Content-Type": content_type, "Content-Length": str(len(body)), **extra}.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:  # keep test output clean
                pass

        with loopback_server(Handler) as (_server, base):
            self.base = base
            yield base


def copy_post(
    model: dict[str, Any], number: int, published: datetime, host: str, first_id: int = FIRST_ID
) -> dict[str, Any]:
    """A copy of a snapshot post with its own id (`first_id + number`), slug, dates, link, title and closing
    paragraph, published at `published`."""
    post = copy.deepcopy(model)
    post_id = first_id + number
    gmt = published.astimezone(UTC).strftime(_GMT)
    local = (published - timedelta(hours=4)).strftime(_GMT)
    slug = f"{model['slug']}-{number}"
    post.update(id=post_id, date=local, date_gmt=gmt, modified=local, modified_gmt=gmt, slug=slug,
                link=f"https://{host}{published:/%Y/%m/%d/}{slug}/")
    post["guid"] = {"rendered": f"https://{host}/?p={post_id}"}
    post["title"] = {"rendered": f"{model['title']['rendered']} ({number})"}
    post["content"] = {"rendered": model["content"]["rendered"]
                       + f"<p>Dispatch {number}, filed at {gmt} UTC.</p>\n", "protected": False}
    post["class_list"] = [f"post-{post_id}" if c == f"post-{model['id']}" else c for c in post["class_list"]]
    return post


def copy_thread(model: list[dict[str, Any]], post: dict[str, Any]) -> list[dict[str, Any]]:
    """A snapshot comment thread moved onto `post`: new ids, the same nesting, posted in the hour after it."""
    new_ids = {c["id"]: post["id"] * 100 + k for k, c in enumerate(model)}
    published = datetime.fromisoformat(post["date_gmt"])
    thread = []
    for k, comment in enumerate(model):
        when = published + timedelta(minutes=5 * (k + 1))
        reply = copy.deepcopy(comment)
        reply.update(id=new_ids[comment["id"]], post=post["id"], parent=new_ids.get(comment["parent"], 0),
                     date=(when - timedelta(hours=4)).strftime(_GMT), date_gmt=when.strftime(_GMT),
                     link=f"{post['link']}#comment-{new_ids[comment['id']]}")
        thread.append(reply)
    return thread
