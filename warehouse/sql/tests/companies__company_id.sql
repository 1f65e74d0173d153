-- data test: the key (company_id) of companies is unique and not null; returns the failing keys.
with keys as (
    select
        company_id,
    from companies
),

final as (
    select
        company_id,
        count(*) as count_rows,
    from keys
    group by all
    having count(*) > 1 or company_id is null
)

select * from final
