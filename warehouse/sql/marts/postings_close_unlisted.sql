-- Closes the open postings of ($source, $board) that a complete crawl at $crawled_at no longer listed.
update postings
set closed_at = $crawled_at
where source = $source
    and board = $board
    and closed_at is null
    and last_seen_at < $crawled_at
    and posting_id not in (select posting_id from load_batch)
returning posting_id
