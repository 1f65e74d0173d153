-- data test: the key (run_id, rejection_id, posting_id) of match_reasons is unique and not null; returns the failing keys.
with keys as (
    select
        run_id,
        rejection_id,
        posting_id,
    from match_reasons
),

final as (
    select
        run_id,
        rejection_id,
        posting_id,
        count(*) as count_rows,
    from keys
    group by all
    having count(*) > 1 or run_id is null or rejection_id is null or posting_id is null
)

select * from final
