-- A map page shows one day: it never has more points than there are unit grids (and far fewer than 50,000).
select map_date, count(*) as points
from {{ ref('mart_map_grid_daily') }}
group by 1
having count(*) > least((select count(*) from {{ ref('dim_grids') }}), 50000)
