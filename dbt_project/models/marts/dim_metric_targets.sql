-- The targets the pages draw (target lines, "vs target" notes): seeds/ranking_metrics, one row per
-- ranking scope and metric. The funnel reads the street scope's.

with

metrics as (

    select * from {{ ref('ranking_metrics') }}

),

final as (

    select
        scope,
        metric_code,
        metric_name,
        target,
        direction,
        is_rate

    from metrics

)

select * from final
