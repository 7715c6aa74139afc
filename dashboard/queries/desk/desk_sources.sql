select distinct source_channel from fct_platform_cases where source_channel is not null and {{ scope }} order by 1
