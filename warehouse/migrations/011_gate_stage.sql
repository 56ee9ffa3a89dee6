-- Wirehouse warehouse, version 11: the plausibility gate's failures documented.
--
-- The plausibility gate (tasks/verify, issue 13): an article or comment thread that answered 200 but is not the
-- article asked for (a challenge, login, maintenance, not-found or consent page, noise, another article, a sharp
-- shrink) is refused before the load. Only the documentation of failures changes: the stage and reason are
-- values of existing columns.
COMMENT ON COLUMN failures.stage IS 'Stage that failed: discover, fetch, parse, normalize, comments, verify (the plausibility gate refused an article as read: reason implausible; the stored version stands and the article is retried), or refresh (a comment refresh that could not read a thread, or whose read the gate refused).';
COMMENT ON COLUMN failures.detail IS 'Human-readable detail of the latest failure; for reason implausible the gate''s reasons joined by "; " (e.g. "challenge page; challenge title; page 30 words; body 13 words"), after "verify: " at stage refresh.';
