with

events as (

    select * from {{ ref('int_grid_events_resolved') }}

),

final as (

    select
        event_id,
        cast(reported_at as date) as reported_date,
        date_trunc('month', reported_at)::date as reported_month,
        channel,
        category_major,
        category_minor,
        urgency,
        street_code,
        street_name,
        community_code,
        community_name,
        grid_code,
        reported_grid_code,
        lon,
        lat,
        geo_quality,
        datum_raw,
        status,
        resolution_level,
        resolution_rank,
        is_grid_level,
        is_whistled,
        department_code,
        department_name,
        reported_at,
        accepted_at,
        dispatched_at,
        closed_at,
        visited_at,
        is_closed,
        is_cancelled,
        is_open,
        is_valid_visit,
        is_contacted,
        is_resolved,
        satisfaction,
        satisfaction_points,
        minutes_report_to_accept,
        minutes_report_to_close,
        timeline_issue

    from events

)

select * from final
