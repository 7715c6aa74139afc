-- scope: none — the periods the street ranking holds (labels, for an error message)
select distinct period_type, period_label from mart_street_ranking order by period_type, period_label
