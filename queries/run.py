"""Run a canned query on a store: check and resolve parameters, bind them as values, shape
and page the rows.

On SPARQL stores a canned query returns answer rows counted in the stats graph (see
``kg.aggregates``): kg pages them in the engine (ORDER BY from the manifest, LIMIT,
OFFSET), counts them once for the total, and reads sources and evidence sentences only
for the rows on the page. On the embedded store the long answers are paged by what the
stats graph counts at write time: the timeline and contested by date and conflict blocks,
profile, at and opponents by an entity's answer blocks (one per predicate and direction),
agreements by its answers' sort keys; the whole rows are read for the page only. Evidence
rows (``--evidence``, and the `evidence` query on the embedded store) are placed by the sort
keys the stats graph keeps for each of them. On Neo4j a canned query returns evidence rows
that kg groups (``kg.queries.rows.answer``) and pages here.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from kg.errors import QueryError
from kg.lookup import resolve_name
from kg.queries import Query
from kg.queries import auxiliary_text
from kg.queries.path import explored_graph, hop_rows, shortest_chain
from kg.queries.rows import EVIDENCE, answer, distinct, normalise, predicate_names, sort_by, sort_rows
from kg.schema.namespaces import RESOURCE
from kg.sparql_safety import CheckedQuery, bind_constants

ARTICLE = RESOURCE + "article/"
DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def resolve_predicate(text: str):
    """A vocabulary predicate from 'leader_of', 'leader of', 'leaderOf' or 'LEADER_OF'."""
    from kg.schema.vocab import predicate

    names = predicate_names()
    name = names.get(text) or names.get(text.strip().replace(" ", "_").replace("-", "_").lower())
    if name is None:
        known = ", ".join(sorted(set(names.values())))
        raise QueryError(f"unknown predicate {text!r}; use one of: {known}")
    return predicate(name)


def checked_date(text: str) -> str:
    if not DATE.match(text.strip()):
        raise QueryError(f"{text!r} is not a date: give YYYY-MM-DD, YYYY-MM or YYYY")
    return text.strip()


def bind(query: Query, args: list[str], store, gazetteer=None) -> dict:
    """Parameters of a query from positional arguments, resolved for the store's language.

    Entities become IRIs (SPARQL) or ids (Cypher), predicates IRIs or relationship types;
    an object of a date predicate (signed_on) stays an ISO date. Cypher gets missing
    optional parameters as null.
    """
    required = [p for p in query.params if not p.optional]
    if not len(required) <= len(args) <= len(query.params):
        raise QueryError(f"usage: kg query {query.usage()} (got {len(args)} argument(s))")
    sparql = store.language == "sparql"
    values, predicate = {}, None
    for param, arg in zip(query.params, args):
        if param.kind == "predicate":
            predicate = resolve_predicate(arg)
            values[param.name] = predicate.iri if sparql else predicate.neo4j
        elif param.kind == "object" and predicate is not None and "Date" in predicate.range:
            values[param.name] = checked_date(arg)
        elif param.kind in ("entity", "object"):
            iri, _label, entity = resolve_name(arg, store, gazetteer)
            values[param.name] = iri if sparql else entity
        else:
            values[param.name] = arg
    if not sparql:
        values.update({p.name: None for p in query.params[len(args):]})
    return values


def entity_id(value: str) -> str:
    """A bound entity value (IRI in SPARQL, id in Cypher) as a kg id."""
    return value[len(RESOURCE):] if value.startswith(RESOURCE) else value


def bound(text: str, store, params: dict) -> tuple:
    """Arguments for ``store.query``: SPARQL with the values written in (see
    ``bind_constants``), Cypher with its parameters."""
    return (own(bind_constants(text, params)),) if store.language == "sparql" else (text, params)


def own(text: str) -> CheckedQuery:
    """A query kg wrote (its query files, values bound as RDF terms, ORDER BY/LIMIT added):
    run as it is, without the read-only check user queries get (tests/test_queries.py
    checks every query file with it)."""
    return CheckedQuery(text)


@dataclass
class Page:
    """Some rows of an answer: ``rows`` from ``offset``, of ``total`` in all."""
    rows: list[dict]
    total: int
    offset: int = 0


def run(query: Query, store, args: list[str], gazetteer=None, evidence: bool = False,
        limit: int | None = None, offset: int = 0) -> list[dict]:
    """Answer rows of a canned query (every evidence row with ``evidence``), ``limit`` of them from ``offset``."""
    return run_page(query, store, args, gazetteer, evidence, limit, offset).rows


def run_page(query: Query, store, args: list[str], gazetteer=None, evidence: bool = False,
             limit: int | None = None, offset: int = 0) -> Page:
    """Like ``run``, with the number of rows the whole answer has.

    ``gazetteer`` may be a function returning it (loaded only when a name needs it)."""
    if offset < 0 or (limit is not None and limit < 1):
        raise QueryError("--limit must be at least 1 and --offset at least 0")
    params = bind(query, args, store, gazetteer)
    if query.name == "path" and params["source"] == params["target"]:
        raise QueryError("path needs two different entities")
    evidence = evidence or query.evidence_always
    window = Window(offset, limit)
    if hasattr(store, "check_stats_version"):
        store.check_stats_version()            # a SPARQL server pushed by another version: refused, not misread
    if store.language == "sparql" and query.evidence_always:
        return _evidence_query_page(query, store, params, window)
    if store.language != "sparql":
        rows = answer(raw_rows(query, store, params), query.columns, query.order, evidence)
        return Page(window.cut(rows), len(rows), offset)
    return Counted(query, store, params).page(window, evidence)


def _evidence_query_page(query: Query, store, params: dict, window: "Window") -> Page:
    """A query whose rows are evidence rows (its file orders them as kg does): on the embedded
    store from the sort keys of the fact's evidence rows (``_keyed_evidence_page``), on a
    server a page and a count."""
    if store.name == "embedded":
        return _keyed_evidence_page(query, store, params, window)
    text = bind_constants(query.text("sparql"), params)
    rows, total = _paged_on_server(store, text, text, window)
    return Page([normalise(r, query.columns) for r in rows], total, window.offset)


def _keyed_evidence_page(query: Query, store, params: dict, window: "Window") -> Page:
    """`evidence` (published, article, -confidence, then every column): the stats graph's
    sort keys of the fact's evidence rows place each (published, article, confidence) group,
    and the sentences are read for the groups the window covers only."""
    facts = [r["fact"] for r in store.query(own(bind_constants(auxiliary_text("evidence-facts", "sparql"), params)))]
    groups: dict[tuple, set] = {}
    keys = store.query(own(auxiliary_text("evidence-keys", "sparql")), {"agg": facts}) if facts else []
    for key in (key for r in keys for key in r["keys"].split("\n")):
        confidence, article, published, sentence, rule = key.split(" ")
        groups.setdefault((None if published == "-" else published, article, float(confidence)), set()).add(
            (sentence, rule))
    ordered = [tuple(g.values()) for g in sort_by([dict(zip(("published", "article", "confidence"), g))
                                                   for g in groups], ("published", "article", "-confidence"))]
    numbers, first, total = covered([len(groups[key]) for key in ordered], window)
    chosen = {ordered[n] for n in numbers}
    found = [r for r in evidence_of(store, {(f, article) for f in facts for _p, article, _c in chosen})
             if (r.get("published"), r["article"], round(float(r["confidence"]), 2)) in chosen]
    rows = answer(found, query.columns, query.order, True)
    return Page(window.cut(rows, first), total, window.offset)


def _paged_on_server(store, text: str, ordered: str, window: "Window") -> tuple[list[dict], int]:
    """The window's rows of ``ordered`` (``text`` with its ORDER BY) and how many ``text`` has: a
    first page shorter than the window is the whole answer, else a COUNT tells."""
    rows = store.query(own(ordered + window.sparql()))
    if window.offset == 0 and (window.limit is None or len(rows) < window.limit):
        return rows, len(rows)
    total = store.query(own(f"SELECT (COUNT(*) AS ?total) WHERE {{ {{ {text} }} }}"))
    return rows, int(total[0]["total"])


def covered(sizes: list[int], window: "Window | None", start: int = 0) -> tuple[list[int], int, int]:
    """Which of some items in order (of these sizes in rows, the first at position ``start``)
    ``window`` overlaps (all with no window): their indexes, the position of the first (the end
    when none), and the end."""
    chosen, first, position = [], None, start
    for number, size in enumerate(sizes):
        if window is None or (position + size > window.offset and position < window.end):
            first = position if first is None else first
            chosen.append(number)
        position += size
    return chosen, position if first is None else first, position


@dataclass(frozen=True)
class Window:
    offset: int
    limit: int | None

    @property
    def end(self) -> float:
        return float("inf") if self.limit is None else self.offset + self.limit

    def cut(self, rows: list, start: int = 0) -> list:
        """The window's part of ``rows``, which begin at position ``start`` of the whole answer."""
        stop = None if self.limit is None else self.offset + self.limit - start
        return rows[max(0, self.offset - start):stop]

    def sparql(self) -> str:
        return (f"\nOFFSET {self.offset}" if self.offset else "") + \
            (f"\nLIMIT {self.limit}" if self.limit is not None else "")


def raw_rows(query: Query, store, params: dict) -> list[dict]:
    """The query's evidence rows from a Cypher store (path: the rows of its hops)."""
    text = query.text(store.language)
    if query.name != "path":
        return store.query(*bound(text, store, params))
    edges = store.query(text, params)
    return hop_rows(edges, entity_id(params["source"]), entity_id(params["target"]))


ANSWER_EXTRAS = ("articles", "confidence", "evidence")   # what a counted row carries besides its columns
COUNTED = (*ANSWER_EXTRAS, "evidence_count", "agg")      # ... and what kg reads its evidence with


BLOCK_PAGED = ("timeline", "contested")                  # paged by blocks counted at write time (Counted._blocks)
# Paged by their answers' sort keys on the embedded store (Counted._keyed_rows): the query giving
# the answer blocks counted at write time (None: every answer's keys are read), and the one
# giving the sort keys of a block's answers (or of every answer).
KEYED = {"profile": ("profile-blocks", "block-keys"), "at": ("at-blocks", "block-keys"),
         "opponents": ("opponents-blocks", "opponents-keys"), "agreements": (None, "agreements-keys")}


class Counted:
    """A canned query over the stats graph: answer rows counted at write time."""

    def __init__(self, query: Query, store, params: dict):
        self.query, self.store, self.params = query, store, params
        self.columns = query.columns

    # -- answer rows ------------------------------------------------------------------
    def order_by(self, order: tuple[str, ...]) -> str:
        """ORDER BY from the manifest's sort keys, then every column (kg's tie-break)."""
        keys = list(dict.fromkeys([*order, *self.columns, *ANSWER_EXTRAS]))
        seen, terms = set(), []
        for key in keys:
            name = key.lstrip("-")
            if name not in seen:
                seen.add(name)
                terms.append(f"DESC(?{name})" if key.startswith("-") else f"?{name}")
        return "\nORDER BY " + " ".join(terms)

    def ordered(self, rows: list[dict]) -> list[dict]:
        """Rows in the order ``order_by`` gives them in SPARQL, ties kept in the order they came."""
        keys, seen = [], set()
        for spec in dict.fromkeys([*self.query.order, *self.columns, *ANSWER_EXTRAS]):
            if spec.lstrip("-") not in seen:
                seen.add(spec.lstrip("-"))
                keys.append(spec)
        return sort_by(rows, keys)

    def text(self) -> str:
        return bind_constants(self.query.text("sparql"), self.params)

    def answers(self, window: Window | None = None) -> tuple[list[dict], int]:
        """Answer rows in order (those in ``window``, or all) and how many there are."""
        if self.query.name == "path":
            rows = sort_rows(self._path_rows(), self.query.order)
            return (window.cut(rows) if window else rows), len(rows)
        if self.query.name in BLOCK_PAGED:
            rows, before, total = self._block_rows(window, "rows")
            return (window.cut(rows, before) if window else rows), total
        keyed = self._keyed_rows(window, "rows") if window is not None else None
        if keyed is not None:
            rows, before, total = keyed
            return window.cut(self.ordered(rows), before), total  # type: ignore[union-attr]
        if self.store.name == "embedded":
            # in process, one evaluation sorted and cut here costs less than a page and a COUNT
            # (each evaluation reads every row's terms) and than the engine's sort (which reads
            # the strings it compares again at each comparison); a server sends a page and a count
            rows = self.ordered(self.store.query(own(self.text())))
            return (window.cut(rows) if window else rows), len(rows)
        text = self.text() + self.order_by(self.query.order)
        if window is None:
            rows = self.store.query(own(text))
            return rows, len(rows)
        return _paged_on_server(self.store, self.text(), text, window)

    def _blocks(self, count: str) -> tuple[str, str, list[tuple]] | None:
        """How a long answer is paged by blocks counted at write time, or None: (the query
        file giving the rows of some blocks, the name it binds them to, the blocks as
        (sort key, answer rows, evidence rows, value) in answer order). The whole timeline
        by date, an entity's timeline by month, contested by conflict and subject."""
        if self.query.name == "timeline":
            if "entity" not in self.params and count == "rows":
                days = [(day.rsplit("/day/", 1)[-1], rows)
                        for day, rows in self._lines(auxiliary_text("timeline-day-rows", "sparql"))]
                return "timeline-on", "date", sorted((d, int(rows), 0, d) for d, rows in days)
            if "entity" not in self.params:
                days = self._lines(auxiliary_text("timeline-days", "sparql"))
                return "timeline-on", "date", sorted((d, int(rows), int(evidence), d) for d, rows, evidence in days)
            days = self._lines(bind_constants(auxiliary_text("entity-months", "sparql"), self.params))
            return "timeline-in", "group", sorted((d, int(rows), int(evidence), group)
                                                  for d, rows, evidence, group in days)
        if self.query.name == "contested":
            groups = self.store.query(own(auxiliary_text("contested-groups", "sparql")))
            return "contested-in", "group", sorted(((g["conflict"], g["subject"]), int(g["rows"]),
                                                    int(g["evidence_rows"]), g["group"]) for g in groups)
        return None

    def _lines(self, text: str) -> list[list[str]]:
        """The space-separated fields of each line of a query's one GROUP_CONCAT value."""
        found = self.store.query(own(text))
        joined = found[0].get("days") if found else None
        return [line.split(" ") for line in joined.split("\n")] if joined else []

    def _block_rows(self, window: Window | None, count: str) -> tuple[list[dict], int, int]:
        """The answer rows of the blocks ``window`` covers (counting answer rows, or with
        ``count="evidence"`` evidence rows), in order; the rows (or evidence rows) before
        them; and the rows (or evidence rows) of the whole answer. Blocks with the same
        sort key are read together."""
        name, variable, blocks = self._blocks(count)  # type: ignore[misc]
        merged: dict = {}
        for key, rows, evidence, value in blocks:
            entry = merged.setdefault(key, [0, 0, []])
            entry[0], entry[1] = entry[0] + rows, entry[1] + evidence
            entry[2].append(value)
        entries = list(merged.values())
        chosen, before, seen = covered([e[1] if count == "evidence" else e[0] for e in entries], window)
        values = [value for number in chosen for value in entries[number][2]]
        if not values:
            return [], 0, seen
        text = auxiliary_text(name, "sparql") + self.order_by(self.query.order)
        if window is not None and count == "rows":      # the engine cuts the window out of the blocks
            text += Window(window.offset - before, window.limit).sparql()
            before = window.offset
        return self.store.query(own(text), {variable: values}), before, seen

    def _keyed_rows(self, window: Window, count: str) -> tuple[list[dict], int, int] | None:
        """The answer rows ``window`` covers (counting answer rows, or with ``count="evidence"``
        evidence rows) with every row whose sort keys tie with theirs, unordered; the rows (or
        evidence rows) before them; and those of the whole answer. None where the query is not
        paged so (not in KEYED, or not on the embedded store), or where the blocks' counts may
        not match their rows (an entity with two names gives each of its facts two rows): the
        caller then reads every answer.

        The blocks counted at write time tell which of them the window falls in; the sort keys
        of their answers (a light query) which answers it shows; the whole rows are read for
        those only."""
        if self.query.name not in KEYED or self.store.name != "embedded" or window.limit is None:
            return None         # a whole answer is read whole
        blocks_query, keys_query = KEYED[self.query.name]
        keys = self.query.order if count == "rows" else tuple(k for k in self.query.order
                                                              if k.lstrip("-") != "articles")
        size = (lambda row: 1) if count == "rows" else (lambda row: int(row["evidence_count"]))
        if blocks_query is None:
            candidates = [self._shaped(r, count) for found in
                          self.store.query(own(bind_constants(auxiliary_text(keys_query, "sparql"), self.params)))
                          for r in _expanded(found)]
            before, total = 0, sum(size(r) for r in candidates)
        elif not self._one_name_each():
            return None
        else:
            chosen, before, total, counted = self._keyed_blocks(blocks_query, keys, count, window)
            candidates = [self._shaped({**head, **r}, count) for head, blocks in chosen
                          for r in self.store.query(own(auxiliary_text(keys_query, "sparql")), {"block": blocks})]
            if sum(size(r) for r in candidates) != counted:
                return None
        candidates = sort_by(candidates, keys)
        chosen, _start, _end = covered([size(r) for r in candidates], window, before)
        if not chosen:
            return [], total, total
        first, last = chosen[0], chosen[-1]
        key = lambda row: tuple(row.get(k.lstrip("-")) for k in keys)
        while first > 0 and key(candidates[first - 1]) == key(candidates[first]):
            first -= 1
        while last + 1 < len(candidates) and key(candidates[last + 1]) == key(candidates[last]):
            last += 1
        shown = candidates[first:last + 1]
        wanted = {key(r) for r in shown}
        rows = self.store.query(own(self.text()), {"agg": sorted({r["agg"] for r in shown})})
        start = before + sum(size(r) for r in candidates[:first])
        return [r for r in rows if key(self._shaped(r, count)) in wanted], start, total

    def _one_name_each(self) -> bool:
        """Whether every entity has one name, so that each fact a block counts is one answer row."""
        found = self.store.query(own(auxiliary_text("names-per-entity", "sparql")))
        return bool(found) and found[0]["names"] == found[0]["entities"]

    def _keyed_blocks(self, blocks_query: str, keys: tuple, count: str, window: Window) -> tuple:
        """The blocks ``window`` falls in, as (the columns they fix, their nodes) per sort key in
        order; the rows (or evidence rows) before them; those of the whole answer; and those of
        the blocks chosen."""
        found = self.store.query(own(bind_constants(auxiliary_text(blocks_query, "sparql"), self.params)))
        merged: dict[tuple, list] = {}
        for block in found:
            head = {c: v for c, v in block.items() if c not in ("rows", "evidence_rows", "block")}
            entry = merged.setdefault(tuple(head.items()), [self._shaped(head, count), 0, []])
            entry[1] += int(block["rows" if count == "rows" else "evidence_rows"])
            entry[2].append(block["block"])
        heads = [{**columns, "_block": number} for number, (columns, _rows, _nodes) in enumerate(merged.values())]
        entries = list(merged.values())
        lead = tuple(k for k in keys if heads and k.lstrip("-") in heads[0])
        ordered = [entries[head["_block"]] for head in sort_by(heads, lead)]
        chosen, before, seen = covered([rows for _columns, rows, _nodes in ordered], window)
        return ([(ordered[n][0], ordered[n][2]) for n in chosen], before, seen,
                sum(ordered[n][1] for n in chosen))

    def _shaped(self, row: dict, count: str) -> dict:
        """A row with its columns as the page sorts them: as the store gives them for answer
        rows, normalised for evidence rows (see ``_evidence_page``)."""
        return row if count == "rows" else {**row, **normalise(row, self.columns)}

    def _path_rows(self) -> list[dict]:
        """Shortest chain by a breadth-first search over the summary graph, then the facts of each hop."""
        neighbours_text = own(auxiliary_text("neighbours", "sparql"))

        def neighbours(frontier: list[str]) -> list[tuple[str, str]]:
            rows = self.store.query(neighbours_text, {"x": [RESOURCE + e for e in frontier]})
            return [(row["from"], row["to"]) for row in rows]

        source, target = entity_id(self.params["source"]), entity_id(self.params["target"])
        chain = shortest_chain(explored_graph(neighbours, source, target), source, target)
        rows = []
        for a, b in zip(chain, chain[1:]):
            rows += self.store.query(own(bind_constants(self.query.text("sparql"), {"source": RESOURCE + a, "target": RESOURCE + b})))
        return hop_rows(rows, source, target)

    # -- pages --------------------------------------------------------------------------
    def page(self, window: Window, evidence: bool) -> Page:
        if evidence:
            return self._evidence_page(window)
        rows, total = self.answers(window)
        sources = self._sources(rows)
        out = []
        for row in rows:
            shaped = normalise({c: row.get(c) for c in self.columns}, self.columns)
            shaped.update({"articles": int(row["articles"]), "confidence": round(float(row["confidence"]), 2),
                           "evidence": row["evidence"], "sources": sources.get(row["agg"], "")})
            out.append(shaped)
        return Page(out, total, window.offset)

    def _sources(self, rows: list[dict]) -> dict[str, str]:
        found: dict[str, set] = {}
        nodes = sorted({r["agg"] for r in rows})
        for start in range(0, len(nodes), 500):
            for r in self.store.query(own(auxiliary_text("sources", "sparql")), {"agg": nodes[start:start + 500]}):
                found.setdefault(r["agg"], set()).update(str(r["sources"] or "").split("\x1f"))
        return {agg: "; ".join(sorted(s)) for agg, s in found.items()}

    def _evidence_page(self, window: Window) -> Page:
        """Evidence rows in kg's evidence order, reading only the answers the window covers,
        and of those the sentences of the rows it shows.

        Evidence rows sort by the answer's sort keys (not its article count), then by
        confidence and article: answers with the same keys form a block whose evidence
        rows sort together, by the keys the stats graph holds for each row (evidence-keys.rq)."""
        keys = tuple(k for k in self.query.order if k.lstrip("-") != "articles")
        keyed = None if self.query.name in BLOCK_PAGED else self._keyed_rows(window, "evidence")
        if self.query.name in BLOCK_PAGED:
            rows, seen, total = self._block_rows(window, "evidence")
        elif keyed is not None:
            rows, seen, total = keyed
        else:
            rows, seen = self.answers()[0], 0
            total = sum(int(r["evidence_count"]) for r in rows)
        blocks: dict[tuple, list[dict]] = {}
        for row in rows:
            shaped = normalise({c: row.get(c) for c in self.columns}, self.columns)
            blocks.setdefault(tuple(shaped.get(k.lstrip("-")) for k in keys), []).append({**row, **shaped})
        heads = sort_rows([dict(zip([k.lstrip("-") for k in keys], key)) for key in blocks], keys)
        ordered = [blocks[tuple(head.values())] for head in heads]
        numbers, start, _end = covered([sum(int(r["evidence_count"]) for r in block) for block in ordered], window, seen)
        found, start = self._evidence_window([ordered[n] for n in numbers], start, window)
        ordered = sort_rows(distinct(found), keys + ("-confidence", "article"))
        return Page(window.cut(ordered, start), total, window.offset)

    def _evidence_window(self, blocks: list[list[dict]], start: int, window: Window) -> tuple[list[dict], int]:
        """The evidence rows of ``blocks`` (answer rows with the same sort keys, in order,
        the first at position ``start``) that fall in ``window``, whole (confidence, article)
        groups of them, and the position of the first: the sort keys of every row are read,
        the sentences of those groups only."""
        stored = evidence_keys(self.store, sorted({r["agg"] for block in blocks for r in block}))
        chosen, pairs, first = set(), set(), None
        for number, block in enumerate(blocks):
            groups: dict[tuple, set] = {}
            for row in block:
                columns = tuple(row.get(c) for c in self.columns)
                for confidence, article, sentence in stored.get(row["agg"], ()):
                    groups.setdefault((confidence, article), set()).add((columns, sentence))
            for confidence, article in sorted(groups, key=lambda g: (-g[0], g[1])):
                size = len(groups[(confidence, article)])
                if start + size > window.offset and start < window.end:
                    first = start if first is None else first
                    chosen.add((number, confidence, article))
                    pairs |= {(row.get("fact") or row["agg"], article) for row in block}
                start += size
        by_fact: dict[str, list[tuple[int, dict]]] = {}
        for number, block in enumerate(blocks):
            for row in block:
                by_fact.setdefault(row.get("fact") or row["agg"], []).append((number, row))
        out = []
        for ev in evidence_of(self.store, pairs):
            group = (round(float(ev["confidence"]), 2), ev["article"])
            for number, row in by_fact.get(ev["fact"], ()):
                if (number, *group) in chosen and (self.query.name != "timeline" or row.get("date") == ev["date"]):
                    raw = {**{c: row.get(c) for c in self.columns}, **{k: ev[k] for k in EVIDENCE}}
                    out.append(normalise(raw, self.columns))
        return out, first or 0


def _expanded(row: dict) -> list[dict]:
    """A keys row with one ``<column>_list`` of space-separated values as one row per value of
    ``<column>`` (one row without it when the list is empty), as the canned query gives them."""
    name = next((c for c in row if c.endswith("_list")), None)
    if name is None:
        return [row]
    rest = {c: v for c, v in row.items() if c != name}
    values = str(row[name] or "").split()
    return [{**rest, name[:-len("_list")]: v} for v in values] or [{**rest, name[:-len("_list")]: None}]


def evidence_keys(store, nodes: list[str]) -> dict[str, list[tuple]]:
    """Stats node -> (confidence, article, sentence digest) of each of its evidence rows
    (a fact's keys also name the article's date and a rule digest: see kg.aggregates)."""
    out: dict[str, list[tuple]] = {}
    text = own(auxiliary_text("evidence-keys", "sparql"))
    for start in range(0, len(nodes), 200):
        for r in store.query(text, {"agg": nodes[start:start + 200]}):
            for key in r["keys"].split("\n"):
                fields = key.split(" ")
                out.setdefault(r["agg"], []).append((float(fields[0]), fields[1], fields[-2] if len(fields) > 3
                                                     else fields[2]))
    return out


def evidence_of(store, pairs) -> list[dict]:
    """The evidence rows of (fact, article content hash) pairs, from the article graphs."""
    pairs = sorted(pairs)
    text, out = own(auxiliary_text("evidence-of", "sparql")), []
    for start in range(0, len(pairs), 200):
        chunk = pairs[start:start + 200]
        out += store.query(text, {"fact": [f for f, _a in chunk], "art": [ARTICLE + a for _f, a in chunk]})
    return out
