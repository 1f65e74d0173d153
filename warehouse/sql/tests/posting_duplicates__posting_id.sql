-- posting_duplicates: posting_id is unique and not null, never its own canonical, and a canonical is no duplicate.
select posting_id from posting_duplicates
where posting_id is null or canonical_posting_id is null or posting_id = canonical_posting_id
union all
select posting_id from posting_duplicates
group by posting_id
having count(*) > 1
union all
select posting_id from posting_duplicates
where canonical_posting_id in (select posting_id from posting_duplicates)
