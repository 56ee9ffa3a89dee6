-- Wirehouse warehouse, version 3: article history, the offline full-text search index, and analyst views.

-- History: when a load replaces an article whose title, deck or body changed (content_hash), the row it
-- replaces is copied here first, in the same transaction. The current version stays in articles.
CREATE TABLE article_versions (
    article_id VARCHAR NOT NULL,
    version INTEGER NOT NULL,
    title VARCHAR NOT NULL,
    deck VARCHAR,
    body_text VARCHAR NOT NULL,
    body_html VARCHAR NOT NULL,
    word_count INTEGER NOT NULL,
    content_hash VARCHAR NOT NULL,
    modified_at TIMESTAMPTZ,
    fetched_at TIMESTAMPTZ NOT NULL,
    valid_from TIMESTAMPTZ NOT NULL,
    valid_to TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (article_id, version)
);
COMMENT ON TABLE article_versions IS 'Earlier versions of edited articles: the row articles held before a load replaced its title, deck or body. The article_history view adds the current version.';
COMMENT ON COLUMN article_versions.article_id IS 'Article (articles.article_id).';
COMMENT ON COLUMN article_versions.version IS 'Version number, from 1 for the first version loaded; the current row in articles is the next number.';
COMMENT ON COLUMN article_versions.title IS 'Headline of this version.';
COMMENT ON COLUMN article_versions.deck IS 'Subtitle of this version, if any.';
COMMENT ON COLUMN article_versions.body_text IS 'Body of this version as plain text.';
COMMENT ON COLUMN article_versions.body_html IS 'Body of this version as cleaned HTML.';
COMMENT ON COLUMN article_versions.word_count IS 'Number of words in body_text.';
COMMENT ON COLUMN article_versions.content_hash IS 'Hash of title, deck and body of this version (articles.content_hash at the time).';
COMMENT ON COLUMN article_versions.modified_at IS 'Modification time the site reported for this version (UTC).';
COMMENT ON COLUMN article_versions.fetched_at IS 'When this version was fetched (UTC).';
COMMENT ON COLUMN article_versions.valid_from IS 'When this version became the current one in the warehouse (UTC): the first load, or the end of the previous version.';
COMMENT ON COLUMN article_versions.valid_to IS 'When the load that replaced it ran (UTC); the next version is valid from here.';

-- Full-text search: a BM25 index kept in plain tables (DuckDB's fts extension cannot be installed offline).
-- warehouse/search.py fills it incrementally: only documents whose content_hash changed are re-indexed.
CREATE SEQUENCE search_doc_key_seq;

CREATE TABLE search_documents (
    doc_key BIGINT PRIMARY KEY,
    kind VARCHAR NOT NULL,
    doc_id VARCHAR NOT NULL,
    content_hash VARCHAR NOT NULL,
    length INTEGER NOT NULL,
    indexed_at TIMESTAMPTZ NOT NULL,
    UNIQUE (kind, doc_id)
);
COMMENT ON TABLE search_documents IS 'Documents in the full-text search index: every article and every comment, with its length in terms.';
COMMENT ON COLUMN search_documents.doc_key IS 'Surrogate key of the indexed document version; search_postings refer to it.';
COMMENT ON COLUMN search_documents.kind IS 'article or comment.';
COMMENT ON COLUMN search_documents.doc_id IS 'articles.article_id or comments.comment_id.';
COMMENT ON COLUMN search_documents.content_hash IS 'content_hash of the indexed version; a different hash in articles/comments means re-index.';
COMMENT ON COLUMN search_documents.length IS 'Number of indexed terms (stop words left out; an article''s title counts twice).';
COMMENT ON COLUMN search_documents.indexed_at IS 'When the document was indexed (UTC).';

CREATE TABLE search_postings (
    doc_key BIGINT NOT NULL,
    term VARCHAR NOT NULL,
    tf INTEGER NOT NULL
);
COMMENT ON TABLE search_postings IS 'Inverted index: how often each stemmed term occurs in each indexed document.';
COMMENT ON COLUMN search_postings.doc_key IS 'Document (search_documents.doc_key).';
COMMENT ON COLUMN search_postings.term IS 'Stemmed term (search_terms.term).';
COMMENT ON COLUMN search_postings.tf IS 'Term frequency: occurrences of the term in the document.';

CREATE TABLE search_terms (
    token VARCHAR PRIMARY KEY,
    term VARCHAR
);
COMMENT ON TABLE search_terms IS 'Vocabulary: each lowercased, accent-free token seen, with its Snowball stem; NULL for stop words.';
COMMENT ON COLUMN search_terms.token IS 'Token as split from text (lowercase, accents removed).';
COMMENT ON COLUMN search_terms.term IS 'Stem the token is indexed and searched under; NULL when the token is a stop word.';

CREATE VIEW article_history AS
SELECT article_id, version, title, deck, body_text, word_count, content_hash, modified_at, fetched_at,
       valid_from, valid_to, FALSE AS is_current
FROM article_versions
UNION ALL
SELECT a.article_id,
       coalesce((SELECT max(v.version) FROM article_versions AS v WHERE v.article_id = a.article_id), 0) + 1,
       a.title, a.deck, a.body_text, a.word_count, a.content_hash, a.modified_at, a.fetched_at,
       coalesce((SELECT max(v.valid_to) FROM article_versions AS v WHERE v.article_id = a.article_id),
                a.first_seen_at),
       NULL, TRUE
FROM articles AS a;
COMMENT ON VIEW article_history IS 'Every version of every article, the current one included: SELECT * FROM article_history WHERE article_id = ? ORDER BY version.';
COMMENT ON COLUMN article_history.article_id IS 'Article (articles.article_id).';
COMMENT ON COLUMN article_history.version IS 'Version number, from 1; the highest is the current version.';
COMMENT ON COLUMN article_history.title IS 'Headline of this version.';
COMMENT ON COLUMN article_history.deck IS 'Subtitle of this version, if any.';
COMMENT ON COLUMN article_history.body_text IS 'Body of this version as plain text.';
COMMENT ON COLUMN article_history.word_count IS 'Number of words in body_text.';
COMMENT ON COLUMN article_history.content_hash IS 'Hash of title, deck and body of this version.';
COMMENT ON COLUMN article_history.modified_at IS 'Modification time the site reported for this version (UTC).';
COMMENT ON COLUMN article_history.fetched_at IS 'When this version was fetched (UTC).';
COMMENT ON COLUMN article_history.valid_from IS 'When this version became current in the warehouse (UTC).';
COMMENT ON COLUMN article_history.valid_to IS 'When it was replaced (UTC); NULL for the current version.';
COMMENT ON COLUMN article_history.is_current IS 'True for the version articles holds now.';

CREATE VIEW daily_articles AS
WITH dated AS (
    SELECT a.article_id, a.source, CAST(timezone('UTC', a.published_at) AS DATE) AS day, a.word_count
    FROM articles AS a
    WHERE a.published_at IS NOT NULL
), authors_per_day AS (
    SELECT d.source, d.day, count(DISTINCT aa.author_id) AS authors
    FROM dated AS d JOIN article_authors AS aa ON aa.article_id = d.article_id
    GROUP BY d.source, d.day
), comments_per_article AS (
    SELECT article_id, count(*) AS comments FROM comments GROUP BY article_id
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
COMMENT ON COLUMN daily_articles.comments IS 'Comments loaded on those articles (whenever posted).';

CREATE VIEW author_activity AS
SELECT
    au.author_id,
    au.display_name,
    count(a.article_id) AS articles,
    coalesce(sum(a.word_count), 0) AS words,
    CAST(round(avg(a.word_count)) AS INTEGER) AS avg_words,
    list(DISTINCT a.source ORDER BY a.source) FILTER (WHERE a.source IS NOT NULL) AS sources,
    min(a.published_at) AS first_published_at,
    max(a.published_at) AS last_published_at,
    au.first_seen_at
FROM authors AS au
LEFT JOIN article_authors AS aa ON aa.author_id = au.author_id
LEFT JOIN articles AS a ON a.article_id = aa.article_id
GROUP BY au.author_id, au.display_name, au.first_seen_at;
COMMENT ON VIEW author_activity IS 'Each author''s output: articles, words, sources, first and last publication.';
COMMENT ON COLUMN author_activity.author_id IS 'Author (authors.author_id).';
COMMENT ON COLUMN author_activity.display_name IS 'Name as shown in bylines.';
COMMENT ON COLUMN author_activity.articles IS 'Articles with this author in the byline (shared bylines count for each author).';
COMMENT ON COLUMN author_activity.words IS 'Words in those articles'' bodies.';
COMMENT ON COLUMN author_activity.avg_words IS 'Average words per article, rounded.';
COMMENT ON COLUMN author_activity.sources IS 'Sources the author appears in, sorted.';
COMMENT ON COLUMN author_activity.first_published_at IS 'Earliest publication time of their articles (UTC).';
COMMENT ON COLUMN author_activity.last_published_at IS 'Latest publication time of their articles (UTC).';
COMMENT ON COLUMN author_activity.first_seen_at IS 'When the author was first loaded (UTC).';

CREATE VIEW article_comment_activity AS
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
LEFT JOIN comments AS c ON c.article_id = a.article_id
GROUP BY a.article_id, a.source, a.title, a.url, a.published_at, a.comment_count_hint;
COMMENT ON VIEW article_comment_activity IS 'Comment activity per article: how many comments, commenters and replies, how deep, and when.';
COMMENT ON COLUMN article_comment_activity.article_id IS 'Article (articles.article_id).';
COMMENT ON COLUMN article_comment_activity.source IS 'Source (sources.name).';
COMMENT ON COLUMN article_comment_activity.title IS 'Headline.';
COMMENT ON COLUMN article_comment_activity.url IS 'Canonical article URL.';
COMMENT ON COLUMN article_comment_activity.published_at IS 'Publication time (UTC).';
COMMENT ON COLUMN article_comment_activity.comments IS 'Comments loaded for the article.';
COMMENT ON COLUMN article_comment_activity.commenters IS 'Distinct commenter names.';
COMMENT ON COLUMN article_comment_activity.replies IS 'Comments that reply to another comment.';
COMMENT ON COLUMN article_comment_activity.max_depth IS 'Deepest nesting level, 0 when there are no replies.';
COMMENT ON COLUMN article_comment_activity.first_comment_at IS 'Earliest comment time (UTC).';
COMMENT ON COLUMN article_comment_activity.last_comment_at IS 'Latest comment time (UTC).';
COMMENT ON COLUMN article_comment_activity.comment_count_hint IS 'Comment count the site advertised, to compare with comments.';

CREATE VIEW daily_comments AS
SELECT
    a.source,
    CAST(timezone('UTC', c.posted_at) AS DATE) AS day,
    count(*) AS comments,
    count(DISTINCT c.author_name) AS commenters,
    count(DISTINCT c.article_id) AS articles,
    count(c.parent_id) AS replies
FROM comments AS c
JOIN articles AS a ON a.article_id = c.article_id
WHERE c.posted_at IS NOT NULL
GROUP BY a.source, CAST(timezone('UTC', c.posted_at) AS DATE);
COMMENT ON VIEW daily_comments IS 'Comments posted per source and UTC day (comments without a shown time are left out).';
COMMENT ON COLUMN daily_comments.source IS 'Source of the commented article (sources.name).';
COMMENT ON COLUMN daily_comments.day IS 'Day the comments were posted (UTC).';
COMMENT ON COLUMN daily_comments.comments IS 'Comments posted that day.';
COMMENT ON COLUMN daily_comments.commenters IS 'Distinct commenter names that day.';
COMMENT ON COLUMN daily_comments.articles IS 'Distinct articles commented on that day.';
COMMENT ON COLUMN daily_comments.replies IS 'Of those comments, replies to another comment.';

CREATE VIEW top_commenters AS
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
LEFT JOIN (SELECT parent_id, count(*) AS replies_received FROM comments WHERE parent_id IS NOT NULL
           GROUP BY parent_id) AS r ON r.parent_id = c.comment_id
WHERE c.author_name <> ''
GROUP BY c.author_name;
COMMENT ON VIEW top_commenters IS 'Commenters by number of comments: SELECT * FROM top_commenters ORDER BY rank LIMIT 20.';
COMMENT ON COLUMN top_commenters.rank IS 'Rank by comments, 1 for the most active (ties share a rank).';
COMMENT ON COLUMN top_commenters.author_name IS 'Commenter name as shown (comments are not tied to accounts).';
COMMENT ON COLUMN top_commenters.comments IS 'Comments they wrote.';
COMMENT ON COLUMN top_commenters.articles IS 'Distinct articles they commented on.';
COMMENT ON COLUMN top_commenters.replies IS 'Of their comments, replies to another comment.';
COMMENT ON COLUMN top_commenters.replies_received IS 'Replies others (or they) wrote to their comments.';
COMMENT ON COLUMN top_commenters.words IS 'Words in their comments.';
COMMENT ON COLUMN top_commenters.first_comment_at IS 'Their earliest comment (UTC).';
COMMENT ON COLUMN top_commenters.last_comment_at IS 'Their latest comment (UTC).';

-- comment_threads gains columns at the end (existing queries keep working): the source, the thread's root
-- comment and who each comment replies to.
CREATE OR REPLACE VIEW comment_threads AS
WITH RECURSIVE thread AS (
    SELECT
        c.comment_id,
        lpad(CAST(c.position AS VARCHAR), 6, '0') AS path,
        0 AS depth,
        c.comment_id AS root_id
    FROM comments AS c
    WHERE c.parent_id IS NULL
       OR NOT EXISTS (SELECT 1 FROM comments AS p WHERE p.comment_id = c.parent_id)
    UNION ALL
    SELECT
        c.comment_id,
        t.path || '.' || lpad(CAST(c.position AS VARCHAR), 6, '0') AS path,
        t.depth + 1 AS depth,
        t.root_id
    FROM comments AS c
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
    p.author_name AS reply_to
FROM thread AS t
JOIN comments AS c ON c.comment_id = t.comment_id
LEFT JOIN comments AS p ON p.comment_id = c.parent_id
LEFT JOIN articles AS a ON a.article_id = c.article_id;
COMMENT ON VIEW comment_threads IS 'Each comment with its place in the thread: SELECT * FROM comment_threads WHERE article_id = ? ORDER BY path prints the thread in page order.';
COMMENT ON COLUMN comment_threads.article_id IS 'Article the comment is on (articles.article_id).';
COMMENT ON COLUMN comment_threads.article_title IS 'Headline of that article.';
COMMENT ON COLUMN comment_threads.path IS 'Zero-padded sibling positions from the root, joined by dots: ORDER BY path gives page order.';
COMMENT ON COLUMN comment_threads.depth IS 'Level in the loaded thread, 0 for a root (a reply whose parent was never loaded counts as a root).';
COMMENT ON COLUMN comment_threads.comment_id IS 'Comment (comments.comment_id).';
COMMENT ON COLUMN comment_threads.parent_id IS 'comment_id it replies to; NULL for a top-level comment.';
COMMENT ON COLUMN comment_threads.author_name IS 'Commenter name as shown.';
COMMENT ON COLUMN comment_threads.posted_at IS 'When the comment was posted (UTC), if shown.';
COMMENT ON COLUMN comment_threads.text IS 'Comment as plain text.';
COMMENT ON COLUMN comment_threads.source IS 'Source of the article (sources.name).';
COMMENT ON COLUMN comment_threads.root_comment_id IS 'comment_id of the top of this thread: group by it to count a thread.';
COMMENT ON COLUMN comment_threads.reply_to IS 'Name of the commenter this comment replies to; NULL for a root.';

COMMENT ON COLUMN article_bylines.article_id IS 'Article (articles.article_id).';
COMMENT ON COLUMN article_bylines.source IS 'Source (sources.name).';
COMMENT ON COLUMN article_bylines.url IS 'Canonical article URL.';
COMMENT ON COLUMN article_bylines.title IS 'Headline.';
COMMENT ON COLUMN article_bylines.published_at IS 'Publication time (UTC).';
COMMENT ON COLUMN article_bylines.author_ids IS 'authors.author_id of each author, in byline order; empty when unknown.';
COMMENT ON COLUMN article_bylines.author_names IS 'Display names in byline order.';
COMMENT ON COLUMN article_bylines.byline IS 'Display names joined by commas; empty when unknown.';
