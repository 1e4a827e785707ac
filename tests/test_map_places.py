"""Where the geographic map puts a country that no entity with coordinates places, and the row
of entities with no known place: below the basemap, not on a country."""
from __future__ import annotations

import networkx as nx

from graph.types import ISO_COUNTRIES
from loaders import load_dataset
from maps.layout import geo_layout
from maps.options import slide_options
from maps.places import COUNTRY_PLACES
from maps.view import build_view


def test_every_country_the_data_uses_has_a_place():
    data = load_dataset("data")
    used = {e.country for e in data.entities if e.country}
    assert used and sorted(used - set(COUNTRY_PLACES)) == []
    assert set(COUNTRY_PLACES) <= ISO_COUNTRIES
    assert all(-90 <= lat <= 90 and -180 <= lon <= 180 for lat, lon in COUNTRY_PLACES.values())


def _graph() -> nx.MultiDiGraph:
    G = nx.MultiDiGraph()
    G.add_node("espoo", kind="city", name="Espoo", country="FI", lat=60.21, lon=24.66, home=True)
    G.add_node("tsri", kind="institute", name="TSRI", country="TW")  # no coordinates, no city
    G.add_node("station", kind="institute", name="Polar station", country="AQ")  # a country with no place
    G.add_edge("espoo", "tsri", key="r1", kind="collaborates_with")
    G.add_edge("espoo", "station", key="r2", kind="collaborates_with")
    return G


def test_an_entity_in_a_country_nothing_places_is_drawn_at_its_capital():
    pos, frame = geo_layout(_graph(), frame=True)
    taipei = frame.lonlat(121.57, 25.03)
    assert abs(pos["tsri"][0] - taipei[0]) < 1e-3 and abs(pos["tsri"][1] - taipei[1]) < 1e-3


def test_the_row_of_entities_with_no_known_place_is_below_the_basemap():
    view = build_view(_graph(), slide_options(layout="geo"))
    assert view.hidden["unplaced"] == 1
    assert "1 entities with no known place are in the row below the map" in view.footer
    row_y = view.positions["station"][1]
    assert view.basemap, "the basemap is drawn"
    lowest_land = min(y for ring in view.basemap for _, y in ring)
    assert row_y < lowest_land
    assert all(view.positions[n][1] > lowest_land for n in ("espoo", "tsri"))
