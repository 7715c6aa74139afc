{{ config(
    materialized=daily_materialization(), unique_key='case_id',
    incremental_strategy='delete+insert', on_schema_change='fail'
) }}

-- The intake funnel at case grain: one row per platform case and funnel stage (1 上报 … 7 结案), flagged
-- for the stage's two rates, so the funnel page counts them over any filtered set of cases:
--   step conversion = cases that reached the stage / cases that reached the stage before it
--   share of reported = cases that reached the stage / cases reported (the stage-1 step is 上报 itself).
-- Which stage a case reached is fct_case_stages' (its furthest stage).

with

cases as (

    select case_id, furthest_stage_no from {{ ref('fct_case_stages') }}
    where {{ only_changed_cases() }}

),

stages as (

    select * from {{ funnel_stage_rows() }} as s

),

final as (

    select
        c.case_id,
        s.stage_no,
        s.stage_code,
        c.furthest_stage_no >= s.stage_no as is_stage_reached_hit,
        c.furthest_stage_no >= greatest(s.stage_no - 1, 1) as in_step_conversion_base,
        true as in_share_of_reported_base

    from cases as c
    cross join stages as s

)

select * from final
