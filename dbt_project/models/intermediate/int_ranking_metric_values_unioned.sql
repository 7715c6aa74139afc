-- Every rankable metric, long: one row per (scope, entity, period, metric) with numerator,
-- denominator and value, for every street / community / handling department in every period
-- (a metric without data has a null value). seeds/ranking_metrics picks and weighs them.

with

periods as (

    select * from {{ ref('int_periods_enumerated') }}

),

flow as (

    select * from {{ ref('int_case_flow_aggregated') }}

),

events as (

    select * from {{ ref('int_grid_events_aggregated') }}

),

units as (

    select * from {{ ref('int_party_units_by_period') }}

),

weights as (

    {{ active_evaluation_weights() }}

),

{% set scopes = [
    ('street', 'street_code', ref('dim_streets'), 'street_code', 'street_name', 'paired_street_code'),
    ('community', 'community_code', ref('dim_communities'), 'community_code', 'community_name', 'paired_community_code'),
    ('department', 'department_code', ref('dim_departments'), 'department_code', 'department_name', none),
] %}

{% set grid_event_counts = [
    'closed_events', 'grid_level_events', 'whistled_events', 'valid_visits', 'contacted_visits', 'resolved_visits',
    'satisfaction_points',
] %}

{% for scope, key, dim, dim_key, dim_name, unit_key in scopes %}

{{ scope }}_entities as (

    select
        '{{ scope }}' as scope,
        d.{{ dim_key }} as entity_code,
        d.{{ dim_name }} as entity_name,
        p.period_type,
        p.period_start,
        p.period_label,
        p.is_complete_period
    from {{ dim }} as d
    cross join periods as p
    {% if scope == 'department' %}where not d.is_dispatcher{% else %}where not d.is_unassigned{% endif %}

),

{{ scope }}_flow as (

    select
        period_type,
        period_start,
        {{ 'handling_department_code' if scope == 'department' else key }} as entity_code,
        {{ case_flow_counts('flow') }}
    from flow
    group by all

),

{{ scope }}_events as (

    select
        period_type,
        period_start,
        {{ key }} as entity_code,
        sum(closed_events) as closed_events,
        sum(grid_level_events) as grid_level_events,
        sum(whistled_events) as whistled_events,
        sum(valid_visits) as valid_visits,
        sum(contacted_visits) as contacted_visits,
        sum(resolved_visits) as resolved_visits,
        sum(satisfaction_points) as satisfaction_points
    from events
    group by all

),

{% if unit_key %}
{{ scope }}_units as (

    select
        period_type,
        period_start,
        {{ unit_key }} as entity_code,
        sum(roster_members) as roster_members,
        sum(reported_members) as reported_members
    from units
    group by all

),
{% endif %}

{{ scope }}_wide as (

    select
        e.*,
        {% for column in case_flow_count_names() %}
        f.{{ column }},
        {% endfor %}
        {% for column in grid_event_counts %}
        ev.{{ column }},
        {% endfor %}
        {% if unit_key %}
        un.roster_members,
        un.reported_members,
        {% else %}
        null::bigint as roster_members,
        null::bigint as reported_members,
        {% endif %}
        {{ three_rates('w') }}

    from {{ scope }}_entities as e
    cross join weights as w
    left join {{ scope }}_flow as f
        on f.period_type = e.period_type and f.period_start = e.period_start and f.entity_code = e.entity_code
    left join {{ scope }}_events as ev
        on ev.period_type = e.period_type and ev.period_start = e.period_start and ev.entity_code = e.entity_code
    {% if unit_key %}
    left join {{ scope }}_units as un
        on un.period_type = e.period_type and un.period_start = e.period_start and un.entity_code = e.entity_code
    {% endif %}

),

{% endfor %}

wide as (

    {% for scope in scopes %}
    select * from {{ scope[0] }}_wide
    {% if not loop.last %}{{ union_all_by_name() }}{% endif %}
    {% endfor %}

),

{% set metrics = rankable_rate_metrics() %}

long as (

    select
        scope,
        entity_code,
        entity_name,
        period_type,
        period_start,
        period_label,
        is_complete_period,
        {% set metric_structs = [] %}
        {% for code, num, den in metrics %}
            {% do metric_structs.append(struct_of([
                ('metric_code', "'" ~ code ~ "'"),
                ('numerator', num ~ '::double'),
                ('denominator', den ~ '::double'),
                ('value', safe_ratio(num, den)),
            ])) %}
        {% endfor %}
        {% do metric_structs.append(struct_of([
            ('metric_code', "'evaluation_score'"),
            ('numerator', 'null::double'),
            ('denominator', 'valid_visits::double'),
            ('value', 'evaluation_score'),
        ])) %}
        {{ unnest_list(list_of(metric_structs)) }} as m

    from wide

),

final as (

    select
        scope,
        entity_code,
        entity_name,
        period_type,
        period_start,
        period_label,
        is_complete_period,
        m.metric_code,
        m.numerator,
        m.denominator,
        m.value

    from long

)

select * from final
