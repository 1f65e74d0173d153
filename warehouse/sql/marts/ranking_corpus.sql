-- grain: one row per open posting with a cached vector for $model: what the recommender ranks and filters,
-- with the posting title's occupation tags stored under $tags (the model and tagging version; null until tagged),
-- and the fields a suggestion shows, named as marts/posting_details names them.
with open_postings as (
    select * from postings
    where closed_at is null
),

vectors as (
    select content_hash from posting_vectors
    where model = $model
),

tags as (
    select content_hash, occupation_uris, weights from posting_occupations
    where model = $tags
),

final as (
    select
        open_postings.posting_id,
        open_postings.content_hash,
        open_postings.title,
        open_postings.company_name as company,
        open_postings.company_id,
        open_postings.locations,
        open_postings.is_remote,
        open_postings.description,
        open_postings.salary_min,
        open_postings.salary_max,
        open_postings.salary_currency,
        open_postings.salary_period,
        open_postings.posted_at,
        open_postings.first_seen_at,
        array_to_string(open_postings.locations, '; ') as location,
        open_postings.url,
        open_postings.source,
        open_postings.board,
        open_postings.source_id,
        open_postings.department,
        open_postings.employment_type,
        open_postings.credit,
        open_postings.last_seen_at,
        open_postings.closed_at,
        tags.occupation_uris,
        tags.weights as occupation_weights,
    from open_postings
    inner join vectors on vectors.content_hash = open_postings.content_hash
    left join tags on tags.content_hash = open_postings.content_hash
)

select * from final
order by posting_id
