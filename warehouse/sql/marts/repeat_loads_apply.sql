-- Repeats many boards' last loads at once (view repeat_map: load_id, base_load_id, crawled_at, records,
-- postings, source, board, as repeat_load_bases.sql found them): what raw_postings_repeat.sql,
-- postings_seen_again.sql, the load's counts and the pruning of raw records do for one board. The caller runs the
-- statements one by one (split at the semicolons ending them: none may appear elsewhere).
insert into raw_postings
select repeat_map.load_id as load_id, raw_postings.* exclude (load_id)
from raw_postings
inner join repeat_map on repeat_map.base_load_id = raw_postings.load_id
order by repeat_map.load_id, raw_postings.record_no;

update postings
set
    last_seen_at = repeat_map.crawled_at,
    last_load_id = repeat_map.load_id
from repeat_map
where postings.last_load_id = repeat_map.base_load_id
    and postings.closed_at is null;

update feed_loads
set count_fetched = repeat_map.records, count_unchanged = repeat_map.postings
from repeat_map
where feed_loads.load_id = repeat_map.load_id;

delete from raw_postings
where load_id in (
    select feed_loads.load_id
    from feed_loads
    inner join (select distinct source, board from repeat_map) as boards
        on boards.source = feed_loads.source and boards.board = feed_loads.board
    where feed_loads.kind = 'feed'
    qualify row_number() over (partition by feed_loads.source, feed_loads.board
                               order by feed_loads.crawled_at desc, feed_loads.load_id desc) > $keep
)
