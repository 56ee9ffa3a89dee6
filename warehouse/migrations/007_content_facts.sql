-- Wirehouse warehouse, migration 007: facts the pages carry that the tables used to lose.
--
-- authors.kind: a staff, desk, agency or site byline ("Antiwar Staff", "Associated Press") is an author too, of
-- kind 'organization'. Versions before 6 dropped such bylines, so the rows they stored start as 'person'; each
-- load that meets an author again sets the kind the rules of tasks/normalize/people.py give it.
--
-- articles.reprinted_from, reprinted_from_url, reprint_note: a body's note that the article was first published
-- elsewhere ("Reprinted from Bracing Views with the author's permission.") leaves the body for these columns.
-- NULL on stored rows until their article is loaded again; that load moves the note out of the body (a new
-- content hash, the earlier body kept in article_versions).
--
-- commenters: ids no longer merge different people ("Old Navy Hand" and "Old Hand" were both old-hand). Stored
-- comments get the id tasks/normalize/comments.py commenter_id_for gives their name, computed here in SQL:
-- the ASCII slug of the name (accents stripped, other runs of characters one '-', lowercased, 40 characters at
-- most), '-', and the first 10 hex digits of the sha256 of the name as stored; the digits alone when the slug
-- is empty. tests/warehouse/test_content_facts_migration.py checks that both give the same ids. commenters is
-- rebuilt from the comments: one row per id, its name, and when a comment of theirs was first loaded. Threads
-- re-read later are compared comment by comment once (their stored fingerprints include the old ids).

ALTER TABLE authors ADD COLUMN kind VARCHAR DEFAULT 'person';
COMMENT ON COLUMN authors.kind IS 'person, or organization for a staff, desk, team or board byline, a news agency or wire service, or the site itself (e.g. Antiwar Staff).';
COMMENT ON TABLE authors IS 'Normalized authors of articles: people, and organisations that sign articles (kind).';
COMMENT ON COLUMN authors.author_id IS 'Stable slug: first and last name of a person (jason-ditz), the whole name of an organisation (antiwar-staff).';

ALTER TABLE articles ADD COLUMN reprinted_from VARCHAR;
ALTER TABLE articles ADD COLUMN reprinted_from_url VARCHAR;
ALTER TABLE articles ADD COLUMN reprint_note VARCHAR;
COMMENT ON COLUMN articles.reprinted_from IS 'Publication the article was first published in, as its reprint note names it (e.g. Bracing Views); NULL when the body has no such note or the note names none.';
COMMENT ON COLUMN articles.reprinted_from_url IS 'Where the reprint note links that publication; NULL when it links nothing.';
COMMENT ON COLUMN articles.reprint_note IS 'The reprint or syndication note as printed at the start or end of the body (e.g. Reprinted from Bracing Views with the author''s permission.), kept out of body_text and body_html; NULL when there is none.';
COMMENT ON COLUMN articles.body_text IS 'Body as plain text, paragraphs separated by blank lines; no byline, bio, reprint note or share blocks.';

UPDATE comments SET commenter_id = derived.commenter_id
FROM (
    SELECT author_name,
           CASE WHEN author_name = '' THEN NULL
                WHEN slug = '' THEN digest
                ELSE slug || '-' || digest END AS commenter_id
    FROM (
        SELECT author_name,
               rtrim(left(trim(lower(regexp_replace(strip_accents(author_name), '[^A-Za-z0-9]+', '-', 'g')), '-'),
                          40), '-') AS slug,
               left(sha256(author_name), 10) AS digest
        FROM (SELECT DISTINCT author_name FROM comments)
    )
) AS derived
WHERE comments.author_name = derived.author_name
  AND comments.commenter_id IS DISTINCT FROM derived.commenter_id;

DELETE FROM commenters;
INSERT INTO commenters (commenter_id, display_name, first_seen_at)
SELECT commenter_id, min(author_name), min(first_seen_at)
FROM comments
WHERE commenter_id IS NOT NULL
GROUP BY commenter_id;

COMMENT ON TABLE commenters IS 'People who write reader comments, one row per distinct name as shown (kept apart from article authors).';
COMMENT ON COLUMN commenters.commenter_id IS 'Stable id of the name as shown: its ASCII slug and 10 hex digits of its sha256, e.g. old-navy-hand-cb59070d3e; distinct names never share an id.';
COMMENT ON COLUMN commenters.display_name IS 'Name as shown on their comments.';
