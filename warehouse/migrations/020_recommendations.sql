-- 020_recommendations: what the recommender keeps between runs. Only new tables; no existing data changes.

-- grain: one row per content hash × model: the likely ESCO occupations of the posting's title; key
-- (content_hash, model). Occupations are stored by URI, so a new occupation list never misreads old tags.
create table posting_occupations (
    content_hash varchar not null,
    model varchar not null,
    occupation_uris varchar[] not null,  -- best first
    weights float[] not null,  -- the occupation profile (unit length), in the same order
    created_at timestamp not null
);

-- grain: one row per rejection that has filters on its suggestions; key rejection_id. Null = no filter.
create table rejection_filters (
    rejection_id integer not null,
    is_remote boolean,  -- true: remote openings only (or in `location`, when that is set too)
    location varchar,  -- text a posting's place must contain
    seniority varchar,  -- comma-separated levels (flows/filters.py SENIORITY_LEVELS)
    min_salary double,  -- yearly amount in salary_currency
    salary_currency varchar,
    posted_within_days integer,
    exclude_companies varchar[],  -- company names never to suggest
    updated_at timestamp not null
);

-- grain: one row per run × rejection × posting with its reason; key (run_id, rejection_id, posting_id).
create table match_reasons (
    run_id varchar not null,
    rejection_id integer not null,
    posting_id bigint not null,
    reason varchar not null
);
