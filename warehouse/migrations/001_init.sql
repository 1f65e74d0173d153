-- 001_init: the first schema of the plenty warehouse.
-- Timestamps are naive UTC. Keys are checked by the data tests in warehouse/sql/tests/.

-- company_id: the company name folded to lowercase ascii-ish words joined by '-', legal suffixes removed.
create macro company_id_of(company_name) as nullif(
    regexp_replace(
        trim(regexp_replace(strip_accents(lower(trim(company_name))), '[^\p{L}\p{N}]+', '-', 'g'), '-'),
        '(-(inc|llc|ltd|limited|gmbh|corp|corporation|plc|ag|sa|bv|srl|oy|ab))+$',
        ''
    ),
    ''
);

create sequence load_id_seq start 1;

-- grain: one row per load (a feed file or an import); key load_id.
create table feed_loads (
    load_id bigint not null default nextval('load_id_seq'),
    kind varchar not null,  -- 'feed' | 'import'
    source varchar not null,
    board varchar not null,
    feed_path varchar,
    feed_hash varchar,  -- sha256 hex of the feed file's bytes
    is_complete boolean not null,
    crawled_at timestamp not null,
    loaded_at timestamp not null,
    count_fetched integer not null default 0,
    count_new integer not null default 0,
    count_updated integer not null default 0,
    count_unchanged integer not null default 0,
    count_closed integer not null default 0,
    count_reopened integer not null default 0,
    count_skipped integer not null default 0
);

-- grain: one row per feed line (record) per load; key (load_id, record_no).
-- Values as the line gave them; source and board default to the load's.
create table raw_postings (
    load_id bigint not null,
    record_no integer not null,  -- 1-based position among the non-blank lines of the feed
    source varchar,
    board varchar,
    source_id varchar,
    url varchar,
    title varchar,
    company varchar,
    locations varchar[],
    is_remote boolean,
    department varchar,
    employment_type varchar,
    salary_min double,
    salary_max double,
    salary_currency varchar,
    salary_period varchar,
    description varchar,
    posted_at varchar,
    updated_at varchar,
    valid_through varchar,
    credit varchar
);

-- grain: one row per raw record (staging: rename and cast only).
create view stg_postings as
with source as (
    select * from raw_postings
),

renamed as (
    select
        load_id,
        record_no,
        source,
        coalesce(board, '') as board,
        source_id,
        url,
        title,
        company as company_name,
        coalesce(locations, []::varchar[]) as locations,
        is_remote,
        department,
        employment_type,
        salary_min,
        salary_max,
        upper(salary_currency) as salary_currency,
        lower(salary_period) as salary_period,
        coalesce(description, '') as description,
        timezone('UTC', try_cast(posted_at as timestamptz)) as posted_at,
        timezone('UTC', try_cast(updated_at as timestamptz)) as source_updated_at,
        timezone('UTC', try_cast(valid_through as timestamptz)) as valid_through,
        credit,
    from source
),

final as (
    select * from renamed
)

select * from final;

-- grain: one row per opening (source + source id); key posting_id (and posting_key).
create table postings (
    posting_id bigint not null,
    posting_key varchar not null,
    source varchar not null,
    board varchar not null,
    source_id varchar not null,
    url varchar,
    title varchar not null,
    company_name varchar,
    company_id varchar,
    locations varchar[] not null,
    is_remote boolean,
    department varchar,
    employment_type varchar,
    salary_min double,
    salary_max double,
    salary_currency varchar,
    salary_period varchar,
    description varchar not null,
    posted_at timestamp,
    source_updated_at timestamp,
    valid_through timestamp,
    credit varchar,
    content_hash varchar not null,
    first_seen_at timestamp not null,
    last_seen_at timestamp not null,
    changed_at timestamp not null,  -- when content_hash last changed (first_seen_at at first)
    closed_at timestamp,  -- null while the opening is listed
    last_load_id bigint not null
);

-- grain: one row per company (normalised name); key company_id. Rebuilt from postings after each load.
create table companies (
    company_id varchar not null,
    name varchar not null,
    count_open_postings integer not null,
    count_postings integer not null,
    first_seen_at timestamp not null,
    last_seen_at timestamp not null
);

create sequence rejection_id_seq start 1;

-- grain: one row per recorded rejection; key rejection_id.
create table rejections (
    rejection_id integer not null default nextval('rejection_id_seq'),
    title varchar not null,
    company_name varchar,
    company_id varchar,
    text varchar not null,
    rejected_on date,
    stage varchar,
    notes varchar,
    created_at timestamp not null,
    archived_at timestamp
);

-- grain: one row per embedding of one content hash by one model; key (content_hash, model).
create table posting_vectors (
    content_hash varchar not null,
    model varchar not null,
    vector float[] not null,
    created_at timestamp not null
);

-- grain: one row per matching run; key run_id.
create table match_runs (
    run_id varchar not null,
    model varchar not null,
    started_at timestamp not null,
    finished_at timestamp
);

-- grain: one row per run x rejection x posting; key (run_id, rejection_id, posting_id).
create table matches (
    run_id varchar not null,
    rejection_id integer not null,
    posting_id bigint not null,
    score double not null,
    rank integer not null
);
