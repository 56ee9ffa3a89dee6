-- Wirehouse warehouse, version 5: fast comment loads and views that leave deleted comments out.
--
-- comments loses its PRIMARY KEY. DuckDB keeps a primary key as an in-memory ART index that every insert
-- probes and every checkpoint rewrites, so with a million comments it cost most of each batch's load time and
-- a resident index that grows with the table. Uniqueness of comment_id is kept by the loader instead: a thread
-- is inserted whole only when none of it is stored, and otherwise diffed against the stored rows of that same
-- article (warehouse/load.py); tests check that no load sequence, crash or refresh duplicates a comment.
-- DuckDB cannot drop a constraint, so the table is rebuilt (same columns, same order) and views rebind to it.
--
-- comment_sections.thread_digest fingerprints the last read of each thread, so a read that shows exactly the
-- same comments (most nightly and refresh reads) costs one comparison instead of a diff of every comment.

CREATE TABLE comments_v5 (
    comment_id VARCHAR NOT NULL,
    article_id VARCHAR NOT NULL,
    site_comment_id VARCHAR NOT NULL,
    parent_id VARCHAR,
    depth INTEGER NOT NULL,
    position INTEGER NOT NULL,
    author_name VARCHAR NOT NULL,
    posted_at TIMESTAMPTZ,
    text VARCHAR NOT NULL,
    html VARCHAR NOT NULL,
    content_hash VARCHAR NOT NULL,
    first_seen_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    commenter_id VARCHAR,
    edited_at TIMESTAMPTZ,
    deleted_at TIMESTAMPTZ
);
INSERT INTO comments_v5 SELECT * FROM comments ORDER BY article_id, comment_id;
DROP TABLE comments;
ALTER TABLE comments_v5 RENAME TO comments;

COMMENT ON TABLE comments IS 'Reader comments, one row per comment_id, never hard-deleted: one gone from a completely read thread gets deleted_at. Use the comment_threads view to read a thread in order.';
COMMENT ON COLUMN comments.comment_id IS 'Stable id of the comment (derived from article_id and site_comment_id).';
COMMENT ON COLUMN comments.article_id IS 'Article the comment is on (articles.article_id).';
COMMENT ON COLUMN comments.site_comment_id IS 'The site''s own comment id (e.g. 5 from id="comment-5"), or a position-based one.';
COMMENT ON COLUMN comments.parent_id IS 'comment_id of the comment this replies to; NULL for a top-level comment.';
COMMENT ON COLUMN comments.depth IS 'Nesting level as the site shows it, 0 for a top-level comment.';
COMMENT ON COLUMN comments.position IS 'Order among its siblings (same parent), from 0.';
COMMENT ON COLUMN comments.author_name IS 'Commenter name as shown.';
COMMENT ON COLUMN comments.posted_at IS 'When the comment was posted (UTC), if shown.';
COMMENT ON COLUMN comments.text IS 'Comment as plain text.';
COMMENT ON COLUMN comments.html IS 'Comment as sanitized HTML (no scripts, styles, event handlers or unknown tags).';
COMMENT ON COLUMN comments.content_hash IS 'Hash of the comment content; a change means the comment was edited.';
COMMENT ON COLUMN comments.first_seen_at IS 'When the comment was first loaded (UTC).';
COMMENT ON COLUMN comments.updated_at IS 'When a load last changed the comment (UTC).';
COMMENT ON COLUMN comments.commenter_id IS 'Who wrote it (commenters.commenter_id); NULL when the comment shows no name.';
COMMENT ON COLUMN comments.edited_at IS 'When a read last found the comment''s text changed (UTC); the earlier text is in comment_versions. NULL if never edited.';
COMMENT ON COLUMN comments.deleted_at IS 'When a complete read of the thread first no longer found the comment (UTC); NULL while it is shown. Cleared if it reappears.';

ALTER TABLE comment_sections ADD COLUMN thread_digest VARCHAR;
COMMENT ON COLUMN comment_sections.thread_digest IS 'Fingerprint (md5) of the comments the last read showed (ids, texts, places); a read with the same fingerprint changes nothing. NULL until the first read after version 5.';

-- The activity views count the comments a thread shows now: deleted ones (deleted_at set) are left out.
CREATE OR REPLACE VIEW daily_articles AS
WITH dated AS (
    SELECT a.article_id, a.source, CAST(timezone('UTC', a.published_at) AS DATE) AS day, a.word_count
    FROM articles AS a
    WHERE a.published_at IS NOT NULL
), authors_per_day AS (
    SELECT d.source, d.day, count(DISTINCT aa.author_id) AS authors
    FROM dated AS d JOIN article_authors AS aa ON aa.article_id = d.article_id
    GROUP BY d.source, d.day
), comments_per_article AS (
    SELECT article_id, count(*) AS comments FROM comments WHERE deleted_at IS NULL GROUP BY article_id
)
SELECT
    d.source,
    d.day,
    count(*) AS articles,
    sum(d.word_count) AS words,
    coalesce(any_value(ad.authors), 0) AS authors,
    coalesce(sum(c.comments), 0) AS comments
FROM dated AS d
LEFT JOIN authors_per_day AS ad ON ad.source = d.source AND ad.day = d.day
LEFT JOIN comments_per_article AS c ON c.article_id = d.article_id
GROUP BY d.source, d.day;
COMMENT ON VIEW daily_articles IS 'Articles published per source and UTC day, with their words, lead authors and loaded comments.';
COMMENT ON COLUMN daily_articles.source IS 'Source (sources.name).';
COMMENT ON COLUMN daily_articles.day IS 'Publication day (UTC).';
COMMENT ON COLUMN daily_articles.articles IS 'Articles published that day.';
COMMENT ON COLUMN daily_articles.words IS 'Words in their bodies.';
COMMENT ON COLUMN daily_articles.authors IS 'Distinct authors in those articles'' bylines.';
COMMENT ON COLUMN daily_articles.comments IS 'Comments shown on those articles (whenever posted; deleted ones left out).';

CREATE OR REPLACE VIEW article_comment_activity AS
SELECT
    a.article_id,
    a.source,
    a.title,
    a.url,
    a.published_at,
    count(c.comment_id) AS comments,
    count(DISTINCT c.author_name) AS commenters,
    count(c.parent_id) AS replies,
    coalesce(max(c.depth), 0) AS max_depth,
    min(c.posted_at) AS first_comment_at,
    max(c.posted_at) AS last_comment_at,
    a.comment_count_hint
FROM articles AS a
LEFT JOIN comments AS c ON c.article_id = a.article_id AND c.deleted_at IS NULL
GROUP BY a.article_id, a.source, a.title, a.url, a.published_at, a.comment_count_hint;
COMMENT ON VIEW article_comment_activity IS 'Comment activity per article: how many comments, commenters and replies, how deep, and when.';
COMMENT ON COLUMN article_comment_activity.article_id IS 'Article (articles.article_id).';
COMMENT ON COLUMN article_comment_activity.source IS 'Source (sources.name).';
COMMENT ON COLUMN article_comment_activity.title IS 'Headline.';
COMMENT ON COLUMN article_comment_activity.url IS 'Canonical article URL.';
COMMENT ON COLUMN article_comment_activity.published_at IS 'Publication time (UTC).';
COMMENT ON COLUMN article_comment_activity.comments IS 'Comments the article shows (deleted ones left out).';
COMMENT ON COLUMN article_comment_activity.commenters IS 'Distinct commenter names.';
COMMENT ON COLUMN article_comment_activity.replies IS 'Comments that reply to another comment.';
COMMENT ON COLUMN article_comment_activity.max_depth IS 'Deepest nesting level, 0 when there are no replies.';
COMMENT ON COLUMN article_comment_activity.first_comment_at IS 'Earliest comment time (UTC).';
COMMENT ON COLUMN article_comment_activity.last_comment_at IS 'Latest comment time (UTC).';
COMMENT ON COLUMN article_comment_activity.comment_count_hint IS 'Comment count the site advertised, to compare with comments.';

CREATE OR REPLACE VIEW daily_comments AS
SELECT
    a.source,
    CAST(timezone('UTC', c.posted_at) AS DATE) AS day,
    count(*) AS comments,
    count(DISTINCT c.author_name) AS commenters,
    count(DISTINCT c.article_id) AS articles,
    count(c.parent_id) AS replies
FROM comments AS c
JOIN articles AS a ON a.article_id = c.article_id
WHERE c.posted_at IS NOT NULL AND c.deleted_at IS NULL
GROUP BY a.source, CAST(timezone('UTC', c.posted_at) AS DATE);
COMMENT ON VIEW daily_comments IS 'Comments posted per source and UTC day (comments without a shown time are left out).';
COMMENT ON COLUMN daily_comments.source IS 'Source of the commented article (sources.name).';
COMMENT ON COLUMN daily_comments.day IS 'Day the comments were posted (UTC).';
COMMENT ON COLUMN daily_comments.comments IS 'Comments posted that day and still shown (deleted ones left out).';
COMMENT ON COLUMN daily_comments.commenters IS 'Distinct commenter names that day.';
COMMENT ON COLUMN daily_comments.articles IS 'Distinct articles commented on that day.';
COMMENT ON COLUMN daily_comments.replies IS 'Of those comments, replies to another comment.';

CREATE OR REPLACE VIEW top_commenters AS
SELECT
    rank() OVER (ORDER BY count(*) DESC) AS rank,
    c.author_name,
    count(*) AS comments,
    count(DISTINCT c.article_id) AS articles,
    count(c.parent_id) AS replies,
    sum(coalesce(r.replies_received, 0)) AS replies_received,
    sum(len(regexp_split_to_array(trim(c.text), '\s+'))) AS words,
    min(c.posted_at) AS first_comment_at,
    max(c.posted_at) AS last_comment_at
FROM comments AS c
LEFT JOIN (SELECT parent_id, count(*) AS replies_received FROM comments WHERE parent_id IS NOT NULL AND deleted_at IS NULL
           GROUP BY parent_id) AS r ON r.parent_id = c.comment_id
WHERE c.author_name <> '' AND c.deleted_at IS NULL
GROUP BY c.author_name;
COMMENT ON VIEW top_commenters IS 'Commenters by number of comments: SELECT * FROM top_commenters ORDER BY rank LIMIT 20.';
COMMENT ON COLUMN top_commenters.rank IS 'Rank by comments, 1 for the most active (ties share a rank).';
COMMENT ON COLUMN top_commenters.author_name IS 'Commenter name as shown (comments are not tied to accounts).';
COMMENT ON COLUMN top_commenters.comments IS 'Comments they wrote that are still shown.';
COMMENT ON COLUMN top_commenters.articles IS 'Distinct articles they commented on.';
COMMENT ON COLUMN top_commenters.replies IS 'Of their comments, replies to another comment.';
COMMENT ON COLUMN top_commenters.replies_received IS 'Replies others (or they) wrote to their comments.';
COMMENT ON COLUMN top_commenters.words IS 'Words in their comments.';
COMMENT ON COLUMN top_commenters.first_comment_at IS 'Their earliest comment (UTC).';
COMMENT ON COLUMN top_commenters.last_comment_at IS 'Their latest comment (UTC).';
