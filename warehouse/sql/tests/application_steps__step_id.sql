-- data test: the key (step_id) of application_steps is unique and not null; returns the failing keys.
with keys as (
    select
        step_id,
    from application_steps
),

final as (
    select
        step_id,
        count(*) as count_rows,
    from keys
    group by all
    having count(*) > 1 or step_id is null
)

select * from final
