-- The eight largest major categories, the 30 days up to $day.
select category_major as category, count(*) as cases
from fct_platform_cases
where reported_date > cast($day as date) - interval 30 day and reported_date <= $day
  and ($street is null or street_code = $street) and {{ scope }}
group by 1 order by 2 desc limit 8
