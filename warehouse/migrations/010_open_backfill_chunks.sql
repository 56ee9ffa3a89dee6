-- Wirehouse warehouse, version 10: a backfill chunk is done only when it is.
--
-- Until now a chunk was recorded done as soon as its listings were read whole, even when the fetches of its
-- articles failed (an offline backfill marked its days done). Now every chunk a backfill reads gets a row with
-- the outcome of its targets: loaded, failed for good (404/410, robots, offsite) and pending (failed for a
-- reason that may pass: a timeout, an absent host, a 5xx). A chunk is done when its listings were read whole
-- and nothing is pending; otherwise it stays open and the next backfill of the range reads it again.
-- Rows recorded before version 10 are chunks that were called done; they stay done.

ALTER TABLE backfill_chunks ALTER COLUMN completed_at DROP NOT NULL;
ALTER TABLE backfill_chunks ADD COLUMN status VARCHAR DEFAULT 'done';
ALTER TABLE backfill_chunks ADD COLUMN discovery_complete BOOLEAN DEFAULT true;
ALTER TABLE backfill_chunks ADD COLUMN loaded INTEGER DEFAULT 0;
ALTER TABLE backfill_chunks ADD COLUMN failed_permanent INTEGER DEFAULT 0;
ALTER TABLE backfill_chunks ADD COLUMN pending INTEGER DEFAULT 0;
ALTER TABLE backfill_chunks ADD COLUMN updated_at TIMESTAMPTZ;
UPDATE backfill_chunks SET status = 'done', discovery_complete = true, updated_at = completed_at;

COMMENT ON TABLE backfill_chunks IS 'Backfill chunks read so far, with the outcome of their targets; a rerun of the same backfill skips the done ones and reads the open ones again.';
COMMENT ON COLUMN backfill_chunks.completed_at IS 'When the chunk was finished (every target loaded or failed for good); NULL while open.';
COMMENT ON COLUMN backfill_chunks.run_id IS 'The backfill run that last read the chunk (runs.run_id).';
COMMENT ON COLUMN backfill_chunks.status IS 'done: listings read whole and no target pending; open: read again by the next backfill.';
COMMENT ON COLUMN backfill_chunks.discovery_complete IS 'Whether the chunk''s listings were read whole on its last read.';
COMMENT ON COLUMN backfill_chunks.loaded IS 'Targets of the chunk loaded (or unchanged, 304) on its last read.';
COMMENT ON COLUMN backfill_chunks.failed_permanent IS 'Targets that failed for good on its last read: HTTP 404/410, disallowed by robots.txt, offsite.';
COMMENT ON COLUMN backfill_chunks.pending IS 'Targets that failed for a reason that may pass (timeout, unreachable host, 5xx, unparseable page) on its last read.';
COMMENT ON COLUMN backfill_chunks.updated_at IS 'When the chunk was last read.';

-- A comment refresh records its failures too, under stage 'refresh' (not retried as articles by the ingest).
COMMENT ON COLUMN failures.stage IS 'Stage that failed: discover, fetch, parse, normalize, comments, or refresh (a comment refresh that could not read a thread).';
