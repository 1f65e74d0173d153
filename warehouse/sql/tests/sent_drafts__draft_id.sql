-- data test: the key (draft_id) of sent_drafts is unique and not null; returns the failing keys.
with keys as (
    select
        draft_id,
    from sent_drafts
),

final as (
    select
        draft_id,
        count(*) as count_rows,
    from keys
    group by all
    having count(*) > 1 or draft_id is null
)

select * from final
