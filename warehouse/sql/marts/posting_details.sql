-- grain: one row per requested posting id that exists, in the order requested ($posting_ids).
with wanted as (
    select
        unnest($posting_ids::bigint[]) as posting_id,
        generate_subscripts($posting_ids::bigint[], 1) as position,
),

final as (
    select
        postings.posting_id,
        postings.title,
        postings.company_name as company,
        postings.company_id,
        array_to_string(postings.locations, '; ') as location,
        postings.locations,
        postings.is_remote,
        postings.url,
        postings.source,
        postings.board,
        postings.source_id,
        postings.department,
        postings.employment_type,
        postings.salary_min,
        postings.salary_max,
        postings.salary_currency,
        postings.salary_period,
        postings.credit,
        postings.posted_at,
        postings.first_seen_at,
        postings.last_seen_at,
        postings.closed_at,
        wanted.position,
    from wanted
    inner join postings on postings.posting_id = wanted.posting_id
)

select * exclude (position) from final
order by position
