"""The gazetteer: known entities, their spellings, demonyms, capitals and dated roles.

Loaded once from the YAML files in ``schema/gazetteer/`` plus any files the user adds
(``--gazetteer FILE``). It helps recognise and resolve names; it never states a fact.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Optional

import yaml

from kg.errors import SchemaError
from kg.ids import entity_id
from kg.model import Entity
from kg.schema import data_path

SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)   # libyaml when PyYAML has it: ~10x faster
FILE_TYPES = {"countries": "Country", "organizations": "Organization", "armed_groups": "ArmedGroup",
              "persons": "Person", "agreements": "Agreement", "locations": "Location"}
TYPES = set(FILE_TYPES.values())


@dataclass(eq=False)
class Entry:
    entity: Entity
    data: dict
    context: tuple = ()

    @property
    def label(self) -> str:
        return self.entity.label

    @property
    def type(self) -> str:
        return self.entity.type


@dataclass(frozen=True)
class Role:
    title: str
    of: str
    kind: str            # leader | official
    start: Optional[str]
    end: Optional[str]

    def held_on(self, date: Optional[str]) -> bool:
        if not date:
            return self.end is None
        return (self.start is None or self.start[:len(date)] <= date) and \
               (self.end is None or date <= self.end[:len(date)] or self.end[:len(date)] == date)


@dataclass(eq=False)
class Gazetteer:
    entries: dict = field(default_factory=dict)        # label -> Entry (first type wins)
    names: dict = field(default_factory=dict)          # exact surface -> [Entry]
    generic: dict = field(default_factory=dict)        # lowercase surface -> [Entry]
    demonyms: dict = field(default_factory=dict)       # "Turkish" -> country Entry
    capitals: dict = field(default_factory=dict)       # "Ankara" -> country Entry
    seats: dict = field(default_factory=dict)          # "the Kremlin" -> country Entry
    roles: dict = field(default_factory=dict)          # person label -> [Role]
    surnames: dict = field(default_factory=dict)       # "Haftar" -> {person Entry}

    # -- building -----------------------------------------------------------
    def add_file(self, path, default_type: Optional[str] = None) -> None:
        name = Path(str(path)).stem
        try:
            text = Path(str(path)).read_text(encoding="utf-8") if isinstance(path, (str, os.PathLike)) \
                else path.read_text(encoding="utf-8")
            rows = yaml.load(text, Loader=SAFE_LOADER)
        except (OSError, yaml.YAMLError) as error:
            raise SchemaError(f"{path}: cannot read gazetteer file: {error}") from error
        if rows is None:
            return
        if not isinstance(rows, list):
            raise SchemaError(f"{path}: a gazetteer file is a YAML list of entries")
        for number, row in enumerate(rows, 1):
            entity_type = row.get("type") or FILE_TYPES.get(name) or default_type
            if entity_type not in TYPES or not row.get("label"):
                raise SchemaError(f"{path}: entry {number} needs a label and a type "
                                  f"({', '.join(sorted(TYPES))})")
            self.add(entity_type, row)

    def add_user_file(self, path) -> None:
        """A user's file: read with limits and checked whole (one line per problem, before
        anything is added); entries repeating a bundled label extend it (see gazetteer_check)."""
        from kg.loaders.gazetteer_check import LIST_FIELDS, GazetteerProblems, check_user_rows, read_limited

        path = Path(str(path))
        rows = read_limited(path)
        by_label = {(e.type, label): e.data for label, e in self.entries.items()}
        by_id = {e.entity.id: label for label, e in self.entries.items()}
        type_of = lambda row: row.get("type") or FILE_TYPES.get(path.stem)       # noqa: E731
        problems = check_user_rows(path, rows, type_of, (by_label, by_id))
        if problems:
            raise GazetteerProblems("\n".join(problems))
        for row in rows or []:
            entity_type, label = type_of(row), row["label"].strip()
            known = self.entries.get(label)
            if known is not None and known.type == entity_type:
                merged = {**known.data, **{k: v for k, v in row.items() if v is not None}}
                for name in LIST_FIELDS:
                    items = list(known.data.get(name) or [])
                    merged[name] = items + [v for v in row.get(name) or [] if v not in items]
                self.add(entity_type, {**merged, "label": label}, extend=known)
            else:
                self.add(entity_type, {**row, "label": label})

    def add(self, entity_type: str, row: dict, extend: Optional[Entry] = None) -> Entry:
        """Index one entry; with ``extend`` (an entry of the same label and type) that entry
        takes the row's data and the new spellings point to it."""
        label = str(row["label"]).strip()
        self._by_country = self._by_place = None   # indexes are rebuilt on next use
        attrs = tuple(sorted((k, row[k]) for k in ("lat", "lon", "geonames_id", "iso2", "iso3", "kind")
                             if row.get(k) is not None))
        entity = Entity(entity_id(entity_type, label), label, entity_type, attrs)
        if extend is not None:
            entry = extend
            entry.entity, entry.data, entry.context = entity, row, tuple(row.get("context") or ())
        else:
            entry = Entry(entity, row, tuple(row.get("context") or ()))
        self.entries.setdefault(label, entry)
        for surface in [label, *(row.get("aliases") or [])]:
            self._index(self.names, str(surface), entry)
            if str(surface).startswith(("al-", "el-", "ad-", "as-", "ash-", "an-", "ar-", "at-")):
                self._index(self.names, str(surface)[0].upper() + str(surface)[1:], entry)  # sentence start
        for surface in row.get("generic_aliases") or []:
            self._index(self.generic, str(surface).lower(), entry)
        if entity_type == "Country":
            for demonym in row.get("demonyms") or []:
                self.demonyms.setdefault(str(demonym), entry)
            if row.get("capital"):
                self.capitals.setdefault(str(row["capital"]), entry)
            for seat in row.get("seats") or []:
                self.seats.setdefault(str(seat), entry)
        if entity_type == "Person":
            self.roles[label] = [Role(str(r.get("title", "")), str(r.get("of", "")), str(r.get("kind", "official")),
                                      _iso(r.get("from")), _iso(r.get("to"))) for r in row.get("roles") or []]
            for surface in [label, *(row.get("aliases") or [])]:
                parts = str(surface).split()
                if len(parts) >= 2:
                    self.surnames.setdefault(parts[-1], set()).add(label)
        return entry

    @staticmethod
    def _index(index: dict, surface: str, entry: Entry) -> None:
        bucket = index.setdefault(surface, [])
        if entry not in bucket:
            bucket.append(entry)

    # -- lookups ------------------------------------------------------------
    def get(self, label: str) -> Optional[Entry]:
        return self.entries.get(label)

    def government(self, country: Entry) -> Entry:
        """The entity that acts for a country's state (itself unless the gazetteer says otherwise)."""
        name = country.data.get("government")
        return self.entries.get(name, country) if name else country

    def office_holders(self, country_label: str, kind: str, title: Optional[str], date: Optional[str]) -> list[Entry]:
        """Persons who held a role of ``kind`` (and ``title`` if given) for a country on ``date``."""
        found = []
        for person, roles in self._roles_by_country().get(country_label, {}).items():
            for role in roles:
                if role.of == country_label and role.kind == kind and role.held_on(date) and \
                        (title is None or same_title(role.title, title)):
                    found.append(self.entries[person])
                    break
        return found

    def _roles_by_country(self) -> dict:
        """country label -> person label -> roles held for it (built once, on first use)."""
        if getattr(self, "_by_country", None) is None:
            index: dict = {}
            for person, roles in self.roles.items():
                for role in roles:
                    index.setdefault(role.of, {}).setdefault(person, []).append(role)
            self._by_country = index
        return self._by_country

    def role_of(self, person_label: str, title: Optional[str], date: Optional[str]) -> list[Role]:
        return [r for r in self.roles.get(person_label, []) if (title is None or same_title(r.title, title))
                and (date is None or r.held_on(date) or r.start and r.start[:4] <= date[:4] <= (r.end or "9999")[:4])]

    def agreements_at(self, place: str) -> list[Entry]:
        """Agreements named after (or signed in) a place, in file order."""
        if getattr(self, "_by_place", None) is None:
            index: dict = {}
            for entry in self.entries.values():
                if entry.type == "Agreement" and entry.data.get("place"):
                    index.setdefault(entry.data["place"], []).append(entry)
            self._by_place = index
        return list(self._by_place.get(place, []))


def same_title(a: str, b: str) -> bool:
    """'Defense Minister' is the 'Defence Minister', 'Minister of Foreign Affairs' the 'Foreign Minister'
    (schema/lexicon.yaml: title_spellings)."""
    return _title_key(a) == _title_key(b)


@lru_cache(maxsize=4096)
def _title_key(title: str) -> str:
    import re

    from kg.loaders.mentions import lexicon

    key = " ".join(title.lower().replace("-", " ").split())
    for variant, canonical in sorted(lexicon().get("title_spellings", {}).items(), key=lambda kv: -len(kv[0])):
        key = re.sub(rf"\b{re.escape(variant)}\b", canonical, key)
    return key


def _iso(value) -> Optional[str]:
    return str(value) if value not in (None, "", "null") else None


def default_files() -> list:
    folder = data_path("gazetteer")
    order = list(FILE_TYPES)
    files = [folder.joinpath(f"{name}.yaml") for name in order]
    return [f for f in files if f.is_file()]


@lru_cache(maxsize=8)
def load(extra: tuple = ()) -> Gazetteer:
    """The bundled gazetteer plus the user's files (paths), cached per combination in the
    process and, parsed, on disk (see ``kg.loaders.gazetteer_cache``)."""
    from kg.loaders.gazetteer_cache import cached

    return cached([*default_files(), *extra], lambda _paths: _parse(extra))


def _parse(extra: tuple = ()) -> Gazetteer:
    gazetteer = Gazetteer()
    for path in default_files():
        gazetteer.add_file(path)
    for path in extra:
        gazetteer.add_user_file(path)
    return gazetteer
