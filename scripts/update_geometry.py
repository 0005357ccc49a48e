#!/usr/bin/env python3
"""Regenerate data/geo/ from the amCharts 4 geodata npm package: `make geometry`.

One command brings the map geometry up to date: it fetches the package with `npm pack` (or reads a
tarball given with --tarball), checks its licence file, and writes

- data/geo/kazakhstan_2021.geojson: the 14 regions of 2021 as polygons (`kazakhstanLow`, which has
  the borders before the 2022 reform) and the 3 cities of republican significance as points (the
  centroids of their polygons in `kazakhstan2023Low`; `kazakhstanLow` draws no city). Each feature
  has `iso_code` (ISO 3166-2, the alphabetic edition before November 2022, as in
  data/regions.csv), `name` (as the source spells it), `kind` and a label position;
- data/geo/LICENSE: the package's LICENSE file, unaltered, as its licence asks.

Simplification: coordinates are rounded to 2 decimals (about 1 km; one pixel of an A4 map is about
5 km) and repeated points dropped. Shared borders have the same points in both neighbours, so the
rounding keeps them shared (no gaps, no overlaps). Islands smaller than MIN_PART_AREA square degrees
are dropped (a few Caspian islands and the Aral Sea's), so are the package's Aral Sea polygon.

Codes: the regions' codes come from the package; the cities' 2022 codes (KZ-71, KZ-75, KZ-79) are
mapped to the codes of 2021 through the `iso_code_2022` column of data/regions.csv, so every name
and code mapping lives in the data, not here. The script fails if a region or city of the data has
no shape, or a shape no place.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
OUT = DATA / "geo"
GEOMETRY = OUT / "kazakhstan_2021.geojson"
PACKAGE = "@amcharts/amcharts4-geodata"
VERSION = "4.1.32"  # the version the data package describes; --version to try another
REGIONS_2021 = "package/json/kazakhstanLow.json"
CITIES_2023 = "package/json/kazakhstan2023Low.json"
DIGITS = 2
MIN_PART_AREA = 0.05  # square degrees, about 25 km x 20 km at these latitudes


def fetch(version: str, workdir: Path) -> Path:
    """The package tarball, fetched from the npm registry with npm's own client."""
    spec = f"{PACKAGE}@{version}"
    print(f"update_geometry: npm pack {spec}", file=sys.stderr)
    result = subprocess.run(
        ["npm", "pack", spec, "--silent", "--pack-destination", str(workdir)],
        check=True,
        capture_output=True,
        text=True,
    )
    return workdir / result.stdout.strip().splitlines()[-1]


def read_member(tarball: Path, name: str) -> bytes:
    with tarfile.open(tarball) as tar:
        member = tar.extractfile(name)
        if member is None:
            raise SystemExit(f"update_geometry: {name} not in {tarball}")
        return member.read()


def ring_area(ring: list[list[float]]) -> float:
    """Signed area in square degrees (shoelace)."""
    return 0.5 * sum(
        x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True)
    )


def rounded_ring(ring: list[list[float]]) -> list[list[float]] | None:
    points: list[list[float]] = []
    for x, y in ring:
        point = [round(x, DIGITS), round(y, DIGITS)]
        if not points or point != points[-1]:
            points.append(point)
    if points[0] != points[-1]:
        points.append(points[0])
    return points if len(points) >= 4 else None


def simplified(geometry: dict) -> dict:
    """Rounded coordinates, small islands dropped; a MultiPolygon of one part becomes a Polygon."""
    parts = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    kept = []
    for polygon in parts:
        if abs(ring_area(polygon[0])) < MIN_PART_AREA and len(parts) > 1:
            continue
        rings = [r for r in (rounded_ring(ring) for ring in polygon) if r]
        if rings:
            kept.append(rings)
    if len(kept) == 1:
        return {"type": "Polygon", "coordinates": kept[0]}
    return {"type": "MultiPolygon", "coordinates": kept}


def _inside(x: float, y: float, rings: list[list[list[float]]]) -> bool:
    inside = False
    for ring in rings:
        for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False):
            if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
                inside = not inside
    return inside


def _edge_distance(x: float, y: float, rings: list[list[list[float]]]) -> float:
    best = math.inf
    k = math.cos(math.radians(y))  # degrees of longitude are shorter than of latitude
    for ring in rings:
        for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False):
            dx, dy = (x2 - x1) * k, y2 - y1
            px, py = (x - x1) * k, y - y1
            t = max(0.0, min(1.0, (px * dx + py * dy) / (dx * dx + dy * dy or 1)))
            best = min(best, math.hypot(px - t * dx, py - t * dy))
    return best


def label_point(geometry: dict) -> tuple[float, float]:
    """The point of the largest part farthest from its edges (a grid search): room for a label."""
    parts = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    rings = max(parts, key=lambda p: abs(ring_area(p[0])))
    xs = [x for x, _ in rings[0]]
    ys = [y for _, y in rings[0]]
    best, where = -1.0, (sum(xs) / len(xs), sum(ys) / len(ys))
    steps = 40
    for i in range(steps + 1):
        for j in range(steps + 1):
            x = min(xs) + (max(xs) - min(xs)) * i / steps
            y = min(ys) + (max(ys) - min(ys)) * j / steps
            if _inside(x, y, rings):
                d = _edge_distance(x, y, rings)
                if d > best:
                    best, where = d, (x, y)
    return round(where[0], DIGITS), round(where[1], DIGITS)


def centroid(geometry: dict) -> tuple[float, float]:
    """Area-weighted centroid of a polygon's outer rings."""
    parts = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    total = cx = cy = 0.0
    for polygon in parts:
        ring = polygon[0]
        for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
            cross = x1 * y2 - x2 * y1
            total += cross
            cx += (x1 + x2) * cross
            cy += (y1 + y2) * cross
    return round(cx / (3 * total), DIGITS), round(cy / (3 * total), DIGITS)


def places() -> list[dict[str, str]]:
    with (DATA / "regions.csv").open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def build(tarball: Path) -> dict:
    license_text = read_member(tarball, "package/LICENSE")
    if b"amCharts" not in license_text or b"LICENSE file" not in license_text:
        raise SystemExit("update_geometry: the package's LICENSE is not the linkware licence read "
                         "when this script was written; read it before updating")  # fmt: skip
    version = json.loads(read_member(tarball, "package/package.json"))["version"]
    regions = json.loads(read_member(tarball, REGIONS_2021))
    cities = json.loads(read_member(tarball, CITIES_2023))
    table = places()
    codes = {p["iso_code"]: p for p in table if p["iso_code"]}
    city_codes = {p["iso_code_2022"]: p["iso_code"] for p in table if p["kind"] == "city"}

    features = []
    for feature in regions["features"]:
        props = feature["properties"]
        if props.get("TYPE") != "Region":
            continue  # the Aral Sea
        geometry = simplified(feature["geometry"])
        lon, lat = label_point(geometry)
        features.append({
            "type": "Feature",
            "properties": {"iso_code": props["id"], "name": props["name"], "kind": "region",
                           "label_lon": lon, "label_lat": lat},
            "geometry": geometry,
        })  # fmt: skip
    for feature in cities["features"]:
        props = feature["properties"]
        if props.get("TYPE") != "City":
            continue
        code = city_codes.get(props["id"])
        if code is None:
            raise SystemExit(f"update_geometry: city {props['id']} ({props['name']}) is not in "
                             "data/regions.csv's iso_code_2022 column")  # fmt: skip
        lon, lat = centroid(feature["geometry"])
        features.append({
            "type": "Feature",
            "properties": {"iso_code": code, "name": props["name"], "kind": "city",
                           "label_lon": lon, "label_lat": lat},
            "geometry": {"type": "Point", "coordinates": [lon, lat]},
        })  # fmt: skip

    drawn = [f["properties"]["iso_code"] for f in features]
    problems = [f"{c}: drawn twice" for c in set(drawn) if drawn.count(c) > 1]
    problems += [f"{c}: in the geometry, not in data/regions.csv" for c in set(drawn) - set(codes)]
    problems += [
        f"{c} ({codes[c]['region']}): in data/regions.csv, no shape or point"
        for c in set(codes) - set(drawn)
    ]
    if problems:
        raise SystemExit("update_geometry: " + "; ".join(sorted(problems)))
    features.sort(key=lambda f: (f["properties"]["kind"] != "region", f["properties"]["iso_code"]))
    return {
        "type": "FeatureCollection",
        "source": f"{PACKAGE} {version}: {REGIONS_2021.removeprefix('package/')} (regions), "
        f"{CITIES_2023.removeprefix('package/')} (city centroids); (c) amCharts, see LICENSE",
        "features": features,
    }, license_text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--version", default=VERSION, help=f"package version (default {VERSION})")
    parser.add_argument("--tarball", type=Path, help="a package tarball already fetched")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        tarball = args.tarball or fetch(args.version, Path(tmp))
        collection, license_text = build(tarball)
    OUT.mkdir(exist_ok=True)
    text = json.dumps(collection, ensure_ascii=False, separators=(",", ":"))
    # one feature a line: diffs of an update stay readable
    text = text.replace(',{"type":"Feature"', ',\n{"type":"Feature"') + "\n"
    GEOMETRY.write_text(text, encoding="utf-8")
    (OUT / "LICENSE").write_bytes(license_text)
    print(f"update_geometry: wrote {GEOMETRY.relative_to(ROOT)} ({len(text.encode()):,} bytes, "
          f"{len(collection['features'])} features) and data/geo/LICENSE", file=sys.stderr)  # fmt: skip
    return 0


if __name__ == "__main__":
    shutil.which("npm") or print("update_geometry: npm is needed (Node.js)", file=sys.stderr)
    sys.exit(main())
