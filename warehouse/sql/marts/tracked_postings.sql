-- grain: one row per tracked posting (its latest application step) with the posting's details; key posting_id.
with stages as (
    select * from application_stages
),

final as (
    select
        stages.posting_id,
        stages.stage,
        stages.rejection_id,
        stages.moved_at,
        postings.title,
        postings.company_name as company,
        postings.company_id,
        array_to_string(postings.locations, '; ') as location,
        postings.url,
        postings.source,
        postings.closed_at,
    from stages
    inner join postings on postings.posting_id = stages.posting_id
)

select * from final
order by moved_at desc, posting_id
