select count(*) as n from dim_devices where lon is not null and ($street is null or street_code = $street) and {{ scope }}
