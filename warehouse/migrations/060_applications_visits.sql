-- 060_applications_visits: the postings a user tracks through an application (saved -> applied -> interviewing ->
-- offer | rejected), and when the web app last showed each rejection (for "new since your last visit").
-- Only new tables; no existing data changes.

create sequence application_step_id_seq start 1;

-- grain: one row per move of a tracked posting to a stage; key step_id. A posting's latest step is its stage
-- (view application_stages); earlier ones are its history. rejection_id: the rejection recorded when it moved
-- to "rejected".
create table application_steps (
    step_id bigint not null default nextval('application_step_id_seq'),
    posting_id bigint not null,
    stage varchar not null,  -- 'saved' | 'applied' | 'interviewing' | 'offer' | 'rejected'
    rejection_id integer,
    moved_at timestamp not null
);

-- grain: one row per tracked posting: its latest step.
create view application_stages as
with ranked as (
    select
        application_steps.*,
        row_number() over (partition by posting_id order by moved_at desc, step_id desc) as position,
    from application_steps
),

final as (
    select
        posting_id,
        stage,
        rejection_id,
        moved_at,
    from ranked
    where position = 1
)

select * from final;

-- grain: one row per rejection the web app has shown; key rejection_id.
create table rejection_visits (
    rejection_id integer not null,
    visited_at timestamp not null
);
