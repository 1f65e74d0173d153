-- grain: one row per record of load $base_load_id, appended again under $load_id (a load of the same feed bytes).
insert into raw_postings
select $load_id as load_id, * exclude (load_id)
from raw_postings
where load_id = $base_load_id
