-- data test: the key (posting_key) of postings is unique and not null; returns the failing keys.
with keys as (
    select
        posting_key,
    from postings
),

final as (
    select
        posting_key,
        count(*) as count_rows,
    from keys
    group by all
    having count(*) > 1 or posting_key is null
)

select * from final
