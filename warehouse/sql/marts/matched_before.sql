-- grain: one row per posting matched to the rejection $rejection_id by a match run finished before $before;
-- key posting_id.
with finished_runs as (
    select run_id from match_runs
    where finished_at is not null and finished_at < $before
),

final as (
    select distinct matches.posting_id,
    from matches
    inner join finished_runs on finished_runs.run_id = matches.run_id
    where matches.rejection_id = $rejection_id
)

select * from final
