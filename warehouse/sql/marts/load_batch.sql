-- grain: one row per posting of load $load_id (a posting listed twice: its last record wins),
-- with its identity, content hash and how it compares to the postings already known.
-- posting_id: first 8 bytes of sha256(posting_key) as a positive int64 (docs/ARCHITECTURE.md).
-- content_hash: sha256 hex of title, company, locations, description, salary min/max/currency/period,
-- joined by chr(31) (locations joined by chr(30)), nulls as ''.
create temp table load_batch as
with staged as (
    select * from stg_postings
    where load_id = $load_id
),

keyed as (
    select
        source || ':' || source_id as posting_key,
        (('0x' || left(sha256(source || ':' || source_id), 16))::ubigint & 9223372036854775807)::bigint
            as posting_id,
        sha256(concat_ws(
            chr(31),
            title,
            coalesce(company_name, ''),
            array_to_string(locations, chr(30)),
            description,
            coalesce(salary_min::varchar, ''),
            coalesce(salary_max::varchar, ''),
            coalesce(salary_currency, ''),
            coalesce(salary_period, '')
        )) as content_hash,
        company_id_of(company_name) as company_id,
        *,
    from staged
),

deduped as (
    select * from keyed
    qualify row_number() over (partition by posting_key order by record_no desc) = 1
),

known as (
    select
        posting_id,
        content_hash as known_content_hash,
        greatest(last_seen_at, coalesce(closed_at, last_seen_at)) as known_at,
        closed_at as known_closed_at,
    from postings
),

compared as (
    select
        deduped.*,
        known.posting_id is not null as is_known,
        known.known_content_hash,
        known.known_at,
        known.known_closed_at,
    from deduped
    left join known on known.posting_id = deduped.posting_id
),

final as (
    select
        *,
        case
            when not is_known then 'new'
            -- an older crawl loaded late never overrides what a newer one saw
            when $crawled_at < known_at then 'stale'
            when known_content_hash <> content_hash then 'updated'
            else 'unchanged'
        end as change,
        is_known and known_closed_at is not null and $crawled_at >= known_at as is_reopened,
    from compared
)

select * from final
