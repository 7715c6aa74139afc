-- Cases per cell of $bin degrees for a city without grid boundaries (a 311 export): what its map
-- draws instead of grids. At most 5,000 cells.
select round(lon / $bin) * $bin as lon, round(lat / $bin) * $bin as lat,
       count(*) as cases, count(*) filter (where is_open) as backlog, count(*) filter (where is_overdue) as overdue
from fct_platform_cases
where lon is not null and {{ case_filter }}
group by 1, 2
order by cases desc
limit 5000
