-- data test: the key (run_id) of match_runs is unique and not null; returns the failing keys.
with keys as (
    select
        run_id,
    from match_runs
),

final as (
    select
        run_id,
        count(*) as count_rows,
    from keys
    group by all
    having count(*) > 1 or run_id is null
)

select * from final
