-- data test: the key (open_postings_key) of dedupe_state is unique and not null; returns the failing keys.
with keys as (
    select
        open_postings_key,
    from dedupe_state
),

final as (
    select
        open_postings_key,
        count(*) as count_rows,
    from keys
    group by all
    having count(*) > 1 or open_postings_key is null
)

select * from final
