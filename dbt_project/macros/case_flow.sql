{#
    The case-flow counts summed over the rows of int_case_flow_aggregated (group by the caller's keys)
    and the published rates (BRIEF §4):
      立案率 = 立案数 / 受理数, 派遣率 = 派遣数 / 立案数 (intake cohort of the period);
      结案率 = 结案数 / 应结案数, 按期结案率 = 按期结案数 / 应结案数, 返工率 = 返工数 / 应结案数,
      延期率 = 延期数 / 应结案数 (应结案 = deadline in the period, carry-over included);
      按期处置率 = 按期处置数 / 应处置数.
    按期 rates count only the due cases whose timeliness can be judged (ontime_due_cases): a request from
    an export without a workflow log and without a deadline is neither on time nor late. For the Chinese
    platform that is every due case.
#}
{% macro case_flow_count_names() -%}
    {{ return([
        'reported_cases', 'accepted_cases', 'filed_cases', 'dispatched_cases', 'cancelled_cases', 'due_cases',
        'carried_over_cases', 'closed_cases', 'closed_on_time_cases', 'reworked_cases', 'rework_loops',
        'extended_cases', 'disposal_due_cases', 'disposed_on_time_cases', 'ontime_due_cases',
        'ontime_disposal_due_cases',
    ]) }}
{%- endmacro %}

{% macro case_flow_counts(alias='f') -%}
    {%- for name in case_flow_count_names() %}
        coalesce(sum({{ alias }}.{{ name }}), 0)::bigint as {{ name }}{{ ',' if not loop.last }}
    {%- endfor %}
{%- endmacro %}

{% macro case_flow_rates() -%}
        {{ safe_ratio('filed_cases', 'accepted_cases') }} as filing_rate,
        {{ safe_ratio('dispatched_cases', 'filed_cases') }} as dispatch_rate,
        {{ safe_ratio('closed_cases', 'due_cases') }} as closure_rate,
        {{ safe_ratio('closed_on_time_cases', 'ontime_due_cases') }} as ontime_closure_rate,
        {{ safe_ratio('reworked_cases', 'due_cases') }} as rework_rate,
        {{ safe_ratio('extended_cases', 'due_cases') }} as extension_rate,
        {{ safe_ratio('disposed_on_time_cases', 'ontime_disposal_due_cases') }} as ontime_disposal_rate
{%- endmacro %}
