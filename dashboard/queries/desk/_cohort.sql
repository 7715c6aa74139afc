reported_at >= $start and reported_at < $end and {{ case_set }}
