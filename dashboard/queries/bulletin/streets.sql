-- The streets a document may be made for: a street user's own only.
select street_code, street_name from dim_streets where {{ scope }} order by street_code
