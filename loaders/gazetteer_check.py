"""A user's gazetteer file, read safely and checked before any article is read.

- YAML is read with limits: the file's size, the nesting depth and the number of nodes
  once aliases are expanded (a "billion laughs" file is refused at once, not expanded).
- Each entry is checked against ``schema/gazetteer.schema.json`` (JSON Schema, with the
  ``jsonschema`` validator): one line per problem, naming the file, the entry and the field.
- Ids never collide: two different labels of one type whose ids (transliterated with
  anyascii) would be equal are refused, naming both entries.
- An entry with the label of a bundled entry of the same type extends it: its list fields
  (aliases, generic_aliases, context, demonyms, seats, parties, applies_to, roles) are added
  to the bundled entry's; a single-valued field (coordinates, capital, ...) that differs
  from the bundled value is refused, as it would make one entity with two values.
"""
from __future__ import annotations

import datetime
import json
from functools import lru_cache
from pathlib import Path

import yaml

from kg.errors import SchemaError
from kg.ids import entity_id

MAX_BYTES = 10 * 1024 * 1024
MAX_DEPTH = 20
MAX_NODES = 1_000_000          # nodes after alias expansion
LIST_FIELDS = ("aliases", "generic_aliases", "context", "demonyms", "seats", "parties", "applies_to", "roles")
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class GazetteerProblems(SchemaError):
    """Every problem found in the user's gazetteer files, one line each."""

    multiline = True


def read_limited(path: Path) -> object:
    """The YAML document in ``path``, refused (SchemaError) past the size, depth or node limits."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise SchemaError(f"{path}: gazetteer file too large ({size:,} bytes > {MAX_BYTES:,})")
        text = path.read_text(encoding="utf-8")
        _check_shape(text, path)
        return yaml.load(text, Loader=SAFE_LOADER)
    except (OSError, UnicodeDecodeError) as error:
        raise SchemaError(f"{path}: cannot read gazetteer file: {error}") from error
    except yaml.YAMLError as error:
        if "maximum nesting depth" in str(error):   # libyaml's own limit, met before ours
            raise SchemaError(f"{path}: nested deeper than {MAX_DEPTH} levels; a gazetteer entry is flat") from error
        reason = " ".join(str(error).split())[:200]
        raise SchemaError(f"{path}: not valid YAML: {reason}") from error


def _check_shape(text: str, path: Path) -> None:
    """Walk the YAML events (no objects built): nesting depth, and the node count with every
    alias counted as the size of what it refers to."""
    sizes: dict[str, int] = {}
    stack: list[list] = [[None, 0]]        # [anchor, nodes so far] per open collection
    total = 0
    for event in yaml.parse(text, Loader=SAFE_LOADER):
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            stack.append([event.anchor, 1])
            if len(stack) - 1 > MAX_DEPTH:
                raise SchemaError(f"{path}: nested deeper than {MAX_DEPTH} levels; a gazetteer entry is flat")
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            anchor, nodes = stack.pop()
            if anchor:
                sizes[anchor] = nodes
            stack[-1][1] += nodes
        elif isinstance(event, yaml.ScalarEvent):
            if event.anchor:
                sizes[event.anchor] = 1
            stack[-1][1] += 1
        elif isinstance(event, yaml.AliasEvent):
            stack[-1][1] += sizes.get(event.anchor, 1)
        total = sum(nodes for _anchor, nodes in stack)
        if total > MAX_NODES:
            raise SchemaError(f"{path}: more than {MAX_NODES:,} YAML nodes once its aliases (*name) are "
                              "expanded; write the entries out instead")


@lru_cache(maxsize=1)
def _validator():
    import jsonschema

    from kg.schema import data_path

    schema = json.loads(data_path("gazetteer.schema.json").read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)


def _plain(value):
    """YAML values as JSON values (dates as ISO strings) for the schema check."""
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()[:10]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _field(error) -> str:
    path = [str(p) for p in error.absolute_path]
    if error.validator == "additionalProperties":
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        return ".".join(path + [extra[0]]) if extra else ".".join(path) or "(entry)"
    if error.validator == "required":
        missing = error.message.split("'")[1] if "'" in error.message else "?"
        return ".".join(path + [missing])
    return ".".join(path) or "(entry)"


def _reason(error) -> str:
    if error.validator == "type" and error.validator_value == "array" and isinstance(error.instance, str):
        return f"{error.instance!r} is a single string; write a list, e.g. [{error.instance}]"
    if error.validator == "pattern" and isinstance(error.instance, str) and not error.instance.strip():
        return "is blank"
    if error.validator == "additionalProperties":
        return "is not a gazetteer field (see README: Your own entities)"
    if error.validator == "required":
        return "is missing"
    return " ".join(error.message.split())[:160]


def entry_problems(path, number: int, row) -> list[str]:
    """One line per problem of entry ``number`` (1-based) of ``path``."""
    if not isinstance(row, dict):
        return [f"{path}: entry {number}: an entry is a mapping (label: ..., type: ...), not {type(row).__name__}"]
    name = f"entry {number}" + (f" ({row['label']!r})" if isinstance(row.get("label"), str) else "")
    lines = []
    for error in sorted(_validator().iter_errors(_plain(row)), key=lambda e: list(map(str, e.absolute_path))):
        lines.append(f"{path}: {name}: field {_field(error)}: {_reason(error)}")
    return lines


def check_user_rows(path, rows, entity_type_of, bundled) -> list[str]:
    """Problems of a user's file: schema, colliding ids, conflicts with bundled entries.

    ``entity_type_of(row)`` gives an entry's type; ``bundled`` maps ``(type, label)`` to the
    bundled entry's data and ids to labels."""
    if rows is None:
        return []
    if not isinstance(rows, list):
        return [f"{path}: a gazetteer file is a YAML list of entries (- label: ...)"]
    lines: list[str] = []
    ids: dict[str, tuple[int, str]] = {}
    for number, row in enumerate(rows, 1):
        problems = entry_problems(path, number, row)
        entity_type = entity_type_of(row) if isinstance(row, dict) else None
        if not problems and entity_type is None:
            problems = [f"{path}: entry {number} ({row['label']!r}): field type: is missing "
                        "(Person, Country, Organization, ArmedGroup, Location or Agreement)"]
        lines += problems
        if problems:
            continue
        label = row["label"].strip()
        key = entity_id(entity_type, label)
        if key in ids and ids[key][1] != label:
            lines.append(f"{path}: entry {number} ({label!r}): field label: gives the id {key} that entry "
                         f"{ids[key][0]} ({ids[key][1]!r}) has; make one an alias of the other")
        ids.setdefault(key, (number, label))
        lines += _bundled_conflicts(path, number, entity_type, label, key, row, bundled)
    return lines


def _bundled_conflicts(path, number, entity_type, label, key, row, bundled) -> list[str]:
    by_label, by_id = bundled
    known = by_label.get((entity_type, label))
    if known is None:
        other = by_id.get(key)
        if other is not None and other != label:
            return [f"{path}: entry {number} ({label!r}): field label: gives the id {key} of the bundled "
                    f"entry {other!r}; use that label to extend it, or another label"]
        return []
    lines = []
    for field, value in row.items():
        if field in LIST_FIELDS or field in ("label", "type") or value is None:
            continue
        if field in known and known[field] is not None and _plain(known[field]) != _plain(value):
            lines.append(f"{path}: entry {number} ({label!r}): field {field}: {value!r} differs from the bundled "
                         f"entry's {known[field]!r}; drop the field to extend the bundled entry, or use another label")
    return lines
