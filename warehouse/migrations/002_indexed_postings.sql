-- 002_indexed_postings: which content each posting had when it was last written into the vector index,
-- so the next refresh re-adds exactly the postings whose content changed since.

-- grain: one row per model × posting in the index; key (model, posting_id).
create table indexed_postings (
    model varchar not null,
    posting_id bigint not null,
    content_hash varchar not null
);
