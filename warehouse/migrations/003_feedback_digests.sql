-- 003_feedback_digests: the user's marks on postings, a per-rejection cool-off, and the weekly digests sent.
-- Existing rows are kept: rejections only gain a nullable column (null = the configured default cool-off).

alter table rejections add column cooloff_days integer;

create sequence mark_id_seq start 1;

-- grain: one row per mark a user gave a posting (applied, dismissed, saved); key mark_id.
-- The latest mark of a posting is its current one (view current_marks); earlier ones are history.
create table posting_marks (
    mark_id bigint not null default nextval('mark_id_seq'),
    posting_id bigint not null,
    mark varchar not null,  -- 'applied' | 'dismissed' | 'saved'
    note varchar,
    marked_at timestamp not null
);

-- grain: one row per marked posting: its latest mark.
create view current_marks as
with ranked as (
    select
        posting_marks.*,
        row_number() over (partition by posting_id order by marked_at desc, mark_id desc) as position,
    from posting_marks
),

final as (
    select
        posting_id,
        mark,
        note,
        marked_at,
    from ranked
    where position = 1
)

select * from final;

-- grain: one row per ISO week whose digest was delivered (written, or sent when sending was asked); key week.
create table digests (
    week varchar not null,  -- 'YYYY-Www'
    delivered_at timestamp not null,
    sent_at timestamp,  -- null when the digest was only written to files
    count_items integer not null,
    markdown_path varchar,
    html_path varchar
);

-- grain: one row per posting shown for one rejection in one week's digest; key (week, rejection_id, posting_id).
-- A posting shown for a rejection is never shown again for it in another week.
create table digest_items (
    week varchar not null,
    rejection_id integer not null,
    posting_id bigint not null,
    section varchar not null,  -- 'match' | 'door' | 'reopened'
    score double,
    shown_at timestamp not null
);
