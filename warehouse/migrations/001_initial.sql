-- Wirehouse warehouse, version 1: every table, its descriptions, and the two analyst views.
-- All timestamps are TIMESTAMPTZ in UTC. No foreign keys: DuckDB checks them eagerly and they would make
-- set-based upserts order-dependent; load.py keeps the references consistent instead.

CREATE TABLE schema_version (
    version INTEGER PRIMARY KEY,
    name VARCHAR NOT NULL,
    applied_at TIMESTAMPTZ NOT NULL
);
COMMENT ON TABLE schema_version IS 'Migrations applied to this file (warehouse/migrations/NNN_*.sql), one row each.';
COMMENT ON COLUMN schema_version.version IS 'Migration number (NNN of the file name).';
COMMENT ON COLUMN schema_version.name IS 'Migration file name.';
COMMENT ON COLUMN schema_version.applied_at IS 'When the migration was applied (UTC).';

CREATE TABLE sources (
    name VARCHAR PRIMARY KEY,
    kind VARCHAR NOT NULL,
    base_url VARCHAR NOT NULL,
    enabled BOOLEAN NOT NULL,
    config JSON NOT NULL,
    watermark TIMESTAMPTZ,
    updated_at TIMESTAMPTZ NOT NULL
);
COMMENT ON TABLE sources IS 'Sites Wirehouse reads, as declared in sources.yaml, with how far ingest has got.';
COMMENT ON COLUMN sources.name IS 'Short source name, e.g. news-antiwar; articles.source refers to it.';
COMMENT ON COLUMN sources.kind IS 'How the site is read: wordpress (REST API) or feed (RSS + article HTML).';
COMMENT ON COLUMN sources.base_url IS 'Home page of the site.';
COMMENT ON COLUMN sources.enabled IS 'False when the source is declared but switched off.';
COMMENT ON COLUMN sources.config IS 'The full source declaration from sources.yaml, as JSON.';
COMMENT ON COLUMN sources.watermark IS 'Newest publication time ingested so far (UTC); the nightly run starts here.';
COMMENT ON COLUMN sources.updated_at IS 'When the declaration last changed in the warehouse (UTC).';

CREATE TABLE articles (
    article_id VARCHAR PRIMARY KEY,
    source VARCHAR NOT NULL,
    post_id BIGINT,
    url VARCHAR NOT NULL,
    title VARCHAR NOT NULL,
    deck VARCHAR,
    published_at TIMESTAMPTZ,
    modified_at TIMESTAMPTZ,
    body_text VARCHAR NOT NULL,
    body_html VARCHAR NOT NULL,
    word_count INTEGER NOT NULL,
    content_hash VARCHAR NOT NULL,
    categories VARCHAR[] NOT NULL,
    tags VARCHAR[] NOT NULL,
    comment_count_hint INTEGER,
    parser VARCHAR NOT NULL,
    fetched_at TIMESTAMPTZ NOT NULL,
    first_seen_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
COMMENT ON TABLE articles IS 'One row per article, in its latest loaded version.';
COMMENT ON COLUMN articles.article_id IS 'Stable id of the article (derived from source and canonical URL or post id).';
COMMENT ON COLUMN articles.source IS 'Source the article came from (sources.name).';
COMMENT ON COLUMN articles.post_id IS 'The site''s own post id (WordPress), when known.';
COMMENT ON COLUMN articles.url IS 'Canonical article URL (no utm_* parameters, no fragment).';
COMMENT ON COLUMN articles.title IS 'Headline.';
COMMENT ON COLUMN articles.deck IS 'Subtitle / standfirst shown under the headline, if any.';
COMMENT ON COLUMN articles.published_at IS 'Publication time (UTC).';
COMMENT ON COLUMN articles.modified_at IS 'Last modification time the site reports (UTC).';
COMMENT ON COLUMN articles.body_text IS 'Body as plain text, paragraphs separated by blank lines; no byline, bio or share blocks.';
COMMENT ON COLUMN articles.body_html IS 'Body as cleaned HTML.';
COMMENT ON COLUMN articles.word_count IS 'Number of words in body_text.';
COMMENT ON COLUMN articles.content_hash IS 'Hash of the normalized content; a change means the article was edited.';
COMMENT ON COLUMN articles.categories IS 'Site categories, in site order.';
COMMENT ON COLUMN articles.tags IS 'Site tags, in site order.';
COMMENT ON COLUMN articles.comment_count_hint IS 'Comment count the site advertised (e.g. feed slash:comments), if any.';
COMMENT ON COLUMN articles.parser IS 'Which parser produced the row (wordpress_rest, site_html, generic).';
COMMENT ON COLUMN articles.fetched_at IS 'When the loaded version was fetched (UTC).';
COMMENT ON COLUMN articles.first_seen_at IS 'When the article was first loaded (UTC).';
COMMENT ON COLUMN articles.updated_at IS 'When a load last changed the article (UTC); unchanged reloads leave it alone.';

CREATE TABLE authors (
    author_id VARCHAR PRIMARY KEY,
    display_name VARCHAR NOT NULL,
    bio VARCHAR,
    first_seen_at TIMESTAMPTZ NOT NULL
);
COMMENT ON TABLE authors IS 'Normalized people who write articles.';
COMMENT ON COLUMN authors.author_id IS 'Stable slug of the display name, e.g. jason-ditz.';
COMMENT ON COLUMN authors.display_name IS 'Name as shown in bylines.';
COMMENT ON COLUMN authors.bio IS 'Author bio line, kept apart from article bodies; NULL when never seen.';
COMMENT ON COLUMN authors.first_seen_at IS 'When the author was first loaded (UTC).';

CREATE TABLE author_aliases (
    alias VARCHAR NOT NULL,
    author_id VARCHAR NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (alias, author_id)
);
COMMENT ON TABLE author_aliases IS 'Byline spellings seen for authors; one alias may stand for several people (a shared account).';
COMMENT ON COLUMN author_aliases.alias IS 'Lowercased byline form as seen, e.g. jason or paul mcadams.';
COMMENT ON COLUMN author_aliases.author_id IS 'Author the alias stands for (authors.author_id).';
COMMENT ON COLUMN author_aliases.position IS 'Order of this author among those the alias stands for, from 0.';

CREATE TABLE article_authors (
    article_id VARCHAR NOT NULL,
    author_id VARCHAR NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (article_id, author_id)
);
COMMENT ON TABLE article_authors IS 'Who wrote which article, in byline order.';
COMMENT ON COLUMN article_authors.article_id IS 'Article (articles.article_id).';
COMMENT ON COLUMN article_authors.author_id IS 'Author (authors.author_id).';
COMMENT ON COLUMN article_authors.position IS 'Place in the byline, from 0.';

CREATE TABLE comments (
    comment_id VARCHAR PRIMARY KEY,
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
    updated_at TIMESTAMPTZ NOT NULL
);
COMMENT ON TABLE comments IS 'Reader comments; never deleted by a load. Use the comment_threads view to read a thread in order.';
COMMENT ON COLUMN comments.comment_id IS 'Stable id of the comment (derived from article_id and site_comment_id).';
COMMENT ON COLUMN comments.article_id IS 'Article the comment is on (articles.article_id).';
COMMENT ON COLUMN comments.site_comment_id IS 'The site''s own comment id (e.g. 5 from id="comment-5"), or a position-based one.';
COMMENT ON COLUMN comments.parent_id IS 'comment_id of the comment this replies to; NULL for a top-level comment.';
COMMENT ON COLUMN comments.depth IS 'Nesting level as the site shows it, 0 for a top-level comment.';
COMMENT ON COLUMN comments.position IS 'Order among its siblings (same parent), from 0.';
COMMENT ON COLUMN comments.author_name IS 'Commenter name as shown.';
COMMENT ON COLUMN comments.posted_at IS 'When the comment was posted (UTC), if shown.';
COMMENT ON COLUMN comments.text IS 'Comment as plain text.';
COMMENT ON COLUMN comments.html IS 'Comment as cleaned HTML.';
COMMENT ON COLUMN comments.content_hash IS 'Hash of the comment content; a change means the comment was edited.';
COMMENT ON COLUMN comments.first_seen_at IS 'When the comment was first loaded (UTC).';
COMMENT ON COLUMN comments.updated_at IS 'When a load last changed the comment (UTC).';

CREATE TABLE raw_responses (
    response_id VARCHAR PRIMARY KEY,
    source VARCHAR NOT NULL,
    url VARCHAR NOT NULL,
    final_url VARCHAR NOT NULL,
    status INTEGER NOT NULL,
    headers JSON NOT NULL,
    body BLOB NOT NULL,
    body_sha256 VARCHAR NOT NULL,
    fetched_at TIMESTAMPTZ NOT NULL,
    elapsed_ms DOUBLE NOT NULL,
    role VARCHAR NOT NULL,
    run_id VARCHAR NOT NULL
);
COMMENT ON TABLE raw_responses IS 'HTTP responses exactly as fetched, so pages can be re-parsed without refetching.';
COMMENT ON COLUMN raw_responses.response_id IS 'sha256 of url + body_sha256: refetching an unchanged page adds no row.';
COMMENT ON COLUMN raw_responses.source IS 'Source the response was fetched for (sources.name).';
COMMENT ON COLUMN raw_responses.url IS 'URL requested.';
COMMENT ON COLUMN raw_responses.final_url IS 'URL after redirects.';
COMMENT ON COLUMN raw_responses.status IS 'HTTP status code.';
COMMENT ON COLUMN raw_responses.headers IS 'Response headers as a JSON object.';
COMMENT ON COLUMN raw_responses.body IS 'Response body bytes, undecoded.';
COMMENT ON COLUMN raw_responses.body_sha256 IS 'sha256 of body, hex.';
COMMENT ON COLUMN raw_responses.fetched_at IS 'When the response was received (UTC).';
COMMENT ON COLUMN raw_responses.elapsed_ms IS 'Request duration in milliseconds.';
COMMENT ON COLUMN raw_responses.role IS 'What the response is: article, comments, listing or feed.';
COMMENT ON COLUMN raw_responses.run_id IS 'Run that first stored this response (runs.run_id).';

CREATE TABLE runs (
    run_id VARCHAR PRIMARY KEY,
    flow VARCHAR NOT NULL,
    started_at TIMESTAMPTZ NOT NULL,
    finished_at TIMESTAMPTZ,
    status VARCHAR NOT NULL,
    sources VARCHAR[] NOT NULL,
    window_start TIMESTAMPTZ,
    window_end TIMESTAMPTZ,
    counts STRUCT(
        discovered INTEGER, fetched INTEGER, parsed INTEGER, articles_written INTEGER,
        comments_written INTEGER, authors_written INTEGER, failed INTEGER
    ) NOT NULL,
    report JSON NOT NULL
);
COMMENT ON TABLE runs IS 'One row per flow run (nightly, backfill, demo), updated as the run progresses.';
COMMENT ON COLUMN runs.run_id IS 'Run id (the Prefect flow run id, or one generated for local runs).';
COMMENT ON COLUMN runs.flow IS 'Which flow ran: nightly, backfill or demo.';
COMMENT ON COLUMN runs.started_at IS 'When the run started (UTC).';
COMMENT ON COLUMN runs.finished_at IS 'When the run finished (UTC); NULL while running or if it died.';
COMMENT ON COLUMN runs.status IS 'running, completed or failed.';
COMMENT ON COLUMN runs.sources IS 'Sources the run covered.';
COMMENT ON COLUMN runs.window_start IS 'Start of the publication window the run covered (UTC).';
COMMENT ON COLUMN runs.window_end IS 'End of the publication window the run covered (UTC).';
COMMENT ON COLUMN runs.counts IS 'What the run did: counts.discovered, .fetched, .parsed, .articles_written, .comments_written, .authors_written, .failed.';
COMMENT ON COLUMN runs.report IS 'The full run report as JSON, failures included.';

CREATE TABLE failures (
    source VARCHAR NOT NULL,
    url VARCHAR NOT NULL,
    stage VARCHAR NOT NULL,
    reason VARCHAR NOT NULL,
    detail VARCHAR NOT NULL,
    first_failed_at TIMESTAMPTZ NOT NULL,
    last_failed_at TIMESTAMPTZ NOT NULL,
    attempts INTEGER NOT NULL,
    resolved_at TIMESTAMPTZ,
    run_id VARCHAR NOT NULL,
    PRIMARY KEY (source, url, stage)
);
COMMENT ON TABLE failures IS 'URLs that failed at some stage; open while resolved_at is NULL, retried by later runs.';
COMMENT ON COLUMN failures.source IS 'Source of the URL (sources.name).';
COMMENT ON COLUMN failures.url IS 'URL that failed.';
COMMENT ON COLUMN failures.stage IS 'Stage that failed: discover, fetch, parse or normalize.';
COMMENT ON COLUMN failures.reason IS 'Short machine-readable reason of the latest failure, e.g. http_500, timeout, robots.';
COMMENT ON COLUMN failures.detail IS 'Human-readable detail of the latest failure.';
COMMENT ON COLUMN failures.first_failed_at IS 'When the URL first failed at this stage (UTC).';
COMMENT ON COLUMN failures.last_failed_at IS 'When it last failed (UTC).';
COMMENT ON COLUMN failures.attempts IS 'How many times it has failed at this stage.';
COMMENT ON COLUMN failures.resolved_at IS 'When the URL was later loaded successfully (UTC); NULL while still failing.';
COMMENT ON COLUMN failures.run_id IS 'Run of the latest failure (runs.run_id).';

-- A thread in page order: path is the chain of zero-padded sibling positions from the root, so sorting by
-- path gives depth-first page order. A comment whose parent was never loaded is treated as a root.
CREATE VIEW comment_threads AS
WITH RECURSIVE thread AS (
    SELECT
        c.comment_id,
        lpad(CAST(c.position AS VARCHAR), 6, '0') AS path,
        0 AS depth
    FROM comments AS c
    WHERE c.parent_id IS NULL
       OR NOT EXISTS (SELECT 1 FROM comments AS p WHERE p.comment_id = c.parent_id)
    UNION ALL
    SELECT
        c.comment_id,
        t.path || '.' || lpad(CAST(c.position AS VARCHAR), 6, '0') AS path,
        t.depth + 1 AS depth
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
    c.text
FROM thread AS t
JOIN comments AS c ON c.comment_id = t.comment_id
LEFT JOIN articles AS a ON a.article_id = c.article_id;
COMMENT ON VIEW comment_threads IS 'Each comment with its place in the thread: SELECT * FROM comment_threads WHERE article_id = ? ORDER BY path prints the thread in page order.';

CREATE VIEW article_bylines AS
SELECT
    a.article_id,
    a.source,
    a.url,
    a.title,
    a.published_at,
    coalesce(list(au.author_id ORDER BY aa.position) FILTER (WHERE au.author_id IS NOT NULL), [])
        AS author_ids,
    coalesce(list(au.display_name ORDER BY aa.position) FILTER (WHERE au.author_id IS NOT NULL), [])
        AS author_names,
    coalesce(string_agg(au.display_name, ', ' ORDER BY aa.position), '') AS byline
FROM articles AS a
LEFT JOIN article_authors AS aa ON aa.article_id = a.article_id
LEFT JOIN authors AS au ON au.author_id = aa.author_id
GROUP BY a.article_id, a.source, a.url, a.title, a.published_at;
COMMENT ON VIEW article_bylines IS 'Each article with its authors in byline order: author_ids and author_names as lists, byline as one string.';
