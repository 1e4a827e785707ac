"""Make `world.json` from Natural Earth's 1:110m country outlines (run by hand, once).

Source: the `naturalearth_lowres` shapefile that the geopandas 0.14.4 wheel ships
(geopandas/datasets/naturalearth_lowres/), itself Natural Earth's "Admin 0 - Countries" at
1:110m (https://www.naturalearthdata.com/downloads/110m-cultural-vectors/). Natural Earth is in
the public domain (https://www.naturalearthdata.com/about/terms-of-use/).

    pip download geopandas==0.14.4 --no-deps && unzip geopandas-0.14.4-py3-none-any.whl
    python maps/basemap/extract.py geopandas/datasets/naturalearth_lowres/naturalearth_lowres

Reads the .shp and .dbf with the standard library only (polygons, type 5), keeps each
country's ISO 3166-1 alpha-3 code and its rings, rounds coordinates to 0.05 degrees and drops
points that rounding makes repeat: about 150 KB of JSON that the geo map draws offline.
"""
from __future__ import annotations

import json
import struct
import sys
from pathlib import Path


def _records(dbf: bytes) -> list[dict[str, str]]:
    count, header, size = struct.unpack("<IHH", dbf[4:12])
    fields, at = [], 32
    while dbf[at] != 0x0D:
        name = dbf[at:at + 11].split(b"\0")[0].decode("ascii")
        fields.append((name, dbf[at + 16]))
        at += 32
    out = []
    for i in range(count):
        row, pos = dbf[header + i * size + 1: header + (i + 1) * size], 0
        rec = {}
        for name, width in fields:
            rec[name] = row[pos:pos + width].decode("utf-8", "replace").strip()
            pos += width
        out.append(rec)
    return out


def _shapes(shp: bytes) -> list[list[list[tuple[float, float]]]]:
    out, at = [], 100
    while at < len(shp):
        _, length = struct.unpack(">ii", shp[at:at + 8])
        body = shp[at + 8: at + 8 + 2 * length]
        at += 8 + 2 * length
        if struct.unpack("<i", body[:4])[0] != 5:
            out.append([])
            continue
        n_parts, n_points = struct.unpack("<ii", body[36:44])
        parts = list(struct.unpack(f"<{n_parts}i", body[44:44 + 4 * n_parts])) + [n_points]
        pts = struct.unpack(f"<{2 * n_points}d", body[44 + 4 * n_parts: 44 + 4 * n_parts + 16 * n_points])
        rings = []
        for a, b in zip(parts, parts[1:]):
            ring = []
            for i in range(a, b):
                p = (round(pts[2 * i] * 20) / 20, round(pts[2 * i + 1] * 20) / 20)
                if not ring or ring[-1] != p:
                    ring.append(p)
            if len(ring) >= 4:
                rings.append(ring)
        out.append(rings)
    return out


def main(stem: str) -> None:
    base = Path(stem)
    recs = _records(base.with_suffix(".dbf").read_bytes())
    shapes = _shapes(base.with_suffix(".shp").read_bytes())
    countries = sorted(({"iso_a3": r["iso_a3"], "name": r["name"], "rings": s} for r, s in zip(recs, shapes) if s),
                       key=lambda c: c["name"])
    doc = {"source": "Natural Earth 1:110m Admin 0 - Countries, via geopandas 0.14.4 naturalearth_lowres",
           "licence": "public domain (Natural Earth terms of use)", "countries": countries}
    out = Path(__file__).with_name("world.json")
    out.write_text(json.dumps(doc, separators=(",", ":"), ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{out}: {len(countries)} countries, {out.stat().st_size:,} bytes")


if __name__ == "__main__":
    main(sys.argv[1])
