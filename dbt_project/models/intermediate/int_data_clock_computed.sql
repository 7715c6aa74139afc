-- One row: "now" as the data sees it. The latest event of any kind across the operational sources —
-- a report, a workflow action, an acceptance, dispatch, close or update — is the as-of time; the
-- command center's "today" is its day. Periods after it do not exist yet, and a deadline after it has
-- not fallen due. An export without a workflow log (311) moves the clock with its close and update
-- times too, so open requests whose deadline passed after the last report are overdue.

with

case_times as (

    select
        max(greatest(reported_at, export_closed_at, export_updated_at)) as latest_at,
        min(reported_at) as earliest_at
    from {{ ref('stg_platform__cases') }}

),

action_times as (

    select max(action_at) as latest_at, min(action_at) as earliest_at
    from {{ ref('stg_platform__workflow_actions') }}

),

event_times as (

    select
        max(greatest(reported_at, accepted_at, dispatched_at, closed_at, visited_at)) as latest_at,
        min(reported_at) as earliest_at
    from {{ ref('stg_grid__events') }}

),

computed as (

    select
        coalesce(
            greatest(c.latest_at, a.latest_at, e.latest_at),
            {{ now_in_zone('Asia/Shanghai') }}
        )::timestamp as as_of_at,
        coalesce(
            least(c.earliest_at, a.earliest_at, e.earliest_at),
            {{ now_in_zone('Asia/Shanghai') }}
        )::timestamp as first_data_at

    from case_times as c
    cross join action_times as a
    cross join event_times as e

),

final as (

    select
        as_of_at,
        cast(as_of_at as date) as as_of_date,
        first_data_at,
        cast(first_data_at as date) as first_data_date

    from computed

)

select * from final
