"""The options of a map (`MapOptions`), shared by the map views, the saved views and the command."""
from __future__ import annotations

from dataclasses import dataclass

__all__ = ["MapOptions", "DEFAULT_TITLE", "slide_options", "SLIDE_DEFAULTS"]

DEFAULT_TITLE = "Espoo's international network"


@dataclass(frozen=True)
class MapOptions:
    """The options of a map, as the `map` command takes them.

    theme: only entities on a theme (and the ends of ties on it); focus, depth: only what is
    within `depth` steps of an entity; kinds: only these entity kinds; as_of: the ties that held
    on a date (today when None); clusters: colour by theme clusters; highlight_path: (A, B),
    draw the best route between them; highlight_intro: draw the best introduction to a target;
    layout: 'spring' or 'geo'; public: leave people out; physics: let the HTML map move;
    countries: only entities in these countries (ISO codes) and the country-less entities
    (agreements, events, people) tied to them; activities: 'edges', 'nodes' or 'hide'
    (`maps.actors`); isolated: keep entities without ties; highlights: entities drawn
    emphasised and always labelled (a saved view's `highlights`); places: draw place facts
    (None: on the geographic map only); counterparts: with countries, also the entities on our
    side tied to them (`maps.counterparts`).

    The defaults draw the whole selection as it is in the data; `slide_options` gives the view
    of actors that the `map` command and saved views draw.
    """

    theme: str | None = None
    focus: str | None = None
    depth: int = 1
    kinds: tuple[str, ...] = ()
    as_of: str | None = None
    clusters: bool = False
    highlight_path: tuple[str, str] | None = None
    highlight_intro: str | None = None
    layout: str = "spring"
    title: str | None = None
    public: bool = False
    physics: bool = False
    seed: int = 42
    countries: tuple[str, ...] = ()
    activities: str = "nodes"
    isolated: bool = True
    highlights: tuple[str, ...] = ()
    places: bool | None = True
    counterparts: bool = False


# A view of actors (maps.actors): small activities as ties, place facts on the geographic map
# only, entities without ties left out. What `map` and `map --view` draw unless told otherwise.
# A country's view shows our side of its ties too ("our partners in Japan": and who holds each tie).
SLIDE_DEFAULTS = {"activities": "edges", "isolated": False, "places": None, "counterparts": True}


def slide_options(**given) -> MapOptions:
    """MapOptions with the slide defaults (`SLIDE_DEFAULTS`), then what is given."""
    return MapOptions(**{**SLIDE_DEFAULTS, **given})
