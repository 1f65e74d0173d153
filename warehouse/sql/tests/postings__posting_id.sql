-- data test: the key (posting_id) of postings is unique and not null; returns the failing keys.
with keys as (
    select
        posting_id,
    from postings
),

final as (
    select
        posting_id,
        count(*) as count_rows,
    from keys
    group by all
    having count(*) > 1 or posting_id is null
)

select * from final
