-- data test: the key (content_hash, model) of posting_occupations is unique and not null; returns the failing keys.
with keys as (
    select
        content_hash,
        model,
    from posting_occupations
),

final as (
    select
        content_hash,
        model,
        count(*) as count_rows,
    from keys
    group by all
    having count(*) > 1 or content_hash is null or model is null
)

select * from final
