-- Refreshes the known postings of load_batch (not stale ones): their fields, last_seen_at, and reopens them.
update postings
set
    board = batch.board,
    url = batch.url,
    title = batch.title,
    company_name = batch.company_name,
    company_id = batch.company_id,
    locations = batch.locations,
    is_remote = batch.is_remote,
    department = batch.department,
    employment_type = batch.employment_type,
    salary_min = batch.salary_min,
    salary_max = batch.salary_max,
    salary_currency = batch.salary_currency,
    salary_period = batch.salary_period,
    description = batch.description,
    posted_at = batch.posted_at,
    source_updated_at = batch.source_updated_at,
    valid_through = batch.valid_through,
    credit = batch.credit,
    content_hash = batch.content_hash,
    changed_at = case when batch.change = 'updated' then $crawled_at else postings.changed_at end,
    last_seen_at = $crawled_at,
    closed_at = null,
    last_load_id = $load_id
from load_batch as batch
where postings.posting_id = batch.posting_id
    and batch.change in ('updated', 'unchanged')
