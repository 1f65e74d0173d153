-- data test: the key (rejection_id) of rejection_visits is unique and not null; returns the failing keys.
with keys as (
    select
        rejection_id,
    from rejection_visits
),

final as (
    select
        rejection_id,
        count(*) as count_rows,
    from keys
    group by all
    having count(*) > 1 or rejection_id is null
)

select * from final
