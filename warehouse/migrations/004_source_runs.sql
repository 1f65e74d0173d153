-- 004_source_runs: what each source did in each nightly run, for the run report and `plenty sources list`.

-- grain: one row per nightly run × source; key (run_id, source_key).
create table source_runs (
    run_id varchar not null,
    source_key varchar not null,  -- "<kind>-<board>", as the sources file names it
    kind varchar not null,
    board varchar not null,
    started_at timestamp not null,
    finished_at timestamp not null,
    is_complete boolean not null,
    count_fetched integer not null default 0,
    count_new integer not null default 0,
    count_updated integer not null default 0,
    count_closed integer not null default 0,
    count_dropped integer not null default 0,
    dropped_reasons json,  -- {"reason": count}
    errors json  -- ["message", ...]
);
