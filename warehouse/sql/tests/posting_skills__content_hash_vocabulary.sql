-- data test: the key (content_hash, vocabulary) of posting_skills is unique and not null; returns the failing keys.
with keys as (
    select
        content_hash,
        vocabulary,
    from posting_skills
),

final as (
    select
        content_hash,
        vocabulary,
        count(*) as count_rows,
    from keys
    group by all
    having count(*) > 1 or content_hash is null or vocabulary is null
)

select * from final
