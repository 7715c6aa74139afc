select device_id, device_type, device_name, grid_code, lon, lat
from dim_devices
where lon is not null and ($street is null or street_code = $street) and {{ scope }}
limit 50000
