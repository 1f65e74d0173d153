-- 030_board_checks: what plenty learnt the last time it checked each board it crawls (the user's own and the
-- directory's): when, with what outcome, how many jobs it listed, consecutive 404s and since when it is gone, and
-- the hash of its last response body (so an unchanged board is not parsed or loaded again).
-- Only a new table; no existing data changes.

-- grain: one row per board (kind x board_key); key kind, board_key.
create table board_checks (
    kind varchar not null,  -- the source kind (greenhouse, ashby, ...)
    board_key varchar not null,  -- the board token case-folded (tokens that differ by case are one board)
    board varchar not null,  -- the token as last crawled
    company varchar,  -- the company name the directory or the sources file gives, when known
    last_check_at timestamp not null,  -- when the last crawl of the board started (UTC)
    last_outcome varchar not null,  -- jobs | empty | unchanged | not_found | failed
    last_seen_jobs integer,  -- postings the board listed at its last answered check; null: never answered
    not_found_runs integer not null,  -- checks in a row answered 404
    gone_at timestamp,  -- when it was marked gone (404 on several checks in a row); null: not gone
    body_sha256 varchar,  -- sha256 of the board's last complete response body; null: unknown
    primary key (kind, board_key)  -- the nightly upserts one check per board
);
