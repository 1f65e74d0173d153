-- grain: one row per skill named by at least one open opening under $vocabulary: in how many openings (a posting
-- carried by several boards counts once, by its canonical posting).
with open_openings as (
    select postings.content_hash from postings
    left join posting_duplicates as duplicates on duplicates.posting_id = postings.posting_id
    where postings.closed_at is null and duplicates.posting_id is null
),

named as (
    select distinct open_openings.content_hash, unnest(posting_skills.skills) as skill
    from open_openings
    inner join posting_skills on posting_skills.content_hash = open_openings.content_hash
    where posting_skills.vocabulary = $vocabulary
),

final as (
    select
        skill,
        count(distinct content_hash) as count_openings,
    from named
    group by skill
)

select * from final
order by skill
