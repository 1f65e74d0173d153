-- grain: one row per open posting, key posting_id: the fields the dedupe rule (warehouse/dedupe_rule.py) reads.
-- The dedupe pass reads these rows, and its fingerprint hashes exactly these rows.
with open_postings as (
    select * from postings
    where closed_at is null
),

final as (
    select
        posting_id,
        source,
        title,
        company_name,
        locations,
        description,
        first_seen_at,
    from open_postings
)

select * from final
order by posting_id
