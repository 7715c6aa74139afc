select distinct source_channel from fct_platform_cases where {{ scope }} order by 1
