-- Wirehouse warehouse, version 6: which channel supplied each stored field of an article.
--
-- A load merges an article field by field (warehouse/article_merge.py): a stored value is never replaced by an
-- empty one, and a value from a stronger channel (the REST API over the article page over the feed) is only
-- replaced by a weaker channel's when the site reports the article modified. field_channels records, per field,
-- the channel whose value is stored, so the next load knows what it may overwrite.
--
-- Rows loaded before version 6 get the channel of the parser that produced them, for every field they hold.

ALTER TABLE articles ADD COLUMN field_channels STRUCT(
    title VARCHAR, deck VARCHAR, body VARCHAR, published_at VARCHAR, modified_at VARCHAR, categories VARCHAR,
    tags VARCHAR, post_id VARCHAR, url VARCHAR, byline VARCHAR
);

UPDATE articles AS a SET field_channels = struct_pack(
    title := CASE WHEN a.title <> '' THEN c.channel END,
    deck := CASE WHEN coalesce(a.deck, '') <> '' THEN c.channel END,
    body := CASE WHEN a.body_text <> '' THEN c.channel END,
    published_at := CASE WHEN a.published_at IS NOT NULL THEN c.channel END,
    modified_at := CASE WHEN a.modified_at IS NOT NULL THEN c.channel END,
    categories := CASE WHEN len(a.categories) > 0 THEN c.channel END,
    tags := CASE WHEN len(a.tags) > 0 THEN c.channel END,
    post_id := CASE WHEN a.post_id IS NOT NULL THEN c.channel END,
    url := CASE WHEN a.url <> '' THEN c.channel END,
    byline := CASE WHEN c.has_byline THEN c.channel END
)
FROM (
    SELECT article_id,
           CASE parser WHEN 'wordpress_rest' THEN 'rest' WHEN 'feed' THEN 'feed' ELSE 'page' END AS channel,
           article_id IN (SELECT article_id FROM article_authors) AS has_byline
    FROM articles
) AS c
WHERE c.article_id = a.article_id;

COMMENT ON COLUMN articles.field_channels IS 'Which channel supplied each stored field (rest: the site''s REST API, page: the article page, feed: the feed): field_channels.title, .deck, .body (with body_html and word_count), .published_at, .modified_at, .categories, .tags, .post_id, .url, .byline (article_authors); NULL where the field is empty. A weaker channel fills empty fields but replaces a stronger one''s value only when the site reports the article modified.';
COMMENT ON COLUMN articles.parser IS 'Which parser produced the stored body (wordpress_rest, site_html, generic).';
COMMENT ON COLUMN articles.updated_at IS 'When a load last changed the article, its byline or the channel of one of its fields (UTC); unchanged reloads leave it alone.';
