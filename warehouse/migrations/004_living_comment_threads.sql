-- Wirehouse warehouse, version 4: comment threads kept current after the article is loaded.
-- Commenters get their own table (normalized like authors, kept apart from them); a comment records when a
-- read found its text changed (the earlier text goes to comment_versions) and when a complete read of its
-- thread no longer found it (deleted_at: comments are never hard-deleted). comment_sections says how each
-- article's thread was last read, which decides whether an absent comment may be marked deleted.

CREATE TABLE commenters (
    commenter_id VARCHAR PRIMARY KEY,
    display_name VARCHAR NOT NULL,
    first_seen_at TIMESTAMPTZ NOT NULL
);
COMMENT ON TABLE commenters IS 'People who write reader comments, one row per normalized name (kept apart from article authors).';
COMMENT ON COLUMN commenters.commenter_id IS 'Stable key of the normalized name, e.g. tom-mauel: first and last name tokens, lowercased.';
COMMENT ON COLUMN commenters.display_name IS 'Name as first shown on a comment.';
COMMENT ON COLUMN commenters.first_seen_at IS 'When a comment of theirs was first loaded (UTC).';

ALTER TABLE comments ADD COLUMN commenter_id VARCHAR;
ALTER TABLE comments ADD COLUMN edited_at TIMESTAMPTZ;
ALTER TABLE comments ADD COLUMN deleted_at TIMESTAMPTZ;
COMMENT ON TABLE comments IS 'Reader comments, never hard-deleted: one gone from a completely read thread gets deleted_at. Use the comment_threads view to read a thread in order.';
COMMENT ON COLUMN comments.commenter_id IS 'Who wrote it (commenters.commenter_id); NULL when the comment shows no name.';
COMMENT ON COLUMN comments.edited_at IS 'When a read last found the comment''s text changed (UTC); the earlier text is in comment_versions. NULL if never edited.';
COMMENT ON COLUMN comments.deleted_at IS 'When a complete read of the thread first no longer found the comment (UTC); NULL while it is shown. Cleared if it reappears.';
COMMENT ON COLUMN comments.html IS 'Comment as sanitized HTML (no scripts, styles, event handlers or unknown tags).';

CREATE TABLE comment_versions (
    comment_id VARCHAR NOT NULL,
    version INTEGER NOT NULL,
    author_name VARCHAR NOT NULL,
    text VARCHAR NOT NULL,
    html VARCHAR NOT NULL,
    content_hash VARCHAR NOT NULL,
    valid_from TIMESTAMPTZ NOT NULL,
    valid_to TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (comment_id, version)
);
COMMENT ON TABLE comment_versions IS 'Earlier texts of edited comments: the row comments held before a read found the text changed.';
COMMENT ON COLUMN comment_versions.comment_id IS 'Comment (comments.comment_id).';
COMMENT ON COLUMN comment_versions.version IS 'Version number, from 1 for the first text loaded; the current text in comments is the next number.';
COMMENT ON COLUMN comment_versions.author_name IS 'Commenter name as shown in this version.';
COMMENT ON COLUMN comment_versions.text IS 'Comment as plain text in this version.';
COMMENT ON COLUMN comment_versions.html IS 'Comment as sanitized HTML in this version.';
COMMENT ON COLUMN comment_versions.content_hash IS 'Hash of name and text of this version (comments.content_hash at the time).';
COMMENT ON COLUMN comment_versions.valid_from IS 'When this version became current in the warehouse (UTC).';
COMMENT ON COLUMN comment_versions.valid_to IS 'When the read that replaced it ran (UTC).';

CREATE TABLE comment_sections (
    article_id VARCHAR PRIMARY KEY,
    system VARCHAR NOT NULL,
    fetched BOOLEAN NOT NULL,
    complete BOOLEAN NOT NULL,
    note VARCHAR NOT NULL,
    thread_ref VARCHAR NOT NULL,
    first_seen_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
COMMENT ON TABLE comment_sections IS 'How each article''s comment thread was last read: the comment system, and whether the read was complete.';
COMMENT ON COLUMN comment_sections.article_id IS 'Article (articles.article_id).';
COMMENT ON COLUMN comment_sections.system IS 'Comment system read: wordpress_rest, wordpress (page markup and its comment pages), comment_feed, disqus, generic or none.';
COMMENT ON COLUMN comment_sections.fetched IS 'False when the page shows comments that were not read, e.g. Disqus without a configured API key.';
COMMENT ON COLUMN comment_sections.complete IS 'True when the whole thread was read, so stored comments missing from it were marked deleted.';
COMMENT ON COLUMN comment_sections.note IS 'Why the thread was not fetched or not read completely; empty otherwise.';
COMMENT ON COLUMN comment_sections.thread_ref IS 'How the system finds the thread again (e.g. ident:ID or link:URL for Disqus); empty when the article URL is enough.';
COMMENT ON COLUMN comment_sections.first_seen_at IS 'When the section was first recorded (UTC).';
COMMENT ON COLUMN comment_sections.updated_at IS 'When a read last changed what the row says (UTC).';

-- comment_threads shows the thread as the site shows it now: deleted comments leave it (a reply whose parent
-- was deleted becomes a root). Existing columns keep their order; commenter_id and edited_at are added last.
CREATE OR REPLACE VIEW comment_threads AS
WITH RECURSIVE live AS (
    SELECT * FROM comments WHERE deleted_at IS NULL
), thread AS (
    SELECT
        c.comment_id,
        lpad(CAST(c.position AS VARCHAR), 6, '0') AS path,
        0 AS depth,
        c.comment_id AS root_id
    FROM live AS c
    WHERE c.parent_id IS NULL
       OR NOT EXISTS (SELECT 1 FROM live AS p WHERE p.comment_id = c.parent_id)
    UNION ALL
    SELECT
        c.comment_id,
        t.path || '.' || lpad(CAST(c.position AS VARCHAR), 6, '0') AS path,
        t.depth + 1 AS depth,
        t.root_id
    FROM live AS c
    JOIN thread AS t ON c.parent_id = t.comment_id
)
SELECT
    c.article_id,
    a.title AS article_title,
    t.path,
    t.depth,
    c.comment_id,
    c.parent_id,
    c.author_name,
    c.posted_at,
    c.text,
    a.source,
    t.root_id AS root_comment_id,
    p.author_name AS reply_to,
    c.commenter_id,
    c.edited_at
FROM thread AS t
JOIN comments AS c ON c.comment_id = t.comment_id
LEFT JOIN comments AS p ON p.comment_id = c.parent_id
LEFT JOIN articles AS a ON a.article_id = c.article_id;
COMMENT ON VIEW comment_threads IS 'Each shown (not deleted) comment with its place in the thread: SELECT * FROM comment_threads WHERE article_id = ? ORDER BY path prints the thread in page order.';
COMMENT ON COLUMN comment_threads.article_id IS 'Article the comment is on (articles.article_id).';
COMMENT ON COLUMN comment_threads.article_title IS 'Headline of that article.';
COMMENT ON COLUMN comment_threads.path IS 'Zero-padded sibling positions from the root, joined by dots: ORDER BY path gives page order.';
COMMENT ON COLUMN comment_threads.depth IS 'Level in the shown thread, 0 for a root (a reply whose parent was never loaded or was deleted counts as a root).';
COMMENT ON COLUMN comment_threads.comment_id IS 'Comment (comments.comment_id).';
COMMENT ON COLUMN comment_threads.parent_id IS 'comment_id it replies to; NULL for a top-level comment.';
COMMENT ON COLUMN comment_threads.author_name IS 'Commenter name as shown.';
COMMENT ON COLUMN comment_threads.posted_at IS 'When the comment was posted (UTC), if shown.';
COMMENT ON COLUMN comment_threads.text IS 'Comment as plain text.';
COMMENT ON COLUMN comment_threads.source IS 'Source of the article (sources.name).';
COMMENT ON COLUMN comment_threads.root_comment_id IS 'comment_id of the top of this thread: group by it to count a thread.';
COMMENT ON COLUMN comment_threads.reply_to IS 'Name of the commenter this comment replies to; NULL for a root.';
COMMENT ON COLUMN comment_threads.commenter_id IS 'Who wrote it (commenters.commenter_id); NULL when no name is shown.';
COMMENT ON COLUMN comment_threads.edited_at IS 'When a read last found the text changed (UTC); NULL if never edited.';
