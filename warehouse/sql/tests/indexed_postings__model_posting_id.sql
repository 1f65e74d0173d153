-- indexed_postings: (model, posting_id) is unique and not null.
with keyed as (
    select model, posting_id, count(*) as count_rows
    from indexed_postings
    group by model, posting_id
),

final as (
    select * from keyed
    where model is null or posting_id is null or count_rows > 1
)

select * from final
