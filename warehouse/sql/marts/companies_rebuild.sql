-- grain: one row per company (company_id, the normalised name); rebuilt from postings.
insert into companies
with known_postings as (
    select * from postings
    where company_id is not null
),

final as (
    select
        company_id,
        arg_max(company_name, last_seen_at) as name,
        count(*) filter (where closed_at is null) as count_open_postings,
        count(*) as count_postings,
        min(first_seen_at) as first_seen_at,
        max(last_seen_at) as last_seen_at,
    from known_postings
    group by company_id
)

select * from final
