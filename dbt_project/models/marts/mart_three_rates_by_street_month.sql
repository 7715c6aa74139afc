with

events as (

    select * from {{ ref('int_grid_events_aggregated') }}
    where period_type = 'month'

),

periods as (

    select * from {{ ref('int_periods_enumerated') }}
    where period_type = 'month'

),

streets as (

    select street_code, street_name from {{ ref('dim_streets') }}

),

weights as (

    {{ active_evaluation_weights() }}

),

summed as (

    select
        p.period_start as month_start,
        p.period_label as month_label,
        p.is_complete_period,
        s.street_code,
        s.street_name,
        coalesce(sum(e.valid_visits), 0)::bigint as valid_visits,
        coalesce(sum(e.contacted_visits), 0)::bigint as contacted_visits,
        coalesce(sum(e.resolved_visits), 0)::bigint as resolved_visits,
        coalesce(sum(e.satisfied_visits), 0)::bigint as satisfied_visits,
        coalesce(sum(e.basically_satisfied_visits), 0)::bigint as basically_satisfied_visits,
        coalesce(sum(e.dissatisfied_visits), 0)::bigint as dissatisfied_visits,
        coalesce(sum(e.unrated_visits), 0)::bigint as unrated_visits,
        coalesce(sum(e.satisfaction_points), 0)::double as satisfaction_points

    from periods as p
    cross join streets as s
    left join events as e on e.period_start = p.period_start and e.street_code = s.street_code
    group by all

),

final as (

    select
        s.*,
        {{ three_rates('w') }},
        w.weight_set as evaluation_weight_set

    from summed as s
    cross join weights as w

)

select * from final
