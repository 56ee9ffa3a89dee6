"""Render a snapshot site's non-REST pages (feed, article pages, archives, robots.txt, 404) from its JSON.

The per-post REST JSON (`<host>/posts/ID.json`), comments JSON (`<host>/comments/POST_ID.json`) and
`<host>/site.json` (the names the feed and pages print, decks, bios) are the only stored data; pages
are rendered from them once, when the site is loaded, so they can never drift from the REST answers.
The markup copies each real site's theme: news.antiwar.com's, a classic WordPress theme for the blog,
Divi for original.antiwar.com.
"""

from __future__ import annotations

from email.utils import format_datetime
from pathlib import Path

from testing.snapshot.site_data import HTML_TYPE, RSS_TYPE, TEXT_TYPE, Page, Site, excerpt_text, gmt, newest
from testing.snapshot.themes import blog_article, build_divi_site, build_wordpress_site, classic_page, news_article

__all__ = ["NOT_FOUND", "ROBOTS", "Page", "Site", "feed", "news_article", "render_site"]

NOT_FOUND = "404"  # key of the page served for unknown paths


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

