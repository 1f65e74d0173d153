-- grain: one row per record of load $load_id that cannot become a posting (first ones first).
-- $check_scope: a feed must carry only its own source and board; an import may mix them.
with records as (
    select * from raw_postings
    where load_id = $load_id
),

final as (
    select
        record_no,
        case
            when nullif(trim(source_id), '') is null then 'missing source_id'
            when nullif(trim(title), '') is null then 'missing title'
            when $check_scope and source <> $source then 'source ' || source || ' but the feed is loaded as ' || $source
            when $check_scope and board <> $board then 'board ' || board || ' but the feed is loaded as ' || $board
        end as reason,
    from records
)

select * from final
where reason is not null
order by record_no
