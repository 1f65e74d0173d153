-- grain: one row per source_key: its latest run, when it last crawled completely, and its totals.
with runs as (
    select * from source_runs
),

latest as (
    select * from runs
    qualify row_number() over (partition by source_key order by finished_at desc) = 1
),

totals as (
    select
        source_key,
        max(finished_at) filter (where is_complete) as last_complete_at,
        count(*) as count_runs,
        count(*) filter (where not is_complete) as count_failed_runs,
    from runs
    group by source_key
),

final as (
    select
        latest.source_key,
        latest.kind,
        latest.board,
        latest.finished_at as last_crawl_at,
        latest.is_complete as last_crawl_complete,
        latest.count_fetched as last_count_fetched,
        latest.errors as last_errors,
        totals.last_complete_at,
        totals.count_runs,
        totals.count_failed_runs,
    from latest
    inner join totals on totals.source_key = latest.source_key
)

select * from final
order by source_key
