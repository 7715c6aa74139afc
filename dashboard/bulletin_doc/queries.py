"""Named SQL of the 通报 document: thin selections over the current release's marts (nothing is
recomputed for the document). DuckDB ``$n`` placeholders."""

# Every period a ranking mart holds, to resolve ``--period 2025-11`` / ``2025Q4``. $1 period label.
RANKING_PERIOD = """
select distinct period_type, period_start, period_label, is_complete_period
from {mart}
where period_label = $1
"""

RANKING_PERIOD_LABELS = (
    "select distinct period_type, period_label from {mart} order by period_type, period_label"
)

# Long rows (entity × metric × period) of one period type, up to the period ($2): the ranking, the
# previous period and the runs at the bottom. $1 period type, $2 period start.
STREET_RANKING = """
select street_code as entity_code, street_name as entity_name, * exclude (street_code, street_name)
from mart_street_ranking
where period_type = $1 and period_start <= $2
order by period_start, composite_rank, street_code, metric_code
"""

DEPARTMENT_RANKING = """
select department_code as entity_code, department_name as entity_name, * exclude (department_code, department_name)
from mart_department_ranking
where period_type = $1 and period_start <= $2
order by period_start, composite_rank, department_code, metric_code
"""

STREETS = "select street_code, street_name from dim_streets order by street_code"

# The assessed quarter holding a day ($1), or else the latest before it.
PROPERTY_QUARTER = """
select quarter_label, quarter_start
from fct_property_assessments
where quarter_start <= $1
group by quarter_label, quarter_start
order by quarter_start desc
limit 1
"""

# The projects on either list in a quarter ($1), street ($2 or null), as the mart compares them.
PROPERTY_LISTS = """
select project_name, company_name, street_name, total_score, computed_list, computed_list_reason,
       published_list, agreement, is_list_disagreement
from mart_property_lists
where quarter_label = $1 and (street_code = $2 or $2 is null)
order by coalesce(computed_list, published_list) desc, total_score desc, project_name
"""

PROPERTY_ASSESSED = """
select count(*) as projects
from fct_property_assessments
where quarter_label = $1 and (street_code = $2 or $2 is null)
"""

PROPERTY_RULE = "select * from property_list_rule where is_active"

DATA_CLOCK = "select max(as_of_at) as as_of_at from mart_command_center_kpis"
