-- scope: none — the city's list rule (reference data)
select * from property_list_rule where is_active
