{{ config(
    materialized=daily_materialization(), unique_key='case_id',
    incremental_strategy='delete+insert', on_schema_change='fail'
) }}

-- Furthest stage per platform case (1 上报 … 7 结案): the one definition the funnel counts and lists use.
-- A case that reached a later stage has reached every earlier one (the funnel never grows down).

with

cases as (

    select * from {{ ref('int_platform_cases_scheduled') }}
    where {{ only_changed_cases() }}  -- the stages a case reached do not move with the clock

),

staged as (

    select
        case_id,
        greatest(
            1,
            case when is_accepted then 2 else 0 end,
            case when is_filed then 3 else 0 end,
            case when is_dispatched then 4 else 0 end,
            case when is_disposed then 5 else 0 end,
            case when is_verified then 6 else 0 end,
            case when is_closed then 7 else 0 end
        ) as furthest_stage_no,
        is_cancelled

    from cases

),

final as (

    select
        case_id,
        furthest_stage_no,
        {{ list_element(list_of([
            "'reported'", "'accepted'", "'filed'", "'dispatched'", "'disposed'", "'verified'", "'closed'"
        ]), 'furthest_stage_no') }}
            as furthest_stage_code,
        furthest_stage_no >= 2 as has_reached_accepted,
        furthest_stage_no >= 3 as has_reached_filed,
        furthest_stage_no >= 4 as has_reached_dispatched,
        furthest_stage_no >= 5 as has_reached_disposed,
        furthest_stage_no >= 6 as has_reached_verified,
        furthest_stage_no >= 7 as has_reached_closed,
        -- a case "stopped at" its furthest stage unless it was cancelled (作废 is a side flow of its own)
        not is_cancelled as is_stopped_at_furthest_stage

    from staged

)

select * from final
