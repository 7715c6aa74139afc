{#
    Daily increments (docs/incremental-builds.md). The big lake copies and per-case models are
    incremental on DuckDB: an incremental `gridpulse build` starts from a copy of the current release,
    and these models delete and insert the rows of the records and cases the files loaded since changed,
    not all. Every other target (Spark) builds them as tables, in full.
#}
{% macro daily_materialization() %}
    {{ return('incremental' if target.type == 'duckdb' else 'table') }}
{% endmacro %}

{#
    The case ids the files loaded since the base release touched: a case row or a workflow action
    written by one of them (a load rewrites a changed record with the new file's `_sha256`).
    `gridpulse build` sets GRIDPULSE_NEW_FILES to their sha256s, comma-separated; unset, every case
    counts as changed (a `dbt build` by hand on an existing release recomputes everything).
#}
{% macro changed_case_ids() %}
    {%- set files = env_var('GRIDPULSE_NEW_FILES', '*') -%}
    {%- if files == '*' -%}
        select case_id from {{ source('platform', 'workflow') }}
        union
        select case_id from {{ source('platform', 'cases') }}
    {%- else -%}
        {%- set shas = files.split(',') | map('trim') | reject('equalto', '') | list -%}
        {%- if shas -%}
            {%- set listed = "'" ~ (shas | join("', '")) ~ "'" -%}
            select case_id from {{ source('platform', 'workflow') }} where _sha256 in ({{ listed }})
            union
            select case_id from {{ source('platform', 'cases') }} where _sha256 in ({{ listed }})
        {%- else -%}
            select null::varchar as case_id where false
        {%- endif -%}
    {%- endif -%}
{% endmacro %}

{# A WHERE condition: only the changed cases' rows in an incremental run, every row otherwise. #}
{% macro only_changed_cases(column='case_id') %}
    {%- if is_incremental() -%}
        {{ column }} in ({{ changed_case_ids() }})
    {%- else -%}
        true
    {%- endif -%}
{% endmacro %}

{#
    A WHERE condition on a lake source: only the rows the files loaded since the base release wrote, in
    an incremental run (with unique_key the lake's record key, they replace that key's earlier row).
#}
{% macro only_new_rows() %}
    {%- set files = env_var('GRIDPULSE_NEW_FILES', '*') -%}
    {%- if not is_incremental() or files == '*' -%}
        true
    {%- else -%}
        {%- set shas = files.split(',') | map('trim') | reject('equalto', '') | list -%}
        {%- if shas -%}
            _sha256 in ('{{ shas | join("', '") }}')
        {%- else -%}
            false
        {%- endif -%}
    {%- endif -%}
{% endmacro %}
