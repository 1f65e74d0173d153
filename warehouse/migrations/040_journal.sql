-- 040_journal: the rejection journal (contact, feedback asked and received, self-review), drafts mailed, the
-- user's profile (CV text), the ESCO skills found in each posting's text, and each rejection's latest plan.
-- Only new tables; no existing data changes.

-- grain: one row per rejection with journal fields; key rejection_id. Null = not given yet.
create table rejection_journal (
    rejection_id integer not null,
    contact_name varchar,
    contact_email varchar,
    feedback_asked_at timestamp,  -- when feedback was asked (a draft mailed, or `plenty reject asked`)
    followed_up_at timestamp,  -- the latest follow-up on a feedback request
    went_well varchar,
    went_wrong varchar,
    went_wrong_tags varchar[],  -- from journal/review_tags.py TAGS
    updated_at timestamp not null
);

create sequence feedback_id_seq start 1;

-- grain: one row per piece of feedback received on a rejection; key feedback_id.
create table rejection_feedback (
    feedback_id bigint not null default nextval('feedback_id_seq'),
    rejection_id integer not null,
    text varchar not null,
    received_on date not null,
    recorded_at timestamp not null
);

create sequence draft_id_seq start 1;

-- grain: one row per draft mailed through the SMTP server; key draft_id.
create table sent_drafts (
    draft_id bigint not null default nextval('draft_id_seq'),
    rejection_id integer not null,
    kind varchar not null,  -- 'ask' | 'thank' | 'follow-up'
    recipient varchar not null,
    message_id varchar,
    sent_at timestamp not null
);

create sequence profile_id_seq start 1;

-- grain: one row per version of the user's profile; the latest is current; key profile_id.
create table profiles (
    profile_id bigint not null default nextval('profile_id_seq'),
    name varchar,  -- signs the drafts
    cv_text varchar,
    cv_file varchar,  -- the file name the CV was read from
    cv_format varchar,  -- 'txt' | 'md' | 'pdf' | 'docx'
    stored_at timestamp not null
);

-- grain: one row per content hash x skill vocabulary: the ESCO skills a posting's text names; key
-- (content_hash, vocabulary).
create table posting_skills (
    content_hash varchar not null,
    vocabulary varchar not null,  -- the skill vocabulary and its version (embeddings/skill_names.py)
    skills varchar[] not null,
    created_at timestamp not null
);

-- grain: one row per rejection: its latest plan (`plenty analyse`); key rejection_id.
create table rejection_plans (
    rejection_id integer not null,
    count_openings integer not null,  -- how many similar openings the plan read
    to_build varchar[] not null,  -- skills to build next, best first
    have varchar[] not null,  -- skills in demand the profile shows, most asked first
    markdown_path varchar,
    computed_at timestamp not null
);
