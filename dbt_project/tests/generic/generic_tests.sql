{#
    Generic data tests used across the project (no dbt packages: the build runs air-gapped).
#}

{% test unique_combination(model, columns) %}
{# The combination of `columns` identifies a row: no two rows share it (nulls count as a value). #}
select {{ columns | join(', ') }}, count(*) as n_rows
from {{ model }}
group by all
having count(*) > 1
{% endtest %}


{% test expression_is_true(model, expression) %}
{# Every row satisfies `expression` (restrict the rows with the test's `config: where:`). #}
select *
from {{ model }}
where not coalesce(({{ expression }}), false)
{% endtest %}


{% test non_negative(model, column_name) %}
{# The column is never below zero (nulls pass). #}
select * from {{ model }} where {{ column_name }} < 0
{% endtest %}


{% test between(model, column_name, min_value, max_value) %}
{# The column lies in [min_value, max_value] (nulls pass). #}
select * from {{ model }} where {{ column_name }} < {{ min_value }} or {{ column_name }} > {{ max_value }}
{% endtest %}
