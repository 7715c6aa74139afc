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
    {%- set new_rows = '' if env_var('GRIDPULSE_NEW_FILES', '*') == '*' else ' where ' ~ new_files_condition() -%}
    select case_id from {{ source('platform', 'workflow') }}{{ new_rows }}
    union
    select case_id from {{ source('platform', 'cases') }}{{ new_rows }}
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
    A WHERE condition for the per-case models the as-of clock reaches (a case's overdue state, the
    periods it is due in): in an incremental run, the changed cases plus `clock_bound`, a query of the
    case ids whose rows the clock can move although no new file touched them. Elsewhere every case.
#}
{% macro only_changed_or_clock_bound_cases(clock_bound) %}
    {%- if is_incremental() -%}
        (case_id in ({{ changed_case_ids() }}) or case_id in ({{ clock_bound }}))
    {%- else -%}
        true
    {%- endif -%}
{% endmacro %}

{# The cases open in the base (this model's rows before the run): only their overdue state moves with the clock. #}
{% macro open_cases_in_base() %}
    select case_id from {{ this }} where is_open
{% endmacro %}

{#
    The cases whose due-by-period rows (应结案 per month / quarter) the clock can move, for a model with
    a due_at column, from `cases` (the schedule or fct_platform_cases, whichever the model reads): the
    open ones (a new period carries them over) and those due after the base's as-of time (no rows yet;
    every row the base has is due by then). Recomputed whole with the changed cases;
    `delete_recomputed_cases` runs first, as a case can lose every row (cancelled since).
#}
{% macro due_by_period_clock_bound_cases(cases) %}
    select case_id from {{ cases }}
    where is_open or due_at >= coalesce((select max(due_at) from {{ this }}), due_at)
{% endmacro %}

{# pre_hook of a model whose recomputed cases may have fewer rows now: their old rows go first. #}
{% macro delete_recomputed_cases(clock_bound) %}
    {%- if is_incremental() -%}
        delete from {{ this }} where {{ only_changed_or_clock_bound_cases(clock_bound) }}
    {%- endif -%}
{% endmacro %}

{#
    A WHERE condition on a lake source: only the rows the files loaded since the base release wrote, in
    an incremental run (with unique_key the lake's record key, they replace that key's earlier row).
#}
{% macro only_new_rows() %}
    {%- if not is_incremental() or env_var('GRIDPULSE_NEW_FILES', '*') == '*' -%}
        true
    {%- else -%}
        {{ new_files_condition() }}
    {%- endif -%}
{% endmacro %}

{# `_sha256 in (…the new files…)`, or false when none are listed (GRIDPULSE_NEW_FILES set but empty). #}
{% macro new_files_condition() %}
    {%- set shas = env_var('GRIDPULSE_NEW_FILES', '').split(',') | map('trim') | reject('equalto', '') | list -%}
    {%- if shas -%}
        _sha256 in ('{{ shas | join("', '") }}')
    {%- else -%}
        false
    {%- endif -%}
{% endmacro %}

{#
    Data tests of the incremental models, in an incremental run, check the rows this run wrote: the
    changed cases' (or new events') rows. (The clock-bound models also rewrite the open cases; their
    tests check them whole.) Every other row is the base release's, tested when it was
    built, and every test on these models is row-local or keyed within a case (unique action ids
    carry their case id), so the rest cannot have changed. dbt hands each generic test its model
    through get_where_subquery; this keeps dbt's own `where` config and adds the scope.
#}
{% macro increment_test_scope(relation) %}
    {#- the name first: dbt re-parses every file whose tests read a changed env var -#}
    {%- set name = relation.identifier if relation.identifier is defined else '' -%}
    {%- set by_case = ['stg_platform__cases', 'stg_platform__workflow_actions', 'int_workflow_actions_sequenced',
                       'int_platform_cases_pivoted', 'fct_workflow_actions', 'fct_case_stages',
                       'fct_case_funnel_steps'] -%}
    {%- if target.type != 'duckdb' or name not in by_case + ['stg_grid__events']
           or env_var('GRIDPULSE_NEW_FILES', '*') == '*' -%}
        {{ return('') }}
    {%- elif name in by_case -%}
        {{ return('case_id in (' ~ changed_case_ids() ~ ')') }}
    {%- else -%}
        {{ return('event_id in (select event_id from ' ~ source('grid', 'events') ~ ' where ' ~ new_files_condition() ~ ')') }}
    {%- endif -%}
{% endmacro %}

{% macro get_where_subquery(relation) -%}
    {%- set conditions = [config.get('where') or '', increment_test_scope(relation) or ''] | reject('equalto', '') | list -%}
    {%- if conditions -%}
        {% do return('(select * from ' ~ relation ~ ' where (' ~ (conditions | join(') and (')) ~ ')) dbt_subquery') %}
    {%- else -%}
        {% do return(relation) %}
    {%- endif -%}
{%- endmacro %}
