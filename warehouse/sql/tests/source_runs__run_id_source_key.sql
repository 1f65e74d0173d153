-- data test: the key (run_id, source_key) of source_runs is unique and not null; returns the failing keys.
with keys as (
    select
        run_id,
        source_key,
    from source_runs
),

final as (
    select
        run_id,
        source_key,
        count(*) as count_rows,
    from keys
    group by all
    having count(*) > 1 or run_id is null or source_key is null
)

select * from final
