reported_date >= $start and reported_date < $end
and (street_code = $street or $street is null)
and {{ scope }}
and (len($sources::varchar[]) = 0 or list_contains($sources::varchar[], source_channel))
and (len($categories::varchar[]) = 0 or list_contains($categories::varchar[], category_major))
and (len($statuses::varchar[]) = 0 or list_contains($statuses::varchar[], current_status))
