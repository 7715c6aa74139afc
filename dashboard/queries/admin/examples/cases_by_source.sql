-- 各来源渠道每月案件量与按期结案情况
-- Cases per source channel and month, with on-time closure
select
    reported_month,
    source_channel,
    count(*) as cases,
    count(*) filter (where is_closed) as closed,
    count(*) filter (where is_closed_on_time) as closed_on_time
from fct_platform_cases
group by all
order by reported_month, cases desc
