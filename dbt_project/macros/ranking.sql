{#
    CityScore-style ranking over long metric rows (scope, entity, period, metric, numerator,
    denominator, value) joined to seeds/ranking_metrics:
      score        = capped_score(value, target, direction)       (min(value/target, 1.25), inverted if lower is better)
      composite    = Σ weight·score / Σ weight                     (over the metrics that have a score)
      contribution = weight·score / Σ weight                       (so Σ contribution = composite)
      rank         = rank() by composite rounded to the shown digits (var shown_score_digits), descending:
                     scores equal as shown are ties and share a rank; the next rank is skipped
      rank_change  = previous period's rank − this rank            (positive = moved up)
    Rates carry a Wilson 95% interval; a denominator below min_denominator is flagged.
#}
{% macro rank_metric_rows(values_relation, metrics_relation, cap=1.25) %}

scored as (

    select
        v.*,
        r.metric_name,
        r.direction,
        r.weight,
        r.target,
        r.is_rate,
        r.min_denominator,
        {{ capped_score('v.value', 'r.target', 'r.direction', cap) }} as score,
        case when r.is_rate then {{ wilson_lower('least(greatest(v.numerator, 0), v.denominator)', 'v.denominator') }} end
            as ci_lower,
        case when r.is_rate then {{ wilson_upper('least(greatest(v.numerator, 0), v.denominator)', 'v.denominator') }} end
            as ci_upper,
        coalesce(v.denominator, 0) < coalesce(r.min_denominator, 0) as is_small_denominator

    from {{ values_relation }} as v
    inner join {{ metrics_relation }} as r
        on v.scope = r.scope and v.metric_code = r.metric_code

),

composed as (

    select
        scope,
        period_type,
        period_start,
        entity_code,
        sum(weight * score) / nullif(sum(weight) filter (where score is not null), 0) as composite_score,
        sum(weight) filter (where score is not null) as scored_weight,
        count(score) as scored_metrics,
        count(*) as ranked_metrics,
        bool_or(is_small_denominator) as has_small_denominator

    from scored
    group by all

),

ranked as (

    select
        *,
        case when composite_score is not null then
            rank() over (
                partition by scope, period_type, period_start
                order by {{ round_shown('composite_score', var('shown_score_digits')) }} desc nulls last
            )
        end as composite_rank,
        count(composite_score) over (partition by scope, period_type, period_start) as ranked_entities

    from composed

),

ranked_with_previous as (

    select
        *,
        lag(composite_rank) over (
            partition by scope, period_type, entity_code order by period_start
        ) as previous_rank

    from ranked

),

ranking as (

    select
        s.scope,
        s.period_type,
        s.period_start,
        s.period_label,
        s.is_complete_period,
        s.entity_code,
        s.entity_name,
        s.metric_code,
        s.metric_name,
        s.direction,
        s.weight,
        s.target,
        s.is_rate,
        s.numerator,
        s.denominator,
        s.value,
        s.ci_lower,
        s.ci_upper,
        s.min_denominator,
        s.is_small_denominator,
        s.score,
        case when s.score is not null then s.weight / rk.scored_weight end as weight_share,
        case when s.score is not null then s.weight * s.score / rk.scored_weight end as contribution,
        rk.composite_score,
        rk.composite_rank,
        rk.ranked_entities,
        rk.previous_rank,
        rk.previous_rank - rk.composite_rank as rank_change,
        rk.scored_metrics,
        rk.has_small_denominator

    from scored as s
    inner join ranked_with_previous as rk
        on s.scope = rk.scope
        and s.period_type = rk.period_type
        and s.period_start = rk.period_start
        and s.entity_code = rk.entity_code

)

{% endmacro %}


{#
    The rates every ranking scope can use: (metric_code, numerator column, denominator column) over the
    wide per-entity counts of int_ranking_metric_values_unioned. evaluation_score (三率综合) comes on
    top. seeds/ranking_metrics may pick any of rankable_metric_codes().
#}
{% macro rankable_rate_metrics() %}
    {{ return([
        ('filing_rate', 'filed_cases', 'accepted_cases'),
        ('dispatch_rate', 'dispatched_cases', 'filed_cases'),
        ('closure_rate', 'closed_cases', 'due_cases'),
        ('ontime_closure_rate', 'closed_on_time_cases', 'ontime_due_cases'),
        ('rework_rate', 'reworked_cases', 'due_cases'),
        ('extension_rate', 'extended_cases', 'due_cases'),
        ('ontime_disposal_rate', 'disposed_on_time_cases', 'ontime_disposal_due_cases'),
        ('response_rate', 'contacted_visits', 'valid_visits'),
        ('resolution_rate', 'resolved_visits', 'valid_visits'),
        ('satisfaction_rate', 'satisfaction_points', 'valid_visits'),
        ('grid_self_resolution_rate', 'grid_level_events', 'closed_events'),
        ('whistle_rate', 'whistled_events', 'closed_events'),
        ('report_in_rate', 'reported_members', 'roster_members'),
    ]) }}
{% endmacro %}

{% macro rankable_metric_codes() %}
    {% set codes = [] %}
    {% for metric in rankable_rate_metrics() %}
        {% do codes.append(metric[0]) %}
    {% endfor %}
    {% do codes.append('evaluation_score') %}
    {{ return(codes) }}
{% endmacro %}
