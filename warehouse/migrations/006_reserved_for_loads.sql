-- Placeholder on the `health` branch only: version 6 belongs to the loads branch (its 006_*.sql). Migrations
-- must be numbered without gaps, so this empty step lets 007_source_health.sql apply here. When merging, DELETE
-- this file and keep the loads branch's 006 (a warehouse migrated with this placeholder is a throwaway test file).
SELECT 1;
