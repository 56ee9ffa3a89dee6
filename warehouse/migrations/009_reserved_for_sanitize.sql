-- Placeholder on the `outcomes` branch only: version 9 belongs to the sanitize work (issue 13, item 8).
-- Migrations may have no gaps, so 010 needs a 009 to apply; drop this file when the real 009 is merged.
SELECT 1;
