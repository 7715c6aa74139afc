{#
    Layers by schema: a model configured with `+schema: staging` lands in schema `staging` (dbt's
    default would make it `main_staging`); everything else in the target schema (main: marts, seeds).
#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
