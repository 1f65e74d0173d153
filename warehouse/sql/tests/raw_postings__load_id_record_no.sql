-- data test: the key (load_id, record_no) of raw_postings is unique and not null; returns the failing keys.
with keys as (
    select
        load_id,
        record_no,
    from raw_postings
),

final as (
    select
        load_id,
        record_no,
        count(*) as count_rows,
    from keys
    group by all
    having count(*) > 1 or load_id is null or record_no is null
)

select * from final
