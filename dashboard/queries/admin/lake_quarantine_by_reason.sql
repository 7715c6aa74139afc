-- scope: none — the lake's quarantine (data admins)
select source || '/' || entity as lake_table, reason, count(*) as quarantined_rows,
       count(distinct file) as files, max(loaded_at) as last_loaded_at
from read_parquet($files, union_by_name = true)
group by all
order by lake_table, quarantined_rows desc, reason
