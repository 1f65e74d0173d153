-- data test: the key (kind, board_key) of board_checks is unique and not null; returns the failing keys.
with keys as (
    select
        kind,
        board_key,
    from board_checks
),

final as (
    select
        kind,
        board_key,
        count(*) as count_rows,
    from keys
    group by all
    having count(*) > 1 or kind is null or board_key is null
)

select * from final
