select min(reported_date) as first, max(reported_date) as last from fct_platform_cases where {{ scope }}
