-- Issue 13 item 8: stored HTML is cleaned with an allowlist (nh3) instead of a javascript: denylist.
-- The cleaning itself is Python: warehouse/resanitize.py runs right after this file, in the same transaction
-- (warehouse/migrate.py PYTHON_STEPS), and re-cleans every HTML column below that older versions stored.

COMMENT ON COLUMN articles.body_html IS 'Body as sanitized HTML, safe to render: allowlisted tags and attributes only (no scripts, styles, event handlers, frames or unknown tags), link and image URLs http, https or mailto, relative ones resolved against the article URL.';
COMMENT ON COLUMN article_versions.body_html IS 'Body of this version as sanitized HTML, cleaned like articles.body_html.';
COMMENT ON COLUMN comments.html IS 'Comment as sanitized HTML, safe to render: cleaned like articles.body_html (allowlisted tags and attributes, URLs http, https or mailto only, relative ones resolved against the article URL).';
COMMENT ON COLUMN comment_versions.html IS 'Comment as sanitized HTML in this version, cleaned like comments.html.';
