period_type, period_start, period_label, is_complete_period,
composite_score, composite_rank, ranked_entities, previous_rank, rank_change, scored_metrics,
has_small_denominator, metric_code, metric_name, direction, weight, target, is_rate, numerator, denominator,
value, ci_lower, ci_upper, min_denominator, is_small_denominator, score, weight_share, contribution
