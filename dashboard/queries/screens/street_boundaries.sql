select street_code, street_name, boundary_geojson from dim_streets where {{ scope }}
