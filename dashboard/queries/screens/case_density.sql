-- Case density, binned in SQL (≈ 100 m cells) so the browser never receives raw points.
select round(lon, 3) as lon, round(lat, 3) as lat, count(*) as cases
from fct_platform_cases
where lon is not null and {{ case_filter }}
group by 1, 2
limit 50000
