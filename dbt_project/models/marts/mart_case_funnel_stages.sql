-- The intake funnel as one row per stage: the cases reported in the period that reached the stage, the
-- cases that reached the stage before it (the step's denominator) and all reported cases (the cumulative
-- denominator). Sums over any set of rows give that set's step and cumulative conversion.

with

funnel as (

    select * from {{ ref('mart_case_funnel') }}

),

stages as (

    select * from {{ funnel_stage_rows() }} as s

),

long as (

    select
        f.period_type,
        f.period_start,
        f.street_code,
        f.source_channel,
        f.category_code,
        f.category_major,
        s.stage_no,
        s.stage_code,
        {{ list_of([
            'f.reported_cases', 'f.accepted_cases', 'f.filed_cases', 'f.dispatched_cases', 'f.disposed_cases',
            'f.verified_cases', 'f.closed_cases'
        ]) }} as counts,
        f.reported_cases

    from funnel as f
    cross join stages as s

),

final as (

    select
        period_type,
        period_start,
        street_code,
        source_channel,
        category_code,
        category_major,
        stage_no,
        stage_code,
        {{ list_element('counts', 'stage_no') }} as cases,
        {{ list_element('counts', 'greatest(stage_no - 1, 1)') }} as previous_stage_cases,
        reported_cases

    from long

)

select * from final
