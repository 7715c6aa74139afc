-- The composite of every ranked entity equals Σ weight × score / Σ weight over its scored metrics,
-- and equals the sum of the metrics' contributions.
with per_entity as (
    select
        scope, period_type, period_start, entity_code,
        {{ any_non_null('composite_score') }} as composite_score,
        sum(weight * score) / nullif(sum(weight) filter (where score is not null), 0) as weighted_mean,
        sum(contribution) as contribution_sum
    from {{ ref('int_rankings_scored') }}
    group by all
)
select *
from per_entity
where abs(coalesce(composite_score, -1) - coalesce(weighted_mean, -1)) > 1e-9
   or abs(coalesce(composite_score, -1) - coalesce(contribution_sum, -1)) > 1e-9
