"""The three snapshot sites' themes: news.antiwar.com's, a classic WordPress theme for the blog, Divi for
original.antiwar.com; page frames, article pages, front and archive lists."""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import datetime

from testing.snapshot.site_data import (
    HTML_TYPE,
    Post,
    Site,
    comment_tree,
    local_iso,
    long_date,
    newest,
    page_modified,
    respond_form,
    share_block,
)

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


