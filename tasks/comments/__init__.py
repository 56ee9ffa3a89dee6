"""Reader comments from every comment system a news site uses, chosen per page by one detector.

- `registry`: the systems in the order they are tried; at fetch time what the page's system needs beyond the
  page (`fetch_comment_channels`), at parse time the thread from what was fetched (`resolve_comments`), and
  which system re-reads a loaded thread by itself (`refresher`).
- one package per system: `wordpress_rest`, `wordpress_markup`, `comment_feed`, `disqus`, `generic`, each a
  `CommentSystem` (base.py: detect, fetch, read, refresh).
- `detect`: what a page shows (Disqus embed, WordPress comment list, comment pages, a per-post comment feed).
- `sections`: the thread as the warehouse records it (only a complete read may mark stored comments deleted).

`comments_complete` says the whole thread was read, which is what lets the load mark stored comments that are
missing from it as deleted. So it is only set for reads that can vouch for absence: an API that answered every
page (WordPress REST, Disqus), a WordPress list with every comment page and the site's own comment ids, a
comment feed holding as many comments as the site counts. Markup that shows no comments proves nothing (a
theme change, comments drawn by script), and ids made up from positions shift when a comment is added.
"""
