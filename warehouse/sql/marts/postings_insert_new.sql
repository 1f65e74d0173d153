-- grain of postings: one row per opening. Adds the postings of load_batch never seen before.
insert into postings
with batch as (
    select * from load_batch
    where change = 'new'
),

final as (
    select
        posting_id,
        posting_key,
        source,
        board,
        source_id,
        url,
        title,
        company_name,
        company_id,
        locations,
        is_remote,
        department,
        employment_type,
        salary_min,
        salary_max,
        salary_currency,
        salary_period,
        description,
        posted_at,
        source_updated_at,
        valid_through,
        credit,
        content_hash,
        $crawled_at as first_seen_at,
        $crawled_at as last_seen_at,
        $crawled_at as changed_at,
        null::timestamp as closed_at,
        $load_id as last_load_id,
    from batch
)

select * from final
