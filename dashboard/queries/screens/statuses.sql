select distinct current_status from fct_platform_cases where {{ scope }} order by 1
