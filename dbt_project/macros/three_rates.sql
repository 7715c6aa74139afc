{#
    12345-style 三率 over summed return-visit counts (BRIEF §4):
      响应率 = 已联系 / 有效回访; 解决率 = 已解决 / 有效回访;
      满意率 = (满意 + 0.9 × 基本满意) / 有效回访;
    and the evaluation score, their weighted mean with the active seeds/evaluation_weights set.
    `weights` is the alias of a relation with columns w_response, w_resolution, w_satisfaction
    (see active_evaluation_weights()).
#}
{% macro three_rates(weights='w') -%}
        {{ safe_ratio('contacted_visits', 'valid_visits') }} as response_rate,
        {{ safe_ratio('resolved_visits', 'valid_visits') }} as resolution_rate,
        {{ safe_ratio('satisfaction_points', 'valid_visits') }} as satisfaction_rate,
        case when valid_visits > 0 then
            ({{ weights }}.w_response * contacted_visits / valid_visits::double
             + {{ weights }}.w_resolution * resolved_visits / valid_visits::double
             + {{ weights }}.w_satisfaction * satisfaction_points / valid_visits::double)
            / nullif({{ weights }}.w_response + {{ weights }}.w_resolution + {{ weights }}.w_satisfaction, 0)
        end as evaluation_score
{%- endmacro %}

{# One row: the weights of the active 三率 set. #}
{% macro active_evaluation_weights() -%}
    select
        coalesce(sum(weight) filter (where rate_code = 'response_rate'), 0) as w_response,
        coalesce(sum(weight) filter (where rate_code = 'resolution_rate'), 0) as w_resolution,
        coalesce(sum(weight) filter (where rate_code = 'satisfaction_rate'), 0) as w_satisfaction,
        {{ ordered_string_agg('weight_set', "','", distinct=true) }} as weight_set
    from {{ ref('evaluation_weights') }}
    where is_active
{%- endmacro %}
