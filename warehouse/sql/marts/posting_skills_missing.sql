-- grain: one row per content hash of an open posting without skills stored under $vocabulary: the text to read.
with open_postings as (
    select * from postings
    where closed_at is null
),

known as (
    select content_hash from posting_skills
    where vocabulary = $vocabulary
),

final as (
    select
        open_postings.content_hash,
        any_value(open_postings.title) as title,
        any_value(open_postings.description) as description,
    from open_postings
    anti join known on known.content_hash = open_postings.content_hash
    group by open_postings.content_hash
)

select * from final
order by content_hash
