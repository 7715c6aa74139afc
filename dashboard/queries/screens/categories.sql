select distinct category_major from fct_platform_cases where {{ scope }} order by 1
