-- 某部门各月返工（核查不通过）：默认取返工最多的部门；
-- 要看别的部门，把 pick 换成 select '部门名称' as department_name
-- A department's rework by month (the one with most rework unless you name another)
with pick as (
    select department_name
    from mart_case_flow_by_department
    where period_type = 'month'
    group by department_name
    order by sum(reworked_cases) desc, department_name
    limit 1
)
select
    d.period_label,
    d.department_name,
    d.due_cases,
    d.closed_cases,
    d.reworked_cases,
    d.rework_loops,
    round(d.rework_rate * 100, 1) as rework_rate_pct
from mart_case_flow_by_department as d
join pick using (department_name)
where d.period_type = 'month'
order by d.period_start
