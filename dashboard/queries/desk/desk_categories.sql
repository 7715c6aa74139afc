select distinct category_major from fct_platform_cases where category_major is not null and {{ scope }} order by 1
