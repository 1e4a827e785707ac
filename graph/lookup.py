"""Finding entities by id, name or alias: case-, accent- and punctuation-insensitive.

`Nomme` finds `Nõmme`, `koge` finds `Køge`, `aalto` finds `Aalto University` when nothing else
is called that. Unknown or ambiguous names raise errors that list the closest ids.
"""
from __future__ import annotations

import bisect
import difflib
import itertools
import re
import unicodedata
from collections import defaultdict
from typing import Callable, Iterable, Mapping

from .errors import AmbiguousEntity, EntityNotFound, EspooNetError

__all__ = ["normalize", "closest", "closest_id", "unknown_theme_hint", "country_named", "check_entity_kinds", "relation_kinds_named", "theme_keys", "EntityIndex"]

# Letters that NFKD does not split into a base letter and a mark.
_FOLD = str.maketrans({"ø": "o", "Ø": "o", "æ": "ae", "Æ": "ae", "ß": "ss", "đ": "d", "Đ": "d",
                       "ł": "l", "Ł": "l", "ı": "i", "œ": "oe", "Œ": "oe", "þ": "th", "Þ": "th", "ð": "d"})
_PUNCT = re.compile(r"[\s\-_.,'’`\"/&()]+")


def normalize(text: str) -> str:
    """Fold case, accents and punctuation: 'Nõmme' -> 'nomme', 'Køge' -> 'koge'."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _PUNCT.sub(" ", bare.casefold()).strip()


def closest(query: str, candidates: Iterable[str], n: int = 3, cutoff: float = 0.6) -> list[str]:
    """The candidates most like `query`, best first (difflib ratio), for hints."""
    cands = sorted(set(candidates))
    return difflib.get_close_matches(query, cands, n=n, cutoff=cutoff)


def closest_id(query: str, ids: Iterable[str]) -> str | None:
    """The id a mistyped `query` most likely meant, only when it is really close: spelt nearly
    the same (difflib ratio 0.75: 'enter-espo' is 'enter-espoo', 'osaka' is not 'nokia'), or
    one id a word longer or shorter ('aalto' is 'aalto-university', 'vtt-finland' is 'vtt').
    `ids`: a sorted list (or any iterable, sorted here).

    >>> ids = ["aalto-university", "cern", "enter-espoo", "nokia", "vtt"]
    >>> closest_id("enter-espo", ids), closest_id("aalto", ids), closest_id("vtt-finland", ids)
    ('enter-espoo', 'aalto-university', 'vtt')
    >>> closest_id("osaka", ids), closest_id("tencent", ids)
    (None, None)
    """
    ids = ids if isinstance(ids, list) else sorted(set(ids))
    near = difflib.get_close_matches(query, ids, n=1, cutoff=0.75)
    if near:
        return near[0]
    if len(query) < 3:
        return None
    # ids are sorted: those that begin with `query-` are together, found by bisection
    at = bisect.bisect_left(ids, query + "-")
    longer = list(itertools.takewhile(lambda i: i.startswith(query + "-"), ids[at:at + 50]))
    shorter = [query[:k] for k in range(len(query)) if query[k] == "-" and _has(ids, query[:k])]
    found = shorter[-1:] or longer
    return min(found, key=lambda i: (len(i), i)) if found else None


def _has(ids: list[str], word: str) -> bool:
    at = bisect.bisect_left(ids, word)
    return at < len(ids) and ids[at] == word


def check_entity_kinds(kinds: Iterable[str]) -> None:
    """Raise EspooNetError naming the first of `kinds` the schema does not have, with the closest."""
    from .schema import SCHEMA  # here: the schema's own loading uses this module (graph.types)

    kinds = tuple(kinds)
    for k in kinds:  # a relation kind where an entity kind is asked: say what it is and what takes it
        if k not in SCHEMA.entity_kinds and (k in SCHEMA.relation_kinds or k in SCHEMA.families):
            what = "relation kind" if k in SCHEMA.relation_kinds else "relation family"
            raise EspooNetError(f"{k!r} is a {what}, not an entity kind (show and changes take it as --relation {k})")
    _check_known(kinds, SCHEMA.entity_kinds, "entity kind")


def relation_kinds_named(words: Iterable[str]) -> frozenset[str]:
    """The relation kinds that `words` name: each word a relation kind (`twin_town`) or a family
    (`relationship`: all its kinds). Raises EspooNetError on a word that is neither."""
    from .schema import SCHEMA

    words = tuple(words)
    known = {**SCHEMA.relation_kinds, **SCHEMA.families}
    for w in words:  # an entity kind where a relation kind is asked: say what it is and what takes it
        if w not in known and w in SCHEMA.entity_kinds:
            raise EspooNetError(f"{w!r} is an entity kind, not a relation kind or family (a family: "
                                f"{', '.join(SCHEMA.families)}; or one of their kinds, counted by `espoo-net stats`)")
    # Only a really close word is suggested ('shared' is not 'awarded'); else the families, and
    # where the kinds are listed.
    _check_known(words, known, "relation kind or family", cutoff=0.75,
                 otherwise=f"a family: {', '.join(SCHEMA.families)}; or one of their kinds, listed in the "
                           "schema (graph/schema.yaml) and counted by `espoo-net stats`")
    return frozenset(k for k, v in SCHEMA.relation_kinds.items() if k in words or v.family in words)


def _check_known(words: Iterable[str], known: Iterable[str], what: str, *, cutoff: float = 0.6,
                 otherwise: str | None = None) -> None:
    for k in words:
        if k not in known:
            near = closest(k, known, n=1, cutoff=cutoff)
            hint = f"did you mean {near[0]!r}?" if near else otherwise or f"one of: {', '.join(known)}"
            raise EspooNetError(f"unknown {what} {k!r} ({hint})")


def theme_keys(themes: Iterable[tuple[str, str, Iterable[str]]]) -> dict[str, str]:
    """Normalized id, label and synonyms -> theme id, from (id, label, synonyms) triples.

    The first theme to claim a word keeps it, so the map is the same for the same taxonomy.
    """
    keys: dict[str, str] = {}
    for tid, label, synonyms in themes:
        for word in (tid, label, *synonyms):
            keys.setdefault(normalize(word), tid)
    return keys


def unknown_theme_hint(word: str, keys: Mapping[str, str], near: list[str]) -> str:
    """What to do about a theme word the taxonomy does not know. `keys`: theme_keys' map;
    `near`: the closest keys to `word`. A word that is several known themes joined by ',' (or
    another separator than ';') is a list written with the wrong separator.

    >>> keys = {"quantum": "quantum", "semiconductors": "semiconductors"}
    >>> unknown_theme_hint("quantum, semiconductors", keys, ["semiconductors"])
    "separate the themes with ';' (in a CSV cell: quantum; semiconductors), or write a YAML list"
    """
    parts = [p.strip() for p in re.split(r"[,|/]", word) if p.strip()]
    if len(parts) > 1 and all(normalize(p) in keys for p in parts):
        return f"separate the themes with ';' (in a CSV cell: {'; '.join(parts)}), or write a YAML list"
    if near:
        return f"closest theme: {keys[near[0]]!r}"
    return "add it to themes.yaml, or use a listed theme"


def theme_id(themes: Mapping[str, dict], word: str, *, other: Callable[[str], str | None] | None = None) -> str:
    """The theme id that `word` names in a taxonomy (an id, a label or a synonym, any case or
    accent), or the first word of exactly one theme's id, label or synonym. Raises EspooNetError
    when nothing matches: a country's name or code says so, then `other(word)` (what else the word
    names, as a whole message, or None), else the closest theme by spelling, if one is close.

    >>> themes = {"climate-neutrality": {"label": "Climate neutrality"}, "climate-adaptation": {"label": "Adaptation"},
    ...           "ai": {"label": "Artificial intelligence", "synonyms": ["tekoäly"]}}
    >>> theme_id(themes, "TEKOALY"), theme_id(themes, "artificial")
    ('ai', 'ai')
    >>> theme_id(themes, "climate")  # the first word of two themes: no guess
    Traceback (most recent call last):
    graph.errors.EspooNetError: unknown theme 'climate' (which one: climate-adaptation or climate-neutrality?)
    >>> theme_id({"climate-neutrality": {"label": "Climate neutrality"}}, "climate")
    'climate-neutrality'
    """
    keys = theme_keys((tid, t["label"], t.get("synonyms", [])) for tid, t in themes.items())
    word_key = normalize(word)
    tid = keys.get(word_key)
    if tid is None and len(word_key) >= 3:
        # The first word of one theme's id, label or synonym: "climate" for climate-neutrality.
        starts = {t for k, t in keys.items() if re.match(re.escape(word_key) + r"\b", k)}
        tid = starts.pop() if len(starts) == 1 else None
    if tid is None:
        if len(word_key) >= 3 and starts:
            raise EspooNetError(f"unknown theme {word!r} (which one: {' or '.join(sorted(starts))}?)")
        code = country_named(word)
        if code:  # a place where a theme belongs: say what it is, and what takes it
            raise EspooNetError(f"{word!r} is a country ({code}), not a theme: map, export and find take "
                                f"--country {code}; `espoo-net themes` lists the themes")
        said = other(word) if other else None
        if said:
            raise EspooNetError(said)
        # Only a close spelling is suggested: 'quantm' is 'quantum', 'korea' is not 'youth'.
        near = closest(word_key, keys, n=1, cutoff=0.75)
        hint = f"did you mean {keys[near[0]]!r}?" if near else "`espoo-net themes` lists the themes"
        raise EspooNetError(f"unknown theme {word!r} ({hint})")
    return tid


def country_named(word: str) -> str | None:
    """The ISO code of the country `word` names (a code such as KR, or a name such as Korea or
    Saksa), or None.

    >>> country_named("korea"), country_named("kr"), country_named("quantum")
    ('KR', 'KR', None)
    """
    from .countries import country_code_of, country_codes  # here: countries uses this module's normalize

    code = word.strip().upper()
    return code if len(code) == 2 and code in country_codes() else country_code_of(word)


def _name_variants(name: str) -> set[str]:
    """A name, and the name without a bracketed or dash-separated qualifier."""
    out = {name}
    out.add(re.sub(r"\s*\(.*?\)\s*", " ", name))
    for sep in (" – ", " - ", " — ", " / "):
        if sep in name:
            out.add(name.split(sep)[0])
    return {normalize(v) for v in out if v.strip()}


class EntityIndex:
    """An index of ids, names and aliases; built once per graph."""

    def __init__(self, entities: Iterable[tuple[str, str, Iterable[str]]]):
        """`entities`: (id, name, aliases) triples."""
        self.ids: set[str] = set()
        self.names: dict[str, str] = {}
        # Exact keys (id, whole name, alias) win over the shortened forms of a name, so a name
        # like "VTT–A*STAR MoU (2019)" never makes "VTT" ambiguous.
        self._exact: dict[str, set[str]] = defaultdict(set)
        self._keys: dict[str, set[str]] = defaultdict(set)
        for eid, name, aliases in entities:
            self.ids.add(eid)
            self.names[eid] = name
            for text in (eid, name, *aliases):
                self._exact[normalize(text)].add(eid)
                self._keys[normalize(text)].add(eid)
            for text in (name, *aliases):
                for key in _name_variants(text):
                    self._keys[key].add(eid)

    def resolve(self, query: str) -> str:
        """The id of the one entity that `query` names (an id, a name or an alias)."""
        if query in self.ids:
            return query
        key = normalize(query)
        hits = self._exact.get(key) or self._keys.get(key, set())
        if len(hits) == 1:
            return next(iter(hits))
        if len(hits) > 1:
            raise AmbiguousEntity(query, sorted(hits))
        # A unique prefix of a name is accepted too: 'Chungbuk National' finds the university.
        prefixed = {eid for k, ids in self._keys.items() if k.startswith(key + " ") for eid in ids} if key else set()
        if len(prefixed) == 1:
            return next(iter(prefixed))
        if len(prefixed) > 1:
            raise AmbiguousEntity(query, sorted(prefixed))
        raise EntityNotFound(query, self.suggest(query))

    def suggest(self, query: str, n: int = 3) -> list[str]:
        key = normalize(query)
        near_keys = difflib.get_close_matches(key, list(self._keys), n=n * 2, cutoff=0.5)
        out: list[str] = []
        for k in near_keys:
            for eid in sorted(self._keys[k]):
                if eid not in out:
                    out.append(eid)
        return out[:n]

    def search(self, text: str) -> list[str]:
        """Ids whose id, name or alias contains `text` (normalized), sorted."""
        key = normalize(text)
        return sorted({eid for k, ids in self._keys.items() if key in k for eid in ids})
