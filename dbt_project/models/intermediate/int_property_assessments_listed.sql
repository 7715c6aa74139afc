-- Quarterly property assessments with the 红/黑榜 recomputed by the active rule
-- (seeds/property_list_rule.csv) next to the list as published:
--   红榜: the top-N projects of each street among those scoring at least red_min_score, never a vetoed one;
--   黑榜: every 一票否决 project (when veto_forces_black), plus the bottom-N city-wide among the other
--         projects scoring below black_max_score;
--   ties at a cut-off are all listed (rank(), not row_number()) unless ties_split.

with

assessments as (

    select * from {{ ref('stg_property__assessments') }}

),

rule as (

    select * from {{ ref('property_list_rule') }}
    where is_active
    limit 1

),

areas as (

    select * from {{ ref('int_divisions_flattened') }}

),

located as (

    select
        a.*,
        s.area_code as street_code,
        cm.area_code as community_code,
        k.area_code as compound_code

    from assessments as a
    left join areas as s on s.area_level = '街道' and a.street_name = s.area_name
    left join areas as cm
        on cm.area_level = '社区' and a.community_name = cm.area_name and cm.street_name = a.street_name
    left join areas as k
        on k.area_level = '小区' and a.project_name = k.area_name and k.community_name = a.community_name

),

ranked as (

    select
        l.*,
        r.rule_id,
        r.red_top_n_per_street,
        r.black_bottom_n_overall,
        not l.is_vetoed and (r.red_min_score is null or l.total_score >= r.red_min_score) as is_red_eligible,
        not (l.is_vetoed and r.veto_forces_black)
        and (r.black_max_score is null or l.total_score < r.black_max_score) as is_black_eligible,
        l.is_vetoed and r.veto_forces_black as is_black_by_veto,
        r.ties_split

    from located as l
    cross join rule as r

),

red_ranked as (

    select
        assessment_id,
        case when ties_split
                then row_number() over (partition by quarter_label, street_name order by total_score desc, project_name)
            else rank() over (partition by quarter_label, street_name order by total_score desc)
        end as red_rank
    from ranked
    where is_red_eligible

),

black_ranked as (

    select
        assessment_id,
        case when ties_split
                then row_number() over (partition by quarter_label order by total_score asc, project_name)
            else rank() over (partition by quarter_label order by total_score asc)
        end as black_rank
    from ranked
    where is_black_eligible

),

street_ranked as (

    select
        assessment_id,
        rank() over (partition by quarter_label, street_name order by total_score desc) as street_score_rank,
        rank() over (partition by quarter_label order by total_score desc) as city_score_rank
    from ranked

),

final as (

    select
        r.*,
        rr.red_rank,
        br.black_rank,
        sr.street_score_rank,
        sr.city_score_rank,
        case
            when r.is_black_by_veto then '黑榜'
            when rr.red_rank <= r.red_top_n_per_street then '红榜'
            when br.black_rank <= r.black_bottom_n_overall then '黑榜'
        end as computed_list,
        case
            when r.is_black_by_veto then '一票否决(' || r.veto_reason || ')'
            when rr.red_rank <= r.red_top_n_per_street then '街道第 ' || rr.red_rank || ' 名'
            when br.black_rank <= r.black_bottom_n_overall then '全市倒数第 ' || br.black_rank || ' 名'
        end as computed_list_reason

    from ranked as r
    left join red_ranked as rr on r.assessment_id = rr.assessment_id
    left join black_ranked as br on r.assessment_id = br.assessment_id
    left join street_ranked as sr on r.assessment_id = sr.assessment_id

)

select * from final
