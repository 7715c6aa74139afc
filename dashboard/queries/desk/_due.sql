due as (
    select *, {{ group }} as group_name
    from fct_case_due_by_period
    where period_type = $period_type and period_start = $start and {{ case_set }}
)
