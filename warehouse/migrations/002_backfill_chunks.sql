-- Backfill progress: a chunk (one source, one window) is recorded once all its batches loaded,
-- so an interrupted backfill resumes at the first chunk not recorded here.
CREATE TABLE backfill_chunks (
    source        VARCHAR     NOT NULL,
    window_start  TIMESTAMPTZ NOT NULL,
    window_end    TIMESTAMPTZ NOT NULL,
    completed_at  TIMESTAMPTZ NOT NULL,
    run_id        VARCHAR     NOT NULL,
    PRIMARY KEY (source, window_start, window_end)
);
COMMENT ON TABLE backfill_chunks IS 'Backfill chunks whose every batch loaded; a rerun of the same backfill skips them.';
COMMENT ON COLUMN backfill_chunks.source IS 'Source name (sources.name).';
COMMENT ON COLUMN backfill_chunks.window_start IS 'Start of the chunk (UTC, inclusive).';
COMMENT ON COLUMN backfill_chunks.window_end IS 'End of the chunk (UTC, exclusive).';
COMMENT ON COLUMN backfill_chunks.completed_at IS 'When the chunk finished loading.';
COMMENT ON COLUMN backfill_chunks.run_id IS 'The backfill run that completed it (runs.run_id).';
