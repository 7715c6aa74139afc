{#
    True when `pattern` (a path or glob under $GRIDPULSE_LAKE, the lake generation the build reads) matches at least one file.
    The load manifest and the quarantine only exist once something was loaded / rejected;
    read_parquet() on a glob without files is an error, so models check first.
    At parse time (no database yet) it says yes, so dbt records the source the model reads when the
    files exist: the lineage, and an increment's `source:lake+`, then have the model after its source.
#}
{% macro lake_files_exist(pattern) %}
    {% if not execute %}
        {{ return(true) }}
    {% endif %}
    {{ return(adapter.dispatch('lake_files_exist', 'gridpulse')(pattern)) }}
{% endmacro %}

{% macro default__lake_files_exist(pattern) %}
    {% set path = env_var('GRIDPULSE_LAKE') ~ '/' ~ pattern %}
    {% set result = run_query("select count(*) from glob('" ~ path | replace("'", "''") ~ "')") %}
    {{ return(result.columns[0].values()[0] > 0) }}
{% endmacro %}

{#
    Spark SQL has no glob(): the build lists the lake's files (paths relative to the lake, one a line) in
    $GRIDPULSE_LAKE_FILES, and the pattern's `*` matches within one folder, as DuckDB's glob does.
#}
{% macro spark__lake_files_exist(pattern) %}
    {% set regex = '^' ~ (modules.re.escape(pattern) | replace('\\*', '[^/]*')) ~ '$' %}
    {% for path in env_var('GRIDPULSE_LAKE_FILES', '').split('\n') %}
        {% if modules.re.match(regex, path) %}
            {{ return(true) }}
        {% endif %}
    {% endfor %}
    {{ return(false) }}
{% endmacro %}

{#
    on-run-start: on Spark each source is a view over the lake's Parquet (the path of the source's
    external_location, which DuckDB reads with read_parquet); a source whose files do not exist yet is
    left out, as the models that read it check lake_files_exist first. Spark ignores files and folders
    named _*, so it reads them through $GRIDPULSE_SPARK_LAKE: links to the lake's entries without the
    leading underscore (warehouse/release/spark.py). Nothing to do on DuckDB.
#}
{% macro register_lake_sources() %}
    {{ return(adapter.dispatch('register_lake_sources', 'gridpulse')()) }}
{% endmacro %}

{% macro default__register_lake_sources() %}{% endmacro %}

{% macro spark__register_lake_sources() %}
    {% if execute %}
        {% set lake = env_var('GRIDPULSE_LAKE') ~ '/' %}
        {% for source in graph.sources.values() %}
            {% set location = source.meta.get('external_location') or source.source_meta.get('external_location') %}
            {% set path = modules.re.search("read_parquet\\('([^']*)'", location).group(1) | replace('{name}', source.name) %}
            {% set relative = path | replace(lake, '', 1) %}
            {% if lake_files_exist(relative) %}
                {% do run_query('create schema if not exists ' ~ source.schema) %}
                {% do run_query(
                    'create or replace view ' ~ source.schema ~ '.' ~ source.identifier
                    ~ ' as select * from parquet.`' ~ env_var('GRIDPULSE_SPARK_LAKE') ~ '/' ~ modules.re.sub('(^|/)_', '\\1', relative) ~ '`'
                ) %}
            {% endif %}
        {% endfor %}
    {% endif %}
{% endmacro %}
