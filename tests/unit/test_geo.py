"""GCJ-02 conversion (Python and SQL agree) and point-in-polygon."""

import duckdb
import numpy as np
import pytest

from warehouse.ingest.geo import GCJ02_SQL_MACROS, gcj02_to_wgs84, point_in_polygon, wgs84_to_gcj02


def test_gcj_offset_is_hundreds_of_metres_and_inverts():
    lon, lat = 112.95, 28.23
    glon, glat = wgs84_to_gcj02(lon, lat)
    shift_m = np.hypot((glon - lon) * 111_000 * np.cos(np.radians(lat)), (glat - lat) * 111_000)
    assert 100 < shift_m < 800
    wlon, wlat = gcj02_to_wgs84(glon, glat)
    assert abs(wlon - lon) < 1e-7 and abs(wlat - lat) < 1e-7


def test_sql_inverse_matches_python():
    con = duckdb.connect()
    con.execute(GCJ02_SQL_MACROS)
    rng = np.random.default_rng(1)
    lons, lats = rng.uniform(100, 125, 50), rng.uniform(20, 45, 50)
    glons, glats = wgs84_to_gcj02(lons, lats)
    for glon, glat, lon, lat in zip(glons, glats, lons, lats, strict=True):
        w_lon, w_lat = glon, glat
        for _ in range(3):
            w_lon, w_lat = con.execute(
                "select ?::double - _gcj_dlon(?::double, ?::double), ?::double - _gcj_dlat(?::double, ?::double)",
                [glon, w_lon, w_lat, glat, w_lon, w_lat],
            ).fetchone()
        assert w_lon == pytest.approx(lon, abs=1e-7) and w_lat == pytest.approx(lat, abs=1e-7)


def test_point_in_polygon():
    square = np.array([[0, 0], [1, 0], [1, 1], [0, 1]], dtype=float)
    inside = point_in_polygon(np.array([0.5, 1.5, 0.01]), np.array([0.5, 0.5, 0.99]), square)
    assert inside.tolist() == [True, False, True]
