{#
    True when `pattern` (a path or glob under $GRIDPULSE_LAKE, the lake generation the build reads) matches at least one file.
    The load manifest and the quarantine only exist once something was loaded / rejected;
    read_parquet() on a glob without files is an error, so models check first.
#}
{% macro lake_files_exist(pattern) %}
    {% if not execute %}
        {{ return(false) }}
    {% endif %}
    {% set path = env_var('GRIDPULSE_LAKE') ~ '/' ~ pattern %}
    {% set result = run_query("select count(*) from glob('" ~ path | replace("'", "''") ~ "')") %}
    {{ return(result.columns[0].values()[0] > 0) }}
{% endmacro %}
