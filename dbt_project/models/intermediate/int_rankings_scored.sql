-- Rankings of every scope (street / community / department) per month and quarter, scored with
-- seeds/ranking_metrics: one row per (scope, period, entity, ranked metric).

with

metric_values as (

    select * from {{ ref('int_ranking_metric_values_unioned') }}

),

metrics as (

    select * from {{ ref('ranking_metrics') }}

),

{{ rank_metric_rows('metric_values', 'metrics') }}

select * from ranking
