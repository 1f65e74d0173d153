-- grain: one row: a fingerprint of every open posting as the dedupe rule reads it (order-independent).
with open_postings as (
    select * from postings
    where closed_at is null
),

final as (
    select
        count(*) as count_open_postings,
        coalesce(bit_xor(hash(posting_id, source, title, company_name, locations, description, first_seen_at)), 0)
            as open_postings_hash,
    from open_postings
)

select * from final
