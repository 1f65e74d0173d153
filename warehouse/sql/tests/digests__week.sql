-- data test: the key (week) of digests is unique and not null; returns the failing keys.
with keys as (
    select
        week,
    from digests
),

final as (
    select
        week,
        count(*) as count_rows,
    from keys
    group by all
    having count(*) > 1 or week is null
)

select * from final
