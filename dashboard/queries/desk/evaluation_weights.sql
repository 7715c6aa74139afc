-- scope: none — the city's 三率 weight sets (seeds/evaluation_weights), the active one first
select weight_set, rate_code, rate_name, weight, is_active
from evaluation_weights
order by is_active desc, weight_set, rate_code
