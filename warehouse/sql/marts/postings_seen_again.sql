-- Marks the open postings listed by load $base_load_id as seen again at $crawled_at by load $load_id (a load of
-- the same feed bytes, see repeat_load_base.sql): the only change a full load of those bytes would make.
update postings
set
    last_seen_at = $crawled_at,
    last_load_id = $load_id
where last_load_id = $base_load_id
    and closed_at is null
