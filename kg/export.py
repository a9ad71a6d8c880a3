"""Store -> files: RDF serialisations (with the evidence) and graph formats."""
from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path

RDF_FORMATS = {"turtle": "TURTLE", "ntriples": "N_TRIPLES", "nquads": "N_QUADS", "trig": "TRIG"}
UNION = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"


def export_graph(store, fmt: str, output: str | None = None) -> str | None:
    """Serialise the store; written atomically when ``output`` is a path, else returned."""
    data = render(store, fmt)
    if output is None:
        return data
    write_atomically(Path(output), data)
    return None


def render(store, fmt: str) -> str:
    if fmt in RDF_FORMATS:
        return _rdf(store, fmt)
    if fmt == "graphml":
        import networkx as nx

        from kg.graph import to_networkx

        buffer = io.BytesIO()
        nx.write_graphml(to_networkx(store), buffer, encoding="utf-8")
        return buffer.getvalue().decode("utf-8")
    raise ValueError(f"unknown export format {fmt!r}")


def _rdf(store, fmt: str) -> str:
    import pyoxigraph as ox

    from kg.schema.namespaces import PREFIXES

    rdf_format = getattr(ox.RdfFormat, RDF_FORMATS[fmt])
    if rdf_format.supports_datasets:
        return store.dump(rdf_format).decode("utf-8")
    triples = store._store.query(UNION)
    return ox.serialize(triples, format=rdf_format, prefixes=PREFIXES).decode("utf-8")


def write_atomically(path: Path, data: str) -> None:
    """Write to a temporary file beside ``path``, then rename: a failure leaves the old file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
