{#
    CityScore-style metric score (Boston): value / target, capped at `cap` (1.25);
    inverted where lower is better (target / value, and a value of 0 scores the cap).
    Null when the value or target is null.
#}
{% macro capped_score(value, target, direction, cap=1.25) -%}
    case
        when ({{ value }}) is null or ({{ target }}) is null or ({{ target }}) = 0 then null
        when ({{ direction }}) = 'lower' then
            case when ({{ value }}) <= 0 then {{ cap }}::double
                 else least(({{ target }}) / ({{ value }})::double, {{ cap }}) end
        else least(greatest(({{ value }}) / ({{ target }})::double, 0.0), {{ cap }})
    end
{%- endmacro %}


{# A ratio that is null (not 0, not an error) when the denominator is 0 or null. #}
{% macro safe_ratio(numerator, denominator) -%}
    case when coalesce({{ denominator }}, 0) = 0 then null
         else ({{ numerator }}) / ({{ denominator }})::double end
{%- endmacro %}
