select device_type, round(lon, 3) as lon, round(lat, 3) as lat, count(*) as devices
from dim_devices
where lon is not null and ($street is null or street_code = $street) and {{ scope }}
group by all
limit 50000
