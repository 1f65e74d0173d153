-- 005_openings: one opening however many boards carry it. `postings` keeps one row per (source, source_id); an
-- open posting that is the same opening as another gets a row here naming the opening's canonical posting.
-- Recomputed after every nightly load (warehouse/dedupe.py); no existing data changes.

-- grain: one row per open posting that duplicates another; key posting_id.
create table posting_duplicates (
    posting_id bigint not null,
    canonical_posting_id bigint not null,
    rule varchar not null,  -- 'same_company' | 'copied_text' (warehouse/dedupe_rule.py)
    similarity double not null,  -- text similarity that decided it, 0..1
    decided_at timestamp not null
);

-- grain: one row per open opening, keyed by its canonical posting; every source link of the opening kept.
create view openings as
with open_postings as (
    select * from postings
    where closed_at is null
),

assigned as (
    select
        coalesce(duplicates.canonical_posting_id, open_postings.posting_id) as opening_id,
        open_postings.*,
    from open_postings
    left join posting_duplicates as duplicates on duplicates.posting_id = open_postings.posting_id
),

final as (
    select
        opening_id,
        count(*) as count_postings,
        list({'posting_id': posting_id, 'source': source, 'board': board, 'url': url, 'credit': credit}
             order by posting_id = opening_id desc, source, posting_id) as source_links,
    from assigned
    group by opening_id
)

select * from final;
