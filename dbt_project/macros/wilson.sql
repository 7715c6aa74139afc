{#
    Wilson score interval for a proportion successes / n (default 95%, z = 1.96).
    Well-behaved for small n and for proportions at 0 or 1, unlike the normal approximation.
    Null when n is null or 0. successes may be fractional (e.g. 满意 + 0.9 × 基本满意).
#}

{% macro wilson_center(successes, n, z=1.96) -%}
    case when coalesce({{ n }}, 0) > 0 then
        ((({{ successes }}) / ({{ n }})::double) + power({{ z }}, 2) / (2.0 * ({{ n }})))
        / (1.0 + power({{ z }}, 2) / ({{ n }}))
    end
{%- endmacro %}

{% macro wilson_half_width(successes, n, z=1.96) -%}
    case when coalesce({{ n }}, 0) > 0 then
        {{ z }} * sqrt(
            greatest(
                (({{ successes }}) / ({{ n }})::double) * (1.0 - (({{ successes }}) / ({{ n }})::double)) / ({{ n }}),
                0.0
            ) + power({{ z }}, 2) / (4.0 * power({{ n }}, 2))
        ) / (1.0 + power({{ z }}, 2) / ({{ n }}))
    end
{%- endmacro %}

{% macro wilson_lower(successes, n, z=1.96) -%}
    greatest({{ wilson_center(successes, n, z) }} - {{ wilson_half_width(successes, n, z) }}, 0.0)
{%- endmacro %}

{% macro wilson_upper(successes, n, z=1.96) -%}
    least({{ wilson_center(successes, n, z) }} + {{ wilson_half_width(successes, n, z) }}, 1.0)
{%- endmacro %}
