"""Coordinate datums and point-in-polygon helpers.

GCJ-02 is the obfuscated datum Chinese map apps (AMap, Tencent) report in; it is
WGS-84 shifted by up to ~500 m inside mainland China. The forward transform is
the published one; the inverse is solved by fixed-point iteration (error well
under 1 cm after a few rounds). The loader runs the same maths in SQL
(``GCJ02_SQL_MACROS``) so conversion stays vectorised.
"""

from __future__ import annotations

import math

import numpy as np

_A = 6378245.0
_EE = 0.00669342162296594323


def _transform_lat(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * np.sqrt(np.abs(x))
    ret += (20.0 * np.sin(6.0 * x * math.pi) + 20.0 * np.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * np.sin(y * math.pi) + 40.0 * np.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (160.0 * np.sin(y / 12.0 * math.pi) + 320 * np.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    return ret


def _transform_lon(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * np.sqrt(np.abs(x))
    ret += (20.0 * np.sin(6.0 * x * math.pi) + 20.0 * np.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * np.sin(x * math.pi) + 40.0 * np.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (150.0 * np.sin(x / 12.0 * math.pi) + 300.0 * np.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    return ret


def _delta(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    dlat = _transform_lat(lon - 105.0, lat - 35.0)
    dlon = _transform_lon(lon - 105.0, lat - 35.0)
    radlat = lat / 180.0 * math.pi
    magic = 1 - _EE * np.sin(radlat) ** 2
    sqrtmagic = np.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrtmagic) * math.pi)
    dlon = (dlon * 180.0) / (_A / sqrtmagic * np.cos(radlat) * math.pi)
    return dlon, dlat


def wgs84_to_gcj02(lon, lat):
    """WGS-84 → GCJ-02 (arrays or scalars)."""
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    dlon, dlat = _delta(lon, lat)
    return lon + dlon, lat + dlat


def gcj02_to_wgs84(lon, lat, rounds: int = 4):
    """GCJ-02 → WGS-84 by fixed-point iteration (arrays or scalars)."""
    glon = np.asarray(lon, dtype=float)
    glat = np.asarray(lat, dtype=float)
    wlon, wlat = glon.copy(), glat.copy()
    for _ in range(rounds):
        dlon, dlat = _delta(wlon, wlat)
        wlon = glon - dlon
        wlat = glat - dlat
    return wlon, wlat


# The same inverse transform as DuckDB macros, so the loader converts a whole
# column at once. gcj_to_wgs_lon/lat(lon, lat) iterate four rounds like above.
GCJ02_SQL_MACROS = """
create or replace temp macro _gcj_tlat(x, y) as
  -100.0 + 2.0*x + 3.0*y + 0.2*y*y + 0.1*x*y + 0.2*sqrt(abs(x))
  + (20.0*sin(6.0*x*pi()) + 20.0*sin(2.0*x*pi())) * 2.0/3.0
  + (20.0*sin(y*pi()) + 40.0*sin(y/3.0*pi())) * 2.0/3.0
  + (160.0*sin(y/12.0*pi()) + 320*sin(y*pi()/30.0)) * 2.0/3.0;
create or replace temp macro _gcj_tlon(x, y) as
  300.0 + x + 2.0*y + 0.1*x*x + 0.1*x*y + 0.1*sqrt(abs(x))
  + (20.0*sin(6.0*x*pi()) + 20.0*sin(2.0*x*pi())) * 2.0/3.0
  + (20.0*sin(x*pi()) + 40.0*sin(x/3.0*pi())) * 2.0/3.0
  + (150.0*sin(x/12.0*pi()) + 300.0*sin(x/30.0*pi())) * 2.0/3.0;
create or replace temp macro _gcj_magic(lat) as 1 - 0.00669342162296594323 * pow(sin(lat/180.0*pi()), 2);
create or replace temp macro _gcj_dlon(lon, lat) as
  (_gcj_tlon(lon - 105.0, lat - 35.0) * 180.0)
  / (6378245.0 / sqrt(_gcj_magic(lat)) * cos(lat/180.0*pi()) * pi());
create or replace temp macro _gcj_dlat(lon, lat) as
  (_gcj_tlat(lon - 105.0, lat - 35.0) * 180.0)
  / ((6378245.0 * (1 - 0.00669342162296594323)) / (_gcj_magic(lat) * sqrt(_gcj_magic(lat))) * pi());
create or replace temp macro _gcj_step_lon(glon, glat, wlon, wlat) as glon - _gcj_dlon(wlon, wlat);
create or replace temp macro _gcj_step_lat(glon, glat, wlon, wlat) as glat - _gcj_dlat(wlon, wlat);
"""


def point_in_polygon(px, py, ring: np.ndarray) -> np.ndarray:
    """Ray casting: which points (px, py arrays) lie inside ``ring`` (N×2, closed or not)."""
    px = np.asarray(px, dtype=float)
    py = np.asarray(py, dtype=float)
    inside = np.zeros(px.shape, dtype=bool)
    xs, ys = ring[:, 0], ring[:, 1]
    n = len(ring)
    j = n - 1
    for i in range(n):
        xi, yi, xj, yj = xs[i], ys[i], xs[j], ys[j]
        crosses = (yi > py) != (yj > py)
        with np.errstate(divide="ignore", invalid="ignore"):
            xint = (xj - xi) * (py - yi) / (yj - yi) + xi
        inside ^= crosses & (px < xint)
        j = i
    return inside
