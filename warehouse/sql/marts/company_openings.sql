-- grain: one row per open posting at one of the companies $company_ids first seen on or after $since,
-- with its cached vector for $model when there is one (null otherwise).
with open_postings as (
    select * from postings
    where closed_at is null
        and list_contains($company_ids::varchar[], company_id)
        and first_seen_at >= $since
),

cached as (
    select content_hash, vector from posting_vectors
    where model = $model
),

final as (
    select
        open_postings.posting_id,
        open_postings.company_id,
        open_postings.title,
        open_postings.company_name as company,
        open_postings.locations,
        open_postings.description,
        open_postings.first_seen_at,
        cached.vector,
    from open_postings
    left join cached on cached.content_hash = open_postings.content_hash
)

select * from final
order by company_id, first_seen_at, posting_id
