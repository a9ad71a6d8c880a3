"""`kg validate`: check the stored graph against schema/shapes.ttl (SHACL, with pyshacl)."""
from __future__ import annotations

from dataclasses import dataclass

from kg.schema.namespaces import PREFIXES

SH = "http://www.w3.org/ns/shacl#"


@dataclass(frozen=True)
class Violation:
    focus: str
    path: str
    message: str
    value: str = ""
    severity: str = "Violation"

    def line(self) -> str:
        value = f" (value: {self.value})" if self.value else ""
        return f"{self.severity}: {self.focus}  {self.path or '-'}  {self.message}{value}"


def shapes_graph():
    import rdflib

    from kg.schema import read_text

    return rdflib.Graph().parse(data=read_text("shapes.ttl"), format="turtle")


def data_graph(store):
    """The union of the store's article graphs as an rdflib Graph."""
    import pyoxigraph as ox
    import rdflib

    triples = {ox.Triple(q.subject, q.predicate, q.object) for q in store.quads()}
    text = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    return rdflib.Graph().parse(data=text, format="nt")


def validate_graph(graph) -> tuple[bool, list[Violation]]:
    """(conforms, violations) of an rdflib Graph against the shapes."""
    from pyshacl import validate as shacl

    conforms, results, _text = shacl(graph, shacl_graph=shapes_graph(), inference="none",
                                     advanced=False, allow_warnings=True)
    return bool(conforms), violations(results)


def validate_store(store) -> tuple[bool, list[Violation]]:
    return validate_graph(data_graph(store))


def violations(results) -> list[Violation]:
    import rdflib

    ns = rdflib.Namespace(SH)
    out = []
    for result in results.subjects(rdflib.RDF.type, ns.ValidationResult):
        get = lambda prop: results.value(result, ns[prop])
        severity = get("resultSeverity")
        out.append(Violation(short(get("focusNode")), short(get("resultPath")),
                             str(get("resultMessage") or "does not conform"), short(get("value")),
                             short(severity).removeprefix("sh:") if severity is not None else "Violation"))
    return sorted(out, key=lambda v: (v.focus, v.path, v.message))


def short(term) -> str:
    """A term with the usual prefixes (kg:, kgr:, rdf: ...), or ''."""
    if term is None:
        return ""
    text = " ".join(str(term).split())
    for prefix, iri in sorted({**PREFIXES, "sh": SH}.items(), key=lambda p: -len(p[1])):
        if text.startswith(iri):
            return f"{prefix}:{text[len(iri):]}"
    return text if len(text) <= 80 else text[:77] + "..."
