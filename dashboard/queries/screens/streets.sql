-- The streets the user may see, for the street pickers.
select street_code, street_name from dim_streets where {{ scope }} order by street_code
