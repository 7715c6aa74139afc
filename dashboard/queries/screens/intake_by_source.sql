-- Cases per source channel, the 30 days up to $day.
select source_channel as source, count(*) as cases
from fct_platform_cases
where reported_date > cast($day as date) - interval 30 day and reported_date <= $day
  and ($street is null or street_code = $street) and {{ scope }}
group by 1 order by 2 desc
