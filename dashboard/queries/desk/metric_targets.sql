-- scope: none — the city's targets (seeds/ranking_metrics through dim_metric_targets)
select metric_code, metric_name, target, direction, is_rate
from dim_metric_targets
where scope = 'street'
