"""Country names to ISO 3166-1 alpha-2 codes, for hints: a name written where a code belongs."""
from __future__ import annotations

import functools
import zoneinfo
from pathlib import Path

from .lookup import normalize

__all__ = ["country_code_of", "country_codes"]

# Names (English and Finnish, and the ones people type) of countries, for the hint to a name
# written where a code belongs. The system's time-zone data (iso3166.tab, found on Python's own
# zoneinfo path) adds every other country's English name when it is there.
_COUNTRY_NAMES = {
    "china": "CN", "kiina": "CN", "denmark": "DK", "tanska": "DK", "estonia": "EE", "viro": "EE", "eesti": "EE",
    "finland": "FI", "suomi": "FI", "germany": "DE", "saksa": "DE", "deutschland": "DE", "hungary": "HU",
    "unkari": "HU", "iceland": "IS", "islanti": "IS", "india": "IN", "intia": "IN", "japan": "JP", "japani": "JP",
    "norway": "NO", "norja": "NO", "south korea": "KR", "korea": "KR", "etela-korea": "KR", "republic of korea": "KR",
    "russia": "RU", "venaja": "RU", "sweden": "SE", "ruotsi": "SE", "ukraine": "UA", "ukraina": "UA",
    "united states": "US", "usa": "US", "yhdysvallat": "US", "poland": "PL", "puola": "PL", "taiwan": "TW",
    "tanzania": "TZ", "tansania": "TZ", "zambia": "ZM", "sambia": "ZM", "malawi": "MW", "belgium": "BE",
    "belgia": "BE", "france": "FR", "ranska": "FR", "spain": "ES", "espanja": "ES", "portugal": "PT",
    "portugali": "PT", "singapore": "SG", "italy": "IT", "italia": "IT", "united kingdom": "GB", "uk": "GB",
    "britain": "GB", "iso-britannia": "GB", "czechia": "CZ", "tsekki": "CZ", "netherlands": "NL", "alankomaat": "NL",
    "hollanti": "NL", "switzerland": "CH", "sveitsi": "CH", "austria": "AT", "itavalta": "AT", "australia": "AU",
}


@functools.lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for folder in zoneinfo.TZPATH:
        tab = Path(folder) / "iso3166.tab"
        if tab.is_file():
            for line in tab.read_text(encoding="utf-8", errors="replace").splitlines():
                code, _, name = line.partition("\t")
                if len(code) == 2 and name and not line.startswith("#"):
                    names[normalize(name)] = code
            break
    names.update({normalize(k): v for k, v in _COUNTRY_NAMES.items()})
    return names


def country_code_of(name: str) -> str | None:
    """The ISO code of a country written by name, for a hint; None when it is not known.

    >>> country_code_of("Japan"), country_code_of("saksa"), country_code_of("Atlantis")
    ('JP', 'DE', None)
    """
    return _country_names().get(normalize(name))


@functools.lru_cache(maxsize=1)
def country_codes() -> frozenset[str]:
    """The ISO codes this module knows a name of.

    >>> {"KR", "FI"} <= country_codes(), "XX" in country_codes()
    (True, False)
    """
    return frozenset(_country_names().values())
