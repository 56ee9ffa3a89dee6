"""Render a snapshot site's non-REST pages (feed, article pages, archives, robots.txt, 404) from its JSON.

The per-post REST JSON (`<host>/posts/ID.json`), comments JSON (`<host>/comments/POST_ID.json`) and
`<host>/site.json` (the names the feed and pages print, decks, bios) are the only stored data; pages
are rendered from them once, when the site is loaded, so they can never drift from the REST answers.
The markup copies each real site's theme: news.antiwar.com's, a classic WordPress theme for the blog,
Divi for original.antiwar.com.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

HTML_TYPE = "text/html; charset=UTF-8"
RSS_TYPE = "application/rss+xml; charset=UTF-8"
TEXT_TYPE = "text/plain; charset=UTF-8"

Post = dict[str, Any]
Comment = dict[str, Any]
NOT_FOUND = "404"  # key of the page served for unknown paths


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


# ---------------------------------------------------------------- page frames


def head(site: Site, title: str, post: Post | None, extra: str = "") -> str:
    feed = f"{site.home}feed/"
    meta = ""
    if post is not None:
        meta = (f'<link rel="canonical" href="{post["link"]}" />\n'
                f"<link rel='shortlink' href='https://{site.host}{site.home_path}?p={post['id']}' />\n"
                f'<meta property="og:type" content="article" />\n'
                f'<meta property="og:title" content="{post["title"]["rendered"]}" />\n'
                f'<meta property="og:url" content="{post["link"]}" />\n'
                f'<meta property="og:site_name" content="{site.meta["title"]}" />\n'
                f'<meta property="article:published_time" content="{post["date_gmt"]}+00:00" />\n'
                f'<meta property="article:modified_time" content="{post["modified_gmt"]}+00:00" />\n')
        if site.meta["rest"] == "open":
            meta += (f'<link rel="alternate" type="application/json" href="{site.home}wp-json/wp/v2/posts/'
                     f'{post["id"]}" />\n')
    return (f'<!DOCTYPE html>\n<html lang="en-US">\n<head>\n<meta charset="UTF-8" />\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1" />\n'
            f"<title>{title}</title>\n"
            f'<link rel="alternate" type="application/rss+xml" title="{site.meta["title"]} &raquo; Feed"'
            f' href="{feed}" />\n<link rel="https://api.w.org/" href="{site.home}wp-json/" />\n{meta}{extra}'
            "</head>\n")


NAV_LINKS = (("Home", "https://www.antiwar.com/"), ("News", "https://news.antiwar.com/"),
             ("Original", "https://original.antiwar.com/"), ("Blog", "https://www.antiwar.com/blog/"),
             ("Donate", "https://www.antiwar.com/donate/"))


def nav(menu_id: str = "primary-menu") -> str:
    items = "".join(f'<li class="menu-item"><a href="{href}">{label}</a></li>' for label, href in NAV_LINKS)
    return f'<ul id="{menu_id}" class="menu nav">{items}</ul>'


def sidebar(site: Site) -> str:
    recent = "".join(
        f'<li class="recentcomments"><span class="comment-author-link">{html.escape(c["author_name"])}</span>'
        f' on <a href="{p["link"]}#comment-{c["id"]}">{p["title"]["rendered"]}</a></li>'
        for c, p in site.recent_comments())
    posts = "".join(f'<li><a href="{p["link"]}">{p["title"]["rendered"]}</a></li>' for p in site.posts[:5])
    return ('<aside id="secondary" class="widget-area">\n'
            '<section id="recent-posts-2" class="widget widget_recent_entries"><h2 class="widget-title">'
            f"Recent Posts</h2><ul>{posts}</ul></section>\n"
            '<section id="recent-comments-2" class="widget widget_recent_comments"><h2 class="widget-title">'
            f'Recent Comments</h2><ul id="recentcomments">{recent}</ul></section>\n</aside><!-- #secondary -->\n')


def footer(site: Site) -> str:
    return ('<footer id="colophon" class="site-footer"><div class="site-info">'
            f'<p>Copyright 2026 <a href="https://www.antiwar.com/">Antiwar.com</a> &middot; '
            f'<a href="{site.home}feed/">RSS</a> &middot; <a href="https://www.antiwar.com/privacy/">'
            'Privacy Policy</a></p></div></footer>\n')


def classic_page(site: Site, title: str, body_class: str, main: str, post: Post | None = None) -> str:
    """The frame shared by news.antiwar.com and the blog: header, menu, main column, sidebar, footer."""
    return (head(site, title, post) + f'<body class="{body_class}">\n<div id="page" class="site">\n'
            '<a class="skip-link screen-reader-text" href="#content">Skip to content</a>\n'
            '<header id="masthead" class="site-header"><div class="site-branding">'
            f'<p class="site-title"><a href="{site.home}" rel="home">{site.meta["title"]}</a></p>'
            f'<p class="site-description">{site.meta["description"]}</p></div>\n'
            f'<nav id="site-navigation" class="main-navigation">{nav()}</nav></header>\n'
            '<div id="content" class="site-content">\n<div id="primary" class="content-area">\n'
            f'<main id="main" class="site-main">\n{main}</main><!-- #main -->\n</div><!-- #primary -->\n'
            f"{sidebar(site)}</div><!-- #content -->\n{footer(site)}</div><!-- #page -->\n</body>\n</html>\n")


def post_navigation(site: Site, post: Post) -> str:
    index = site.posts.index(post)
    older = site.posts[index + 1] if index + 1 < len(site.posts) else None
    newer = site.posts[index - 1] if index > 0 else None
    links = ""
    if older:
        links += (f'<div class="nav-previous"><a href="{older["link"]}" rel="prev"><span class="meta-nav">'
                  f'Previous</span> {older["title"]["rendered"]}</a></div>')
    if newer:
        links += (f'<div class="nav-next"><a href="{newer["link"]}" rel="next"><span class="meta-nav">Next'
                  f'</span> {newer["title"]["rendered"]}</a></div>')
    return f'<nav class="navigation post-navigation" aria-label="Posts"><div class="nav-links">{links}</div></nav>\n'


def comments_area(site: Site, post: Post, html5: bool) -> str:
    thread = site.approved(post)
    if not thread:
        return f'<div id="comments" class="comments-area">\n{respond_form(post)}\n</div><!-- #comments -->\n'
    noun = "thought" if len(thread) == 1 else "thoughts"
    return (f'<div id="comments" class="comments-area">\n<h2 class="comments-title">{len(thread)} {noun} on'
            f' &ldquo;{post["title"]["rendered"]}&rdquo;</h2>\n{comment_tree(site, post, html5)}'
            f"{respond_form(post)}\n</div><!-- #comments -->\n")


def post_classes(site: Site, post: Post) -> str:
    return " ".join(post["class_list"])


def entry_dates(post: Post) -> str:
    published = local_iso(post["date"], post["date_gmt"])
    stamp = f'<time class="entry-date published" datetime="{published}">{long_date(post["date"])}</time>'
    if post["modified_gmt"] != post["date_gmt"]:
        updated = local_iso(post["modified"], post["modified_gmt"])
        stamp += f'<time class="updated" datetime="{updated}">{long_date(post["modified"])}</time>'
    return f'<span class="posted-on"><a href="{post["link"]}" rel="bookmark">{stamp}</a></span>'


def tag_footer(site: Site, post: Post) -> str:
    cats = ", ".join(f'<a href="{c["link"]}" rel="category tag">{c["name"]}</a>' for c in site.categories(post))
    tags = ", ".join(f'<a href="{t["link"]}" rel="tag">{t["name"]}</a>' for t in site.tags(post))
    tagged = f' <span class="tags-links">Tagged {tags}</span>' if tags else ""
    return f'<footer class="entry-footer"><span class="cat-links">Posted in {cats}</span>{tagged}</footer>\n'


# ---------------------------------------------------------------- news.antiwar.com


def news_article(site: Site, post: Post) -> str:
    deck = site.deck(post)
    byline = html.escape(site.byline(post))
    main = (f'<article id="post-{post["id"]}" class="{post_classes(site, post)}">\n'
            f'<header class="entry-header">\n<h1 class="entry-title">{post["title"]["rendered"]}</h1>\n'
            + (f'<span class="pagesub">{deck}</span>\n' if deck else "")
            + f'<div class="entry-meta">{entry_dates(post)}</div>\n</header><!-- .entry-header -->\n'
            f'<div class="entry-content">\n{post["content"]["rendered"]}\n'
            f"<p>Author: {byline}</p>\n<p>{site.bio(post)}</p>\n{share_block(post, header=False)}\n"
            f"</div><!-- .entry-content -->\n{tag_footer(site, post)}</article><!-- #post-{post['id']} -->\n"
            f"{post_navigation(site, post)}{comments_area(site, post, html5=False)}")
    title = f"{post['title']['rendered']} &#8211; {site.meta['title']}"
    return classic_page(site, title, f"post-template-default single single-post postid-{post['id']}", main, post)


def front_list(site: Site, posts: list[Post], heading: str, title_class: str) -> str:
    items = ""
    for post in posts:
        deck = site.deck(post)
        items += (f'<article id="post-{post["id"]}" class="{post_classes(site, post)}">\n'
                  f'<h2 class="{title_class}"><a href="{post["link"]}" rel="bookmark">'
                  f'{post["title"]["rendered"]}</a></h2>\n'
                  + (f'<span class="pagesub">{deck}</span>\n' if deck else "")
                  + f'<div class="entry-meta">{entry_dates(post)} <span class="byline">'
                  f"{html.escape(site.byline(post))}</span></div>\n"
                  f'<div class="entry-summary">\n{post["excerpt"]["rendered"]}</div>\n</article>\n')
    header = f'<header class="page-header"><h1 class="page-title">{heading}</h1></header>\n' if heading else ""
    return header + items


def build_wordpress_site(site: Site, article: Callable[[Site, Post], str], title_class: str) -> None:
    """Article pages, day archives and the front page of a WordPress site with an open REST API."""
    for post in site.posts:
        path = post["link"].removeprefix(f"https://{site.host}")
        site.write(path, article(site, post), HTML_TYPE, page_modified(site, post))
    days: dict[str, list[Post]] = {}
    for post in site.posts:
        days.setdefault(post["date"][:10], []).append(post)
    for day, posts in days.items():
        heading = f"Day: <span>{long_date(day + 'T00:00:00')}</span>"
        main = front_list(site, posts, heading, title_class)
        page = classic_page(site, f"{long_date(day + 'T00:00:00')} &#8211; {site.meta['title']}",
                            "archive date", main)
        site.write(f"{site.home_path}{day.replace('-', '/')}/", page, HTML_TYPE,
                   newest(p["modified_gmt"] for p in posts))
    front = classic_page(site, site.meta["title"], "home blog", front_list(site, site.posts[:10], "", title_class))
    site.write(site.home_path, front, HTML_TYPE, newest(p["modified_gmt"] for p in site.posts[:10]))


# ---------------------------------------------------------------- www.antiwar.com/blog


def blog_article(site: Site, post: Post) -> str:
    slug = site.user_slug(post)
    main = (f'<article id="post-{post["id"]}" class="{post_classes(site, post)}">\n'
            f'<header class="entry-header">\n<h1 class="entry-title">{post["title"]["rendered"]}</h1>\n'
            f'<div class="entry-meta"><span class="byline">By <span class="author vcard"><a class="url fn n"'
            f' href="{site.home}author/{slug}/">{html.escape(site.byline(post))}</a></span></span> '
            f"{entry_dates(post)}</div>\n</header><!-- .entry-header -->\n"
            f'<div class="entry-content">\n{post["content"]["rendered"]}\n{share_block(post, header=False)}\n'
            f"</div><!-- .entry-content -->\n{tag_footer(site, post)}</article><!-- #post-{post['id']} -->\n"
            f"{post_navigation(site, post)}{comments_area(site, post, html5=False)}")
    title = f"{post['title']['rendered']} &#8211; {site.meta['title']}"
    return classic_page(site, title, f"post-template-default single single-post postid-{post['id']}", main, post)


# ---------------------------------------------------------------- original.antiwar.com (Divi)


def divi_page(site: Site, title: str, body_class: str, column: str, side: str, post: Post | None = None) -> str:
    return (head(site, title, post, f'<meta name="author" content="{html.escape(site.byline(post))}" />\n'
                 if post else "")
            + f'<body class="{body_class} et-tb-has-template et-tb-has-body et_pb_button_helper_class'
            ' et_fullwidth_nav et_fixed_nav et_show_nav et_header_style_left et_pb_footer_columns4'
            ' et_cover_background et_pb_gutter et_pb_gutters3 et_divi_theme et-db">\n<div id="page-container">\n'
            '<header id="main-header" data-height-onload="66"><div class="container clearfix et_menu_container">'
            f'<div class="logo_container"><a href="{site.home}"><img src="{site.home}wp-content/uploads/2021/'
            '04/antiwar-logo.png" alt="Antiwar.com Original" id="logo" /></a></div>'
            f'<div id="et-top-navigation"><nav id="top-menu-nav">{nav("top-menu")}</nav></div></div></header>\n'
            '<div id="et-main-area">\n<div id="main-content">\n<div class="et-l et-l--body">\n'
            '<div class="et_builder_inner_content et_pb_gutters3">\n'
            '<div class="et_pb_section et_pb_section_0_tb_body et_section_regular">\n'
            '<div class="et_pb_row et_pb_row_0_tb_body">\n'
            '<div class="et_pb_column et_pb_column_3_4 et_pb_column_0_tb_body et_pb_css_mix_blend_mode_passthrough">\n'
            f"{column}</div>\n"
            '<div class="et_pb_column et_pb_column_1_4 et_pb_column_1_tb_body et_pb_css_mix_blend_mode_passthrough'
            f' et-last-child">\n{side}</div>\n</div><!-- .et_pb_row -->\n</div><!-- .et_pb_section -->\n'
            "</div></div><!-- .et-l -->\n</div><!-- #main-content -->\n"
            '<footer id="main-footer"><div id="footer-bottom"><div class="container clearfix">'
            '<p id="footer-info">Copyright 2026 Antiwar.com &middot; <a href="https://www.antiwar.com/donate/">'
            "Donate</a></p></div></div></footer>\n</div><!-- #et-main-area -->\n</div><!-- #page-container -->\n"
            "</body>\n</html>\n")


def divi_side(site: Site, post: Post | None) -> str:
    by_author = ""
    if post is not None:
        slug = site.user_slug(post)
        others = [p for p in site.posts if site.user_slug(p) == slug and p is not post][:5]
        links = "".join(f'<li><a href="{p["link"]}">{p["title"]["rendered"]}</a></li>' for p in others)
        by_author = ('<div class="et_pb_module et_pb_text et_pb_text_1_tb_body"><div class="et_pb_text_inner">'
                     f"<h4>More by {html.escape(site.byline(post))}</h4><ul>{links or '<li>No other columns</li>'}"
                     "</ul></div></div>\n")
    latest = "".join(f'<li><a href="{p["link"]}">{p["title"]["rendered"]}</a> <span class="author">'
                     f"{html.escape(site.byline(p))}</span></li>" for p in site.posts[:6])
    return (f'{by_author}<div class="et_pb_module et_pb_text et_pb_text_2_tb_body"><div class="et_pb_text_inner">'
            f"<h4>Latest Columns</h4><ul>{latest}</ul></div></div>\n")


def divi_article(site: Site, post: Post) -> str:
    slug, byline = site.user_slug(post), html.escape(site.byline(post))
    published = datetime.fromisoformat(post["date"])
    thread = site.approved(post)
    comments = ""
    if thread:
        noun = "Comment" if len(thread) == 1 else "Comments"
        comments = ('<div class="et_pb_module et_pb_comments_0_tb_body et_pb_comments_module">'
                    f'<section id="comment-wrap"><h1 id="comments" class="page_title">{len(thread)} {noun}</h1>\n'
                    f"{comment_tree(site, post, html5=True)}{respond_form(post)}</section></div>\n")
    bio = site.bio(post)
    bio_box = ('<div class="et_pb_module et_pb_text et_pb_text_0_tb_body author-bio et_pb_text_align_left">'
               f'<div class="et_pb_text_inner"><p><em>{bio}</em></p>'
               f'<p><a href="{site.home}author/{slug}/">Read more by {byline}</a></p></div></div>\n') if bio else ""
    column = ('<div class="et_pb_module et_pb_post_title et_pb_post_title_0_tb_body et_pb_bg_layout_light'
              ' et_pb_text_align_left"><div class="et_pb_title_container">'
              f'<h1 class="entry-title">{post["title"]["rendered"]}</h1><p class="et_pb_title_meta_container">'
              f' by <span class="author vcard"><a href="{site.home}author/{slug}/" title="Posts by {byline}"'
              f' rel="author">{byline}</a></span> | <span class="published">{published:%b} {published.day},'
              f" {published.year}</span></p></div></div>\n"
              '<div class="et_pb_with_border et_pb_module et_pb_post_content et_pb_post_content_0_tb_body">\n'
              f'{post["content"]["rendered"]}\n{share_block(post, header=True)}\n</div>\n{bio_box}{comments}')
    title = f"{post['title']['rendered']} - {site.meta['title']}"
    body_class = f"post-template-default single single-post postid-{post['id']} single-format-standard"
    return divi_page(site, title, body_class, column, divi_side(site, post), post)


def divi_list(site: Site, posts: list[Post], heading: str) -> str:
    items = "".join(
        f'<article id="post-{p["id"]}" class="et_pb_post clearfix {post_classes(site, p)}">'
        f'<h2 class="entry-title"><a href="{p["link"]}">{p["title"]["rendered"]}</a></h2>'
        f'<p class="post-meta">by <span class="author vcard"><a href="{site.home}author/{site.user_slug(p)}/"'
        f' rel="author">{html.escape(site.byline(p))}</a></span></p>'
        f'<div class="post-content"><div class="post-content-inner">{p["excerpt"]["rendered"]}</div></div>'
        "</article>\n" for p in posts)
    return f'<div class="et_pb_module et_pb_blog_0_tb_body"><h1 class="page-title">{heading}</h1>\n{items}</div>\n'


def build_divi_site(site: Site) -> None:
    for post in site.posts:
        site.write(post["link"].removeprefix(f"https://{site.host}"), divi_article(site, post), HTML_TYPE,
                   page_modified(site, post))
    authors: dict[str, list[Post]] = {}
    for post in site.posts:
        authors.setdefault(site.user_slug(post), []).append(post)
    for slug, posts in authors.items():
        name = html.escape(site.byline(posts[0]))
        page = divi_page(site, f"{name}, Author at {site.meta['title']}", "archive author",
                         divi_list(site, posts, name), divi_side(site, None))
        site.write(f"/author/{slug}/", page, HTML_TYPE, newest(p["modified_gmt"] for p in posts))
    front = divi_page(site, site.meta["title"], "home", divi_list(site, site.posts[:10], "Latest Columns"),
                      divi_side(site, None))
    site.write("/", front, HTML_TYPE, newest(p["modified_gmt"] for p in site.posts[:10]))


# ---------------------------------------------------------------- feeds, robots, 404


def feed(site: Site) -> str:
    """RSS 2.0 exactly as WordPress prints it: 10 newest posts, truncated description, no content."""
    posts = site.posts[:10]
    items = ""
    for post in posts:
        link = post["link"]
        if site.meta["feed_utm"]:
            link += f"?utm_source=rss&#038;utm_medium=rss&#038;utm_campaign={post['slug']}"
        count = len(site.approved(post))
        anchor = "#comments" if count else "#respond"
        terms = [*site.categories(post), *site.tags(post)]
        categories = "".join(f"\t\t<category><![CDATA[{t['name']}]]></category>\n" for t in terms)
        items += (f"\t<item>\n\t\t<title>{post['title']['rendered']}</title>\n\t\t<link>{link}</link>\n"
                  f"\t\t\t\t\t<comments>{post['link']}{anchor}</comments>\n\t\t\n"
                  f"\t\t<dc:creator><![CDATA[{site.byline(post)}]]></dc:creator>\n"
                  f"\t\t<pubDate>{format_datetime(gmt(post['date_gmt']), usegmt=False)}</pubDate>\n"
                  f"\t\t{categories.lstrip()}"
                  f"\t\t<guid isPermaLink=\"false\">{post['guid']['rendered']}</guid>\n\n"
                  f"\t\t\t\t\t<description><![CDATA[{excerpt_text(post)}]]></description>\n\t\t\n"
                  f"\t\t\t\t\t<wfw:commentRss>{post['link']}feed/</wfw:commentRss>\n"
                  f"\t\t\t<slash:comments>{count}</slash:comments>\n\t\t\n\t\t\n"
                  f"\t\t<post-id xmlns=\"com-wordpress:feed-additions:1\">{post['id']}</post-id>\t</item>\n")
    built = format_datetime(gmt(newest(p["modified_gmt"] for p in posts)), usegmt=False)
    home = site.home.rstrip("/")
    return ('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"\n'
            '\txmlns:content="http://purl.org/rss/1.0/modules/content/"\n'
            '\txmlns:wfw="http://wellformedweb.org/CommentAPI/"\n\txmlns:dc="http://purl.org/dc/elements/1.1/"\n'
            '\txmlns:atom="http://www.w3.org/2005/Atom"\n\txmlns:sy="http://purl.org/rss/1.0/modules/syndication/"\n'
            '\txmlns:slash="http://purl.org/rss/1.0/modules/slash/"\n\t>\n\n<channel>\n'
            f"\t<title>{site.meta['title']}</title>\n"
            f'\t<atom:link href="{site.home}feed/" rel="self" type="application/rss+xml" />\n'
            f"\t<link>{home}</link>\n\t<description>{site.meta['description']}</description>\n"
            f"\t<lastBuildDate>{built}</lastBuildDate>\n\t<language>en-US</language>\n"
            "\t<sy:updatePeriod>\n\thourly\t</sy:updatePeriod>\n\t<sy:updateFrequency>\n\t1\t</sy:updateFrequency>\n"
            "\t<generator>https://wordpress.org/?v=7.0</generator>\n"
            f'<site xmlns="com-wordpress:feed-additions:1">{site.meta["feed_site_id"]}</site>'
            f"{items}\t</channel>\n</rss>\n")


ROBOTS = {
    "news.antiwar.com": "User-agent: *\nDisallow: /wp-admin/\nAllow: /wp-admin/admin-ajax.php\n",
    "original.antiwar.com": "User-agent: *\nDisallow: /wp-admin/\nAllow: /wp-admin/admin-ajax.php\n",
    "www.antiwar.com": (
        "# The real www.antiwar.com asks every crawler for Crawl-delay: 10. This snapshot keeps the\n"
        "# directive but gives it to a named bot only, so the offline demo is not slowed to one request\n"
        "# per ten seconds while robots.txt handling (groups, delays) is still exercised.\n"
        "User-agent: *\nDisallow: /cgi-bin/\nDisallow: /blog/wp-admin/\nAllow: /blog/wp-admin/admin-ajax.php\n\n"
        "User-agent: SlowCrawler\nCrawl-delay: 10\nDisallow: /past/\n"),
}


def not_found_page(site: Site) -> str:
    main = ('<section class="error-404 not-found"><header class="page-header"><h1 class="page-title">'
            "Oops! That page can&rsquo;t be found.</h1></header><div class=\"page-content\"><p>It looks like"
            " nothing was found at this location.</p></div></section>\n")
    return classic_page(site, f"Page not found &#8211; {site.meta['title']}", "error404", main)


def render_site(folder: Path) -> tuple[Site, dict[str, Page]]:
    """Load one site folder and render every page it serves, keyed by URL path (plus NOT_FOUND)."""
    site = Site(folder)
    theme = site.meta["theme"]
    if theme == "divi":
        build_divi_site(site)
    else:
        build_wordpress_site(site, news_article if theme == "news" else blog_article,
                             "front-entry-title" if theme == "news" else "entry-title")
    latest = newest(p["modified_gmt"] for p in site.posts)
    site.write(f"{site.home_path}feed/", feed(site), RSS_TYPE, newest(p["modified_gmt"] for p in site.posts[:10]))
    site.write("/robots.txt", ROBOTS[site.host], TEXT_TYPE, latest)
    site.write(NOT_FOUND, not_found_page(site), HTML_TYPE, latest)
    return site, site.pages
