-- grain: one row per open posting of the company $company_id, newest first (at most $limit); key posting_id.
with open_postings as (
    select * from postings
    where company_id = $company_id and closed_at is null
),

final as (
    select
        posting_id,
        title,
        array_to_string(locations, '; ') as location,
        url,
        coalesce(posted_at, first_seen_at) as posted_at,
        salary_min,
        salary_max,
        salary_currency,
        salary_period,
        source,
        credit,
    from open_postings
)

select * from final
order by posted_at desc nulls last, posting_id
limit $limit
