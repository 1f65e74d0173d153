-- grain: at most one row: the last feed load of ($source, $board), when a load of the same feed bytes may repeat it.
-- It may when that load was complete, skipped no line, still has its raw records, and the board's open postings
-- are exactly the postings it listed (none closed, reopened, or taken over by another load since): then a full
-- load of the same bytes would change nothing but when they were last seen.
with last_load as (
    select load_id, feed_hash, is_complete, count_skipped, crawled_at
    from feed_loads
    where kind = 'feed' and source = $source and board = $board
    order by load_id desc
    limit 1
),

listed as (
    select count(distinct source_id) as postings, count(*) as records
    from raw_postings
    where load_id = (select load_id from last_load)
),

open_postings as (
    select
        count(*) filter (where last_load_id = (select load_id from last_load)) as from_last_load,
        count(*) as total
    from postings
    where source = $source and board = $board and closed_at is null
)

select last_load.load_id, listed.records, listed.postings
from last_load, listed, open_postings
where last_load.feed_hash = $feed_hash
    and last_load.is_complete
    and last_load.crawled_at < $crawled_at
    and last_load.count_skipped = 0
    and listed.records > 0
    and open_postings.from_last_load = listed.postings
    and open_postings.total = listed.postings
