"""Reader comments from every comment system a news site uses, chosen per page by one detector.

- `detect`: what a page shows (Disqus embed, WordPress comment list, comment pages, a per-post comment feed)
  and which system its comments are read from.
- `channels`: at fetch time, what the chosen system needs beyond the page (other comment pages, the comment
  feed, the Disqus API); `disqus`, `feeds`, `pages` read each channel.
- `resolve`: at parse time, the article's comments from whatever was fetched, and whether the read is complete
  (only a complete read may mark stored comments deleted).
- `sections` and `refresh`: the thread as the warehouse records it, and re-reading threads of recent articles.
"""
