-- grain: one row per open posting, with the feed's field names (re-importable), ordered by posting_id.
with open_postings as (
    select * from postings
    where closed_at is null
),

final as (
    select
        posting_id,
        source,
        board,
        source_id,
        url,
        title,
        company_name as company,
        locations,
        is_remote,
        department,
        employment_type,
        salary_min,
        salary_max,
        salary_currency,
        salary_period,
        description,
        strftime(posted_at, '%Y-%m-%dT%H:%M:%SZ') as posted_at,
        strftime(source_updated_at, '%Y-%m-%dT%H:%M:%SZ') as updated_at,
        strftime(valid_through, '%Y-%m-%dT%H:%M:%SZ') as valid_through,
        credit,
        content_hash,
        strftime(first_seen_at, '%Y-%m-%dT%H:%M:%SZ') as first_seen_at,
        strftime(last_seen_at, '%Y-%m-%dT%H:%M:%SZ') as last_seen_at,
    from open_postings
)

select * from final
order by posting_id
