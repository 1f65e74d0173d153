-- data test: the key (week, rejection_id, posting_id) of digest_items is unique and not null; returns the failing keys.
with keys as (
    select
        week,
        rejection_id,
        posting_id,
    from digest_items
),

final as (
    select
        week,
        rejection_id,
        posting_id,
        count(*) as count_rows,
    from keys
    group by all
    having count(*) > 1 or week is null or rejection_id is null or posting_id is null
)

select * from final
