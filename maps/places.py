"""Where a country is on a geographic map when the data gives it no coordinates: its capital.

An entity that has no coordinates, no city and no placed place it is `located_in` is drawn at its
country (`maps.layout.geo_layout`): the country entity's coordinates when the data has them, else
the middle of the entities in that country, else the point here. Every country code the bundled
data uses has one (tests/test_map_places.py); a code missing here and in the data puts the
entity in the row below the map.
"""
from __future__ import annotations

__all__ = ["COUNTRY_PLACES", "country_place"]

# ISO 3166-1 alpha-2 -> (lat, lon) of the capital (the seat of government), to two decimals.
COUNTRY_PLACES: dict[str, tuple[float, float]] = {
    "AE": (24.45, 54.38), "AL": (41.33, 19.82), "AM": (40.18, 44.51), "AR": (-34.60, -58.38),
    "AT": (48.21, 16.37), "AU": (-35.28, 149.13), "AX": (60.10, 19.94), "BA": (43.86, 18.41),
    "BD": (23.81, 90.41), "BE": (50.85, 4.35), "BG": (42.70, 23.32), "BR": (-15.79, -47.88),
    "BW": (-24.63, 25.92), "BY": (53.90, 27.56), "CA": (45.42, -75.70), "CH": (46.95, 7.45),
    "CL": (-33.45, -70.67), "CN": (39.90, 116.40), "CO": (4.71, -74.07), "CY": (35.17, 33.36),
    "CZ": (50.08, 14.44), "DE": (52.52, 13.40), "DK": (55.68, 12.57), "EE": (59.44, 24.75),
    "EG": (30.04, 31.24), "ES": (40.42, -3.70), "ET": (9.03, 38.74), "FI": (60.17, 24.94),
    "FO": (62.01, -6.77), "FR": (48.86, 2.35), "GB": (51.51, -0.13), "GE": (41.72, 44.79),
    "GH": (5.60, -0.19), "GL": (64.18, -51.72), "GR": (37.98, 23.73), "HK": (22.32, 114.17),
    "HR": (45.81, 15.98), "HU": (47.50, 19.04), "ID": (-6.21, 106.85), "IE": (53.35, -6.26),
    "IL": (31.77, 35.21), "IN": (28.61, 77.21), "IS": (64.15, -21.94), "IT": (41.90, 12.50),
    "JP": (35.68, 139.69), "KE": (-1.29, 36.82), "KR": (37.57, 126.98), "KZ": (51.17, 71.45),
    "LT": (54.69, 25.28), "LU": (49.61, 6.13), "LV": (56.95, 24.11), "MA": (34.02, -6.84),
    "MD": (47.01, 28.86), "ME": (42.44, 19.26), "MK": (42.00, 21.43), "MN": (47.89, 106.91),
    "MT": (35.90, 14.51), "MW": (-13.96, 33.79), "MX": (19.43, -99.13), "MY": (3.14, 101.69),
    "MZ": (-25.97, 32.57), "NA": (-22.56, 17.08), "NG": (9.08, 7.40), "NL": (52.37, 4.90),
    "NO": (59.91, 10.75), "NZ": (-41.29, 174.78), "PE": (-12.05, -77.04), "PH": (14.60, 120.98),
    "PK": (33.68, 73.05), "PL": (52.23, 21.01), "PT": (38.72, -9.14), "RO": (44.43, 26.10),
    "RS": (44.79, 20.45), "RU": (55.76, 37.62), "RW": (-1.94, 30.06), "SA": (24.71, 46.68),
    "SE": (59.33, 18.07), "SG": (1.35, 103.82), "SI": (46.06, 14.51), "SK": (48.15, 17.11),
    "TH": (13.76, 100.50), "TN": (36.81, 10.18), "TR": (39.93, 32.86), "TW": (25.03, 121.57),
    "TZ": (-6.16, 35.75), "UA": (50.45, 30.52), "UG": (0.35, 32.58), "US": (38.90, -77.04),
    "VN": (21.03, 105.85), "XK": (42.66, 21.17), "ZA": (-25.75, 28.19), "ZM": (-15.39, 28.32),
}


def country_place(code: str | None) -> tuple[float, float] | None:
    """(lat, lon) of a country's capital, or None for a code this table does not have.

    >>> country_place("TW"), country_place("AQ")
    ((25.03, 121.57), None)
    """
    return COUNTRY_PLACES.get(code or "")
