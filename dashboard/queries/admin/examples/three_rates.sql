-- 各街道每月“三率”（响应率、解决率、满意率）
-- The three rates (response, resolution, satisfaction) by street and month
select
    month_label,
    street_name,
    valid_visits,
    round(response_rate * 100, 1) as response_rate_pct,
    round(resolution_rate * 100, 1) as resolution_rate_pct,
    round(satisfaction_rate * 100, 1) as satisfaction_rate_pct
from mart_three_rates_by_street_month
order by month_start, street_name
