-- scope: none — the periods the department ranking holds (labels, for an error message)
select distinct period_type, period_label from mart_department_ranking order by period_type, period_label
