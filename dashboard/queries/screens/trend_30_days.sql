-- New cases and grid events per day, the 30 days up to $day.
select map_date as day, sum(new_cases) as cases, sum(new_events) as events
from mart_map_grid_daily
where map_date > cast($day as date) - interval 30 day and map_date <= $day
  and ($street is null or street_code = $street) and {{ scope }}
group by 1 order by 1
