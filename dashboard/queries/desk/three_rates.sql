-- 三率 per street and month of the period [$start, $end): 响应率 / 解决率 / 满意率 side by side with the
-- composite (evaluation_score) and the weight set it was scored with (mart_three_rates_by_street_month).
select month_start, month_label, street_code, street_name, valid_visits, response_rate, resolution_rate,
       satisfaction_rate, evaluation_score, evaluation_weight_set
from mart_three_rates_by_street_month
where month_start >= $start and month_start < $end
  and ($street is null or street_code = $street) and {{ scope }}
order by month_start, evaluation_score desc nulls last, street_code
