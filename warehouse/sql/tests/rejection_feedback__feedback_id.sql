-- data test: the key (feedback_id) of rejection_feedback is unique and not null; returns the failing keys.
with keys as (
    select
        feedback_id,
    from rejection_feedback
),

final as (
    select
        feedback_id,
        count(*) as count_rows,
    from keys
    group by all
    having count(*) > 1 or feedback_id is null
)

select * from final
