-- data test: the key (profile_id) of profiles is unique and not null; returns the failing keys.
with keys as (
    select
        profile_id,
    from profiles
),

final as (
    select
        profile_id,
        count(*) as count_rows,
    from keys
    group by all
    having count(*) > 1 or profile_id is null
)

select * from final
