"""A snapshot site's data (its stored REST JSON and site.json) and the helpers every theme's markup shares:
dates as WordPress prints them, avatars, share blocks, and comment threads as WordPress's Walker_Comment draws
them."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

HTML_TYPE = "text/html; charset=UTF-8"
RSS_TYPE = "application/rss+xml; charset=UTF-8"
TEXT_TYPE = "text/plain; charset=UTF-8"

Post = dict[str, Any]
Comment = dict[str, Any]


@dataclass(frozen=True)
class Page:
    body: bytes
    content_type: str
    modified: datetime  # becomes Last-Modified


# ---------------------------------------------------------------- site data


class Site:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.meta: dict[str, Any] = json.loads((folder / "site.json").read_text())
        self.host: str = self.meta["host"]
        self.home_path: str = self.meta["home"]
        self.home = f"https://{self.host}{self.home_path}"
        posts = [json.loads(p.read_text()) for p in (folder / "posts").glob("*.json")]
        self.posts: list[Post] = sorted(posts, key=lambda p: p["date_gmt"], reverse=True)
        self.comments: dict[int, list[Comment]] = {}
        for path in (folder / "comments").glob("*.json"):
            thread = json.loads(path.read_text())
            self.comments[int(path.stem)] = sorted(thread, key=lambda c: (c["date_gmt"], c["id"]))
        self.pages: dict[str, Page] = {}

    def user_slug(self, post: Post) -> str:
        return str(post["_embedded"]["author"][0]["slug"])

    def byline(self, post: Post) -> str:
        """The name the feed and the page print, which need not be the REST user's name."""
        user = post["_embedded"]["author"][0]
        return str(self.meta["bylines"].get(user["slug"], user["name"]))

    def bio(self, post: Post) -> str:
        user = post["_embedded"]["author"][0]
        return str(self.meta["bios"].get(user["slug"], html.escape(user["description"])))

    def deck(self, post: Post) -> str | None:
        return self.meta["decks"].get(str(post["id"]))

    def tags(self, post: Post) -> list[dict[str, Any]]:
        return list(post["_embedded"]["wp:term"][1])

    def categories(self, post: Post) -> list[dict[str, Any]]:
        return list(post["_embedded"]["wp:term"][0])

    def approved(self, post: Post) -> list[Comment]:
        return [c for c in self.comments.get(post["id"], []) if c["status"] == "approved"]

    def recent_comments(self, limit: int = 5) -> list[tuple[Comment, Post]]:
        by_id = {p["id"]: p for p in self.posts}
        pairs = [(c, by_id[pid]) for pid, thread in self.comments.items() for c in thread]
        return sorted(pairs, key=lambda cp: cp[0]["date_gmt"], reverse=True)[:limit]

    def write(self, url_path: str, body: str, content_type: str, modified: str) -> None:
        """Keep one rendered page; `modified` (UTC, ISO) becomes its Last-Modified."""
        self.pages[url_path] = Page(body.encode("utf-8"), content_type, gmt(modified))


# ---------------------------------------------------------------- formatting helpers


def gmt(value: str) -> datetime:
    return datetime.fromisoformat(value).replace(tzinfo=UTC)


def local_iso(local: str, gmt_value: str) -> str:
    """`2026-06-30T13:12:40-04:00` from WordPress's paired local and GMT fields."""
    offset = datetime.fromisoformat(local) - datetime.fromisoformat(gmt_value)
    hours = int(offset / timedelta(hours=1))
    return f"{local}{'-' if hours < 0 else '+'}{abs(hours):02d}:00"


def long_date(local: str) -> str:
    d = datetime.fromisoformat(local)
    return f"{d:%B} {d.day}, {d.year}"


def comment_when(local: str) -> str:
    d = datetime.fromisoformat(local)
    return f"{long_date(local)} at {d.hour % 12 or 12}:{d:%M} {'am' if d.hour < 12 else 'pm'}"


def newest(values: Iterable[str]) -> str:
    return max(values, default="2026-07-03T00:00:00")


def page_modified(site: Site, post: Post) -> str:
    return newest([post["modified_gmt"], *(c["date_gmt"] for c in site.approved(post))])


def excerpt_text(post: Post) -> str:
    text = re.sub(r"<[^>]+>", "", post["excerpt"]["rendered"]).strip()
    return text.replace("[&hellip;]", "[&#8230;]")


def avatar(comment: Comment, size: int) -> str:
    src = comment["author_avatar_urls"]["48"].replace("s=48", f"s={size}").replace("&", "&#038;")
    return (f"<img alt='' src='{src}' class='avatar avatar-{size} photo' height='{size}' width='{size}'"
            " loading='lazy' decoding='async'/>")


def share_block(post: Post, header: bool) -> str:
    """AddToAny's share buttons, appended to the content by the plugin: icons only, no body text."""
    link = post["link"]
    buttons = "".join(
        f'<a class="a2a_button_{net}" href="https://www.addtoany.com/add_to/{net}?linkurl={link}"'
        f' title="{label}" rel="nofollow noopener" target="_blank"></a>'
        for net, label in (("facebook", "Facebook"), ("x", "X"), ("email", "Email")))
    head = '<div class="addtoany_header">Share this:</div>' if header else ""
    return (f'<div class="addtoany_share_save_container addtoany_content addtoany_content_bottom">{head}'
            f'<div class="a2a_kit a2a_kit_size_32 addtoany_list" data-a2a-url="{link}"'
            f' data-a2a-title="{post["title"]["rendered"]}">{buttons}'
            '<a class="a2a_dd addtoany_share_save addtoany_share" href="https://www.addtoany.com/share"></a>'
            "</div></div>")


# ---------------------------------------------------------------- comments (WordPress's Walker_Comment)


def comment_tree(site: Site, post: Post, html5: bool) -> str:
    """Threaded comments, oldest first, in the markup of WordPress's comment walker."""
    thread = site.approved(post)
    children: dict[int, list[Comment]] = {}
    for c in thread:
        children.setdefault(c["parent"], []).append(c)
    counter = {"all": 0, "top": 0}
    child_tag = "ol" if html5 else "ul"

    def render(comment: Comment, depth: int) -> str:
        parity = "even" if counter["all"] % 2 == 0 else "odd alt"
        counter["all"] += 1
        classes = ["comment", parity]
        if depth == 1:
            classes.append("thread-even" if counter["top"] % 2 == 0 else "thread-odd")
            counter["top"] += 1
        classes.append(f"depth-{depth}")
        kids = children.get(comment["id"], [])
        if kids:
            classes.append("parent")
        cid, name = comment["id"], html.escape(comment["author_name"])
        when = (f'<a href="{post["link"]}#comment-{cid}"><time datetime="'
                f'{local_iso(comment["date"], comment["date_gmt"])}">{comment_when(comment["date"])}</time></a>')
        reply = (f"<div class=\"reply\"><a rel='nofollow' class='comment-reply-link' href='{post['link']}"
                 f"?replytocom={cid}#respond' data-commentid=\"{cid}\" data-postid=\"{post['id']}\""
                 f" data-belowelement=\"div-comment-{cid}\" data-respondelement=\"respond\""
                 f" data-replyto=\"Reply to {name}\" aria-label='Reply to {name}'>Reply</a></div>")
        content = comment["content"]["rendered"]
        if html5:
            body = (f'<li id="comment-{cid}" class="{" ".join(classes)}">\n'
                    f'<article id="div-comment-{cid}" class="comment-body">\n<footer class="comment-meta">\n'
                    f'<div class="comment-author vcard">{avatar(comment, 60)} <b class="fn">{name}</b>'
                    ' <span class="says">says:</span></div><!-- .comment-author -->\n'
                    f'<div class="comment-metadata">{when}</div><!-- .comment-metadata -->\n'
                    '</footer><!-- .comment-meta -->\n'
                    f'<div class="comment-content">\n{content}</div><!-- .comment-content -->\n'
                    f'{reply}\n</article><!-- .comment-body -->\n')
        else:
            body = (f'<li class="{" ".join(classes)}" id="comment-{cid}">\n'
                    f'<div id="div-comment-{cid}" class="comment-body">\n'
                    f'<div class="comment-author vcard">\n{avatar(comment, 32)}\t\t\t<cite class="fn">{name}</cite>'
                    ' <span class="says">says:</span>\t\t</div>\n'
                    f'<div class="comment-meta commentmetadata">\n\t{when}\t\t</div>\n'
                    f'<div class="comment-content">\n{content}</div>\n{reply}\n</div>\n')
        if kids:
            inner = "".join(render(k, depth + 1) for k in kids)
            body += f'<{child_tag} class="children">\n{inner}</{child_tag}><!-- .children -->\n'
        return body + "</li><!-- #comment-## -->\n"

    items = "".join(render(c, 1) for c in children.get(0, []))
    return f'<ol class="commentlist">\n{items}</ol><!-- .commentlist -->\n'


def respond_form(post: Post) -> str:
    return (f'<div id="respond" class="comment-respond"><h3 id="reply-title" class="comment-reply-title">'
            f'Leave a Reply</h3><form action="https://{post["link"].split("/")[2]}/wp-comments-post.php"'
            ' method="post" id="commentform" class="comment-form"><p class="comment-form-comment">'
            '<label for="comment">Comment</label><textarea id="comment" name="comment" rows="8"></textarea></p>'
            '<p class="form-submit"><input name="submit" type="submit" id="submit" class="submit"'
            f' value="Post Comment" /><input type="hidden" name="comment_post_ID" value="{post["id"]}" />'
            '</p></form></div><!-- #respond -->')


