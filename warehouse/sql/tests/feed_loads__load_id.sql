-- data test: the key (load_id) of feed_loads is unique and not null; returns the failing keys.
with keys as (
    select
        load_id,
    from feed_loads
),

final as (
    select
        load_id,
        count(*) as count_rows,
    from keys
    group by all
    having count(*) > 1 or load_id is null
)

select * from final
