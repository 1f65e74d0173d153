-- data test: the key (mark_id) of posting_marks is unique and not null; returns the failing keys.
with keys as (
    select
        mark_id,
    from posting_marks
),

final as (
    select
        mark_id,
        count(*) as count_rows,
    from keys
    group by all
    having count(*) > 1 or mark_id is null
)

select * from final
