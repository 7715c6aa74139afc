due as (
    select c.*, {{ group }} as group_name,
           c.due_at < $start as is_carry_over,
           coalesce(c.closed_at < $end, false) as is_closed_by_end,
           coalesce(c.closed_at < $end, false) and c.is_closed_on_time as is_closed_on_time_by_end,
           not (c.due_at < $start) or c.disposed_at is null or c.disposed_at >= $start as is_disposal_due,
           coalesce(c.disposed_at < $end, false) and c.is_disposed_on_time as is_disposed_on_time_by_end
    from fct_platform_cases as c
    cross join (select max(as_of_at) as as_of_at from mart_command_center_kpis) as k
    where c.due_at is not null and c.due_at <= k.as_of_at and c.due_at < $end
      and greatest(c.due_at, coalesce(c.closed_at, k.as_of_at)) >= $start
      and {{ case_set }}
)
