#!/usr/bin/env python3
"""A generated news.antiwar.com of any size on 127.0.0.1, for benchmarks/e2e.py.

N posts (and their comment threads) are made from the bundled snapshot's news posts: each one a copy of a
snapshot post with its own id, slug, date, title and closing paragraph, published every `86400 / per_day`
seconds from START; every post gets one of the snapshot's comment threads. Pages are rendered by the
snapshot's own theme code (`testing.snapshot.render`), the REST API answers like WordPress (listings by
GMT window with X-WP-TotalPages, single posts, comment pages). Everything is rendered once before the port
is printed, so the benchmark's clock never pays for this server's rendering, only for its HTTP replies,
which a small asyncio server writes from memory.

    python testing/generated_site.py --articles 1000 [--per-day 50]  # prints its URL, serves until killed
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import json
import socket
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from testing.living_site import copy_post, copy_thread  # noqa: E402
from testing.snapshot.render import ROBOTS, Site, feed, news_article  # noqa: E402
from testing.snapshot.site import SNAPSHOT_ROOT, wp_json  # noqa: E402

TEMPLATE = SNAPSHOT_ROOT / "news.antiwar.com"
HOST = "news.antiwar.com"
START = datetime(2024, 1, 1, 0, 7, tzinfo=UTC)  # off midnight: WordPress's `after` is exclusive
FIRST_ID = 300_000
JSON_TYPE = "application/json; charset=UTF-8"
HTML_TYPE = "text/html; charset=UTF-8"

Reply = tuple[int, str, bytes, dict[str, str]]


class GeneratedSite:
    def __init__(self, articles: int, per_day: int, base: str) -> None:
        self.base = base
        template = Site(TEMPLATE)
        self.meta = template.meta
        posts_with_threads = [p for p in template.posts if p["id"] in template.comments]
        self.posts: list[dict[str, Any]] = []
        self.threads: dict[int, list[dict[str, Any]]] = {}
        step = timedelta(seconds=86400 / per_day)
        for number in range(articles):
            model = template.posts[number % len(template.posts)]
            post = copy_post(model, number, START + number * step, HOST, FIRST_ID)
            deck = self.meta["decks"].get(str(model["id"]))
            if deck:
                self.meta["decks"][str(post["id"])] = deck
            thread_model = posts_with_threads[number % len(posts_with_threads)]
            self.threads[post["id"]] = copy_thread(template.comments[thread_model["id"]], post)
            self.posts.append(post)
        self.times = [p["date_gmt"] for p in self.posts]  # ascending
        self.by_id = {p["id"]: p for p in self.posts}
        self.responses: dict[str, Reply] = {}
        self._render_pages()

    @property
    def first_day(self) -> datetime:
        return START

    def _view(self, posts: list[dict[str, Any]]) -> Site:
        """The theme code's Site, holding only the posts one page shows (neighbours, sidebar, feed)."""
        view = Site.__new__(Site)
        view.folder, view.meta, view.host, view.home_path = TEMPLATE, self.meta, HOST, "/"
        view.home = f"https://{HOST}/"
        view.posts = posts
        view.comments = {p["id"]: self.threads[p["id"]] for p in posts}
        view.pages = {}
        return view

    def _render_pages(self) -> None:
        newest_first = list(reversed(self.posts))
        for index, post in enumerate(newest_first):
            neighbours = newest_first[max(0, index - 1): index + 2]
            path = urlsplit(post["link"]).path
            self.responses[path] = (200, HTML_TYPE, self._rebase(news_article(self._view(neighbours), post)), {})
            self.responses[f"/wp-json/wp/v2/posts/{post['id']}"] = (200, JSON_TYPE, self._rebase(wp_json(post)), {})
            thread = sorted(self.threads[post["id"]], key=lambda c: (c["date_gmt"], c["id"]), reverse=True)
            self.responses[f"comments:{post['id']}"] = (200, JSON_TYPE, self._rebase(wp_json(thread)),
                                                        {"X-WP-Total": str(len(thread)), "X-WP-TotalPages": "1"})
        self.responses["/feed/"] = (200, "application/rss+xml; charset=UTF-8",
                                    self._rebase(feed(self._view(newest_first[:10]))), {})
        self.responses["/robots.txt"] = (200, "text/plain; charset=UTF-8", ROBOTS[HOST].encode(), {})

    def _rebase(self, body: str | bytes) -> bytes:
        data = body.encode() if isinstance(body, str) else body
        for scheme in ("https", "http"):
            data = data.replace(f"{scheme}://{HOST}".encode(), self.base.encode())
            data = data.replace(f"{scheme}:\\/\\/{HOST}".encode(), self.base.replace("/", "\\/").encode())
        return data

    def answer(self, target: str) -> Reply:
        parts = urlsplit(target)
        if parts.path == "/wp-json/wp/v2/posts":
            return self._listing(dict(parse_qsl(parts.query)))
        if parts.path == "/wp-json/wp/v2/comments":
            query = dict(parse_qsl(parts.query))
            post = query.get("post", "")
            if "," in post:
                return self._comments_of_posts([int(i) for i in post.split(",") if i.isdigit()], query)
            found = self.responses.get(f"comments:{post}")
            return found or (200, JSON_TYPE, b"[]", {"X-WP-Total": "0", "X-WP-TotalPages": "0"})
        return self.responses.get(parts.path) or (404, HTML_TYPE, b"<h1>Not found</h1>", {})

    def _comments_of_posts(self, post_ids: list[int], query: dict[str, str]) -> Reply:
        """`comments?post=1,2,3`: the posts' threads together, newest first, paged as WordPress pages them."""
        thread = sorted((c for i in post_ids for c in self.threads.get(i, [])),
                        key=lambda c: (c["date_gmt"], c["id"]), reverse=True)
        per_page, page = int(query.get("per_page", "10")), int(query.get("page", "1"))
        window = thread[(page - 1) * per_page: page * per_page]
        pages = -(-len(thread) // per_page)
        return 200, JSON_TYPE, self._rebase(wp_json(window)), {"X-WP-Total": str(len(thread)),
                                                               "X-WP-TotalPages": str(pages)}

    def _listing(self, query: dict[str, str]) -> Reply:
        if "include" in query:  # bulk reads: the posts asked for, whole
            posts = [self.by_id[int(i)] for i in query["include"].split(",") if i.isdigit() and int(i) in self.by_id]
            return 200, JSON_TYPE, self._rebase(wp_json(posts)), {"X-WP-Total": str(len(posts)),
                                                                  "X-WP-TotalPages": "1"}
        after, before = query.get("after", "0000"), query.get("before", "9999")
        low = bisect.bisect_right(self.times, after[:19])
        high = bisect.bisect_left(self.times, before[:19])
        per_page, page = int(query.get("per_page", "10")), int(query.get("page", "1"))
        total = max(0, high - low)
        pages = -(-total // per_page)
        window = self.posts[low + (page - 1) * per_page: min(high, low + page * per_page)]
        items = [{"id": p["id"], "link": p["link"], "date_gmt": p["date_gmt"]} for p in window]
        return 200, JSON_TYPE, self._rebase(wp_json(items)), {"X-WP-Total": str(total), "X-WP-TotalPages": str(pages)}


class HttpProtocol(asyncio.Protocol):
    """Just enough HTTP/1.1 for a crawler: GET and HEAD, keep-alive, no request bodies."""

    def __init__(self, site: GeneratedSite) -> None:
        self.site = site
        self.buffer = b""
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while b"\r\n\r\n" in self.buffer:
            head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
            method, target = head.split(b"\r\n", 1)[0].split(b" ")[:2]
            status, content_type, body, extra = self.site.answer(target.decode("latin-1"))
            lines = [f"HTTP/1.1 {status} {'OK' if status == 200 else 'Not Found'}", f"Content-Type: {content_type}",
                     f"Content-Length: {len(body)}", *(f"{k}: {v}" for k, v in extra.items())]
            assert self.transport is not None
            self.transport.write("\r\n".join(lines).encode() + b"\r\n\r\n" + (b"" if method == b"HEAD" else body))


async def serve(articles: int, per_day: int) -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    base = f"http://127.0.0.1:{listener.getsockname()[1]}"
    site = GeneratedSite(articles, per_day, base)
    server = await asyncio.get_running_loop().create_server(lambda: HttpProtocol(site), sock=listener, backlog=512)
    last_day = datetime.fromisoformat(site.posts[-1]["date_gmt"]).date()
    print(json.dumps({"base": base, "first_day": str(site.first_day.date()), "last_day": str(last_day)}), flush=True)
    async with server:
        await server.serve_forever()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--per-day", type=int, default=50)
    args = parser.parse_args()
    asyncio.run(serve(args.articles, args.per_day))


if __name__ == "__main__":
    main()
