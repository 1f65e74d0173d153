-- The postings the vector index of one model must hold: open postings with a cached vector for $model,
-- with is_changed when the index last held another content of that posting. Grain: one row per posting.
with open_postings as (
    select posting_id, content_hash from postings
    where closed_at is null
),

cached as (
    select content_hash from posting_vectors
    where model = $model
),

indexed as (
    select posting_id, content_hash as indexed_hash from indexed_postings
    where model = $model
),

final as (
    select
        open_postings.posting_id,
        open_postings.content_hash,
        coalesce(indexed.indexed_hash <> open_postings.content_hash, false) as is_changed,
    from open_postings
    semi join cached on cached.content_hash = open_postings.content_hash
    left join indexed on indexed.posting_id = open_postings.posting_id
)

select * from final
order by posting_id
