-- grain: one row per non-blank line of one feed file, appended to raw_postings under $load_id.
insert into raw_postings
with lines as (
    select *
    from read_json(
        $feed_path,
        format = 'newline_delimited',
        columns = {
            source: 'varchar',
            board: 'varchar',
            source_id: 'varchar',
            url: 'varchar',
            title: 'varchar',
            company: 'varchar',
            locations: 'varchar[]',
            is_remote: 'boolean',
            department: 'varchar',
            employment_type: 'varchar',
            salary_min: 'double',
            salary_max: 'double',
            salary_currency: 'varchar',
            salary_period: 'varchar',
            description: 'varchar',
            posted_at: 'varchar',
            updated_at: 'varchar',
            valid_through: 'varchar',
            credit: 'varchar'
        }
    )
),

numbered as (
    select
        row_number() over () as record_no,
        *,
    from lines
),

final as (
    select
        $load_id as load_id,
        record_no,
        coalesce(source, $source) as source,
        coalesce(board, $board) as board,
        source_id,
        url,
        title,
        company,
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
        updated_at,
        valid_through,
        credit,
    from numbered
)

select * from final
