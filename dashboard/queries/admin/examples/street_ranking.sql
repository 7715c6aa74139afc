-- 最近一个月的街道综合排名及名次变化
-- Street ranking for the latest month, with the change in rank
select distinct
    period_label,
    composite_rank,
    street_name,
    round(composite_score, 3) as composite_score,
    rank_change,
    has_small_denominator
from mart_street_ranking
where period_type = 'month'
  and period_start = (select max(period_start) from mart_street_ranking where period_type = 'month')
order by composite_rank
