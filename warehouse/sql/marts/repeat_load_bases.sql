-- grain: one row per wanted board (view repeat_wanted: position, source, board, crawled_at) whose last feed load
-- may be repeated (the conditions of repeat_load_base.sql, for many boards at once): its position, the last load,
-- that load's records and postings, and its feed hash.
with last_load as (
    select
        repeat_wanted.position,
        repeat_wanted.crawled_at as wanted_at,
        feed_loads.load_id,
        feed_loads.feed_hash,
        feed_loads.is_complete,
        feed_loads.count_skipped,
        feed_loads.crawled_at,
        feed_loads.source,
        feed_loads.board,
    from repeat_wanted
    inner join feed_loads
        on feed_loads.kind = 'feed' and feed_loads.source = repeat_wanted.source
        and feed_loads.board = repeat_wanted.board
    qualify row_number() over (partition by repeat_wanted.position order by feed_loads.load_id desc) = 1
),

listed as (
    select load_id, count(distinct source_id) as postings, count(*) as records
    from raw_postings
    where load_id in (select load_id from last_load)
    group by load_id
),

open_postings as (
    select
        last_load.position,
        count(*) filter (where postings.last_load_id = last_load.load_id) as from_last_load,
        count(*) as total,
    from last_load
    inner join postings
        on postings.source = last_load.source and postings.board = last_load.board and postings.closed_at is null
    group by last_load.position
)

select last_load.position, last_load.load_id, listed.records, listed.postings, last_load.feed_hash
from last_load
inner join listed on listed.load_id = last_load.load_id
inner join open_postings on open_postings.position = last_load.position
where last_load.is_complete
    and last_load.crawled_at < last_load.wanted_at
    and last_load.count_skipped = 0
    and listed.records > 0
    and open_postings.from_last_load = listed.postings
    and open_postings.total = listed.postings
