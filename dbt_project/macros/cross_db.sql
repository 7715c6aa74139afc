{#
    Where DuckDB and Spark SQL differ and dbt's own cross-database macros do not say the same thing on
    both (dbt.datediff rounds minutes up on Spark; dbt.listagg drops its order there; dbt.any_value
    keeps nulls): one macro each, default__ the DuckDB SQL the models always had, spark__ the same
    result in Spark SQL (Spark 4). `gridpulse build --engine spark` and tests/release/test_spark_parity.py.
#}

{# date_diff(part, start, end): the number of `part` boundaries crossed (minute or day), as DuckDB counts. #}
{% macro datediff_boundaries(part, start, end) -%}
    {{ return(adapter.dispatch('datediff_boundaries', 'gridpulse')(part, start, end)) }}
{%- endmacro %}

{% macro minutes_between(start, end) -%}
    {{ datediff_boundaries('minute', start, end) }}
{%- endmacro %}

{% macro days_between(start, end) -%}
    {{ datediff_boundaries('day', start, end) }}
{%- endmacro %}

{% macro default__datediff_boundaries(part, start, end) -%}
    date_diff('{{ part }}', {{ start }}, {{ end }})
{%- endmacro %}

{% macro spark__datediff_boundaries(part, start, end) -%}
    {%- if part == 'day' -%}
        datediff(cast({{ end }} as date), cast({{ start }} as date))
    {%- else -%}
        timestampdiff({{ part | upper }}, date_trunc('{{ part }}', {{ start }}), date_trunc('{{ part }}', {{ end }}))
    {%- endif -%}
{%- endmacro %}

{# A date or timestamp as text; `format` in strftime's %-codes (%Y %m %d %H %M %S). #}
{% macro format_datetime(value, format) -%}
    {{ return(adapter.dispatch('format_datetime', 'gridpulse')(value, format)) }}
{%- endmacro %}

{% macro default__format_datetime(value, format) -%}
    strftime({{ value }}, '{{ format }}')
{%- endmacro %}

{% macro spark__format_datetime(value, format) -%}
    {%- set java = format | replace('%Y', 'yyyy') | replace('%m', 'MM') | replace('%d', 'dd')
        | replace('%H', 'HH') | replace('%M', 'mm') | replace('%S', 'ss') -%}
    date_format({{ value }}, '{{ java }}')
{%- endmacro %}

{# ISO day of week: Monday 1 … Sunday 7. #}
{% macro iso_day_of_week(value) -%}
    {{ return(adapter.dispatch('iso_day_of_week', 'gridpulse')(value)) }}
{%- endmacro %}

{% macro default__iso_day_of_week(value) -%}
    isodow({{ value }})
{%- endmacro %}

{% macro spark__iso_day_of_week(value) -%}
    (weekday({{ value }}) + 1)
{%- endmacro %}

{# A list literal, and its n-th element (1-based, as DuckDB indexes lists). #}
{% macro list_of(items) -%}
    {{ return(adapter.dispatch('list_of', 'gridpulse')(items)) }}
{%- endmacro %}

{% macro default__list_of(items) -%}
    [{{ items | join(', ') }}]
{%- endmacro %}

{% macro spark__list_of(items) -%}
    array({{ items | join(', ') }})
{%- endmacro %}

{% macro list_element(list, index) -%}
    {{ return(adapter.dispatch('list_element', 'gridpulse')(list, index)) }}
{%- endmacro %}

{% macro default__list_element(list, index) -%}
    {{ list }}[{{ index }}]
{%- endmacro %}

{% macro spark__list_element(list, index) -%}
    element_at({{ list }}, {{ index }})
{%- endmacro %}

{# A struct literal from (name, expression) pairs. #}
{% macro struct_of(fields) -%}
    {{ return(adapter.dispatch('struct_of', 'gridpulse')(fields)) }}
{%- endmacro %}

{% macro default__struct_of(fields) -%}
    { {%- for name, expr in fields %}'{{ name }}': {{ expr }}{{ ', ' if not loop.last }}{% endfor -%} }
{%- endmacro %}

{% macro spark__struct_of(fields) -%}
    named_struct({%- for name, expr in fields %}'{{ name }}', {{ expr }}{{ ', ' if not loop.last }}{% endfor -%})
{%- endmacro %}

{# One row per element of a list (in a select list). #}
{% macro unnest_list(list) -%}
    {{ return(adapter.dispatch('unnest_list', 'gridpulse')(list)) }}
{%- endmacro %}

{% macro default__unnest_list(list) -%}
    unnest({{ list }})
{%- endmacro %}

{% macro spark__unnest_list(list) -%}
    explode({{ list }})
{%- endmacro %}

{# The list's non-null elements. #}
{% macro list_without_nulls(list) -%}
    {{ return(adapter.dispatch('list_without_nulls', 'gridpulse')(list)) }}
{%- endmacro %}

{% macro default__list_without_nulls(list) -%}
    list_filter({{ list }}, lambda f: f is not null)
{%- endmacro %}

{% macro spark__list_without_nulls(list) -%}
    filter({{ list }}, f -> f is not null)
{%- endmacro %}

{# After a FROM item: joins each of its rows to the steps `start` … `stop` (inclusive), as alias (column). #}
{% macro join_series(start, stop, step, alias, column) -%}
    {{ return(adapter.dispatch('join_series', 'gridpulse')(start, stop, step, alias, column)) }}
{%- endmacro %}

{% macro default__join_series(start, stop, step, alias, column) -%}
    , unnest(generate_series({{ start }}, {{ stop }}, {{ step }})) as {{ alias }} ({{ column }})
{%- endmacro %}

{% macro spark__join_series(start, stop, step, alias, column) -%}
    lateral view explode(sequence({{ start }}, {{ stop }}, {{ step }})) {{ alias }} as {{ column }}
{%- endmacro %}

{# `value` on the row where `ordering` is largest, among the rows whose value is not null (DuckDB's arg_max). #}
{% macro arg_max(value, ordering) -%}
    {{ return(adapter.dispatch('arg_max', 'gridpulse')(value, ordering)) }}
{%- endmacro %}

{% macro default__arg_max(value, ordering) -%}
    arg_max({{ value }}, {{ ordering }})
{%- endmacro %}

{% macro spark__arg_max(value, ordering) -%}
    max_by({{ value }}, case when ({{ value }}) is not null then {{ ordering }} end)
{%- endmacro %}

{# Any non-null value of the group. #}
{% macro any_non_null(value) -%}
    {{ return(adapter.dispatch('any_non_null', 'gridpulse')(value)) }}
{%- endmacro %}

{% macro default__any_non_null(value) -%}
    any_value({{ value }})
{%- endmacro %}

{% macro spark__any_non_null(value) -%}
    any_value({{ value }}, true)
{%- endmacro %}

{# The continuous (interpolated) quantile. #}
{% macro quantile_continuous(value, fraction) -%}
    {{ return(adapter.dispatch('quantile_continuous', 'gridpulse')(value, fraction)) }}
{%- endmacro %}

{% macro default__quantile_continuous(value, fraction) -%}
    quantile_cont({{ value }}, {{ fraction }})
{%- endmacro %}

{% macro spark__quantile_continuous(value, fraction) -%}
    percentile({{ value }}, {{ fraction }})
{%- endmacro %}

{# Texts joined with `separator` in `order_by` order; `distinct` drops repeats. #}
{% macro ordered_string_agg(value, separator, order_by=none, distinct=false) -%}
    {{ return(adapter.dispatch('ordered_string_agg', 'gridpulse')(value, separator, order_by, distinct)) }}
{%- endmacro %}

{% macro default__ordered_string_agg(value, separator, order_by, distinct) -%}
    string_agg({{ 'distinct ' if distinct }}{{ value }}, {{ separator }}{{ ' order by ' ~ order_by if order_by }})
{%- endmacro %}

{% macro spark__ordered_string_agg(value, separator, order_by, distinct) -%}
    listagg({{ 'distinct ' if distinct }}{{ value }}, {{ separator }}) within group (order by {{ order_by or value }})
{%- endmacro %}

{# key → value map of the group's rows, entries in `order_by` order. #}
{% macro ordered_map_agg(key, value, order_by) -%}
    {{ return(adapter.dispatch('ordered_map_agg', 'gridpulse')(key, value, order_by)) }}
{%- endmacro %}

{% macro default__ordered_map_agg(key, value, order_by) -%}
    map_from_entries(list(({{ key }}, {{ value }}) order by {{ order_by }}))
{%- endmacro %}

{# Spark's collect_list has no order: sort the (ordering..., key, value) structs, then keep key and value. #}
{% macro spark__ordered_map_agg(key, value, order_by) -%}
    {%- set sort_keys = [] -%}
    {%- for term in order_by.split(',') -%}
        {%- set parts = term.strip().split(' ') -%}
        {%- do sort_keys.append(('-' if parts[-1] | lower == 'desc' else '') ~ parts[0]) -%}
    {%- endfor -%}
    map_from_entries(transform(
        array_sort(collect_list(struct({% for k in sort_keys %}{{ k }} as o{{ loop.index }}, {% endfor %}{{ key }} as k, {{ value }} as v))),
        e -> struct(e.k, e.v)
    ))
{%- endmacro %}

{# A local timestamp of zone `zone` (a column or a quoted name) as UTC. #}
{% macro local_to_utc(value, zone) -%}
    {{ return(adapter.dispatch('local_to_utc', 'gridpulse')(value, zone)) }}
{%- endmacro %}

{% macro default__local_to_utc(value, zone) -%}
    timezone({{ zone }}, {{ value }})
{%- endmacro %}

{% macro spark__local_to_utc(value, zone) -%}
    to_utc_timestamp({{ value }}, {{ zone }})
{%- endmacro %}

{# Now, as a timestamp without zone in `zone`. #}
{% macro now_in_zone(zone) -%}
    {{ return(adapter.dispatch('now_in_zone', 'gridpulse')(zone)) }}
{%- endmacro %}

{% macro default__now_in_zone(zone) -%}
    cast(current_timestamp at time zone '{{ zone }}' as timestamp)
{%- endmacro %}

{% macro spark__now_in_zone(zone) -%}
    cast(from_utc_timestamp(current_timestamp(), '{{ zone }}') as timestamp_ntz)
{%- endmacro %}

{# The JSON type (Spark keeps JSON as text; the release's DuckDB table gets the contract's json). #}
{% macro type_json() -%}
    {{ return(adapter.dispatch('type_json', 'gridpulse')()) }}
{%- endmacro %}

{% macro default__type_json() -%}
    json
{%- endmacro %}

{% macro spark__type_json() -%}
    string
{%- endmacro %}

{# A regular expression as a string literal (Spark would read its backslashes as escapes). #}
{% macro regex_literal(pattern) -%}
    {{ return(adapter.dispatch('regex_literal', 'gridpulse')(pattern)) }}
{%- endmacro %}

{% macro default__regex_literal(pattern) -%}
    '{{ pattern }}'
{%- endmacro %}

{% macro spark__regex_literal(pattern) -%}
    r'{{ pattern }}'
{%- endmacro %}

{#
    UNION ALL BY NAME. Spark SQL has none: there the sides are matched by position, so every model that
    uses this lists its columns in the same order on each side (the Spark parity test compares every column).
#}
{% macro union_all_by_name() -%}
    {{ return(adapter.dispatch('union_all_by_name', 'gridpulse')()) }}
{%- endmacro %}

{% macro default__union_all_by_name() -%}
    union all by name
{%- endmacro %}

{% macro spark__union_all_by_name() -%}
    union all
{%- endmacro %}

{# The number of elements of a list. #}
{% macro list_length(list) -%}
    {{ return(adapter.dispatch('list_length', 'gridpulse')(list)) }}
{%- endmacro %}

{% macro default__list_length(list) -%}
    len({{ list }})
{%- endmacro %}

{% macro spark__list_length(list) -%}
    size({{ list }})
{%- endmacro %}

{#
    A figure rounded for display, the same on every engine: to `digits` decimals, halves away from zero,
    as a double. DuckDB rounds a double's binary value (0.425 is 0.42499…: 0.42) and divides decimals
    into doubles, while Spark divides decimals exactly and rounds them half-up (0.43). Both cast a
    decimal with 9 digits first, so 0.425 is 0.425 on both and shows 0.43.
#}
{% macro round_shown(expr, digits) -%}
    cast(round(cast({{ expr }} as decimal(38, 9)), {{ digits }}) as double)
{%- endmacro %}
