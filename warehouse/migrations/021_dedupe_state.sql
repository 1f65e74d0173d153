-- 021_dedupe_state: what the last dedupe pass read, so that a night that changed no open posting skips it.
-- Only a new table; no existing data changes (an upgraded warehouse recomputes its duplicates once).

-- grain: one row: the latest dedupe pass; key open_postings_key.
create table dedupe_state (
    open_postings_key varchar not null,  -- rule version, count and hash of the open postings that pass read
    decided_at timestamp not null
);
