-- grain: one row per imported record of the registered frame `import_frame`, appended under $load_id.
insert into raw_postings
with records as (
    select * from import_frame
),

final as (
    select
        $load_id as load_id,
        record_no::integer as record_no,
        source::varchar as source,
        board::varchar as board,
        source_id::varchar as source_id,
        url::varchar as url,
        title::varchar as title,
        company::varchar as company,
        locations::varchar[] as locations,
        is_remote::boolean as is_remote,
        department::varchar as department,
        employment_type::varchar as employment_type,
        salary_min::double as salary_min,
        salary_max::double as salary_max,
        salary_currency::varchar as salary_currency,
        salary_period::varchar as salary_period,
        description::varchar as description,
        posted_at::varchar as posted_at,
        updated_at::varchar as updated_at,
        valid_through::varchar as valid_through,
        credit::varchar as credit,
    from records
)

select * from final
