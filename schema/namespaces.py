"""IRIs used by kg's RDF: the ontology namespace and the resource namespace."""

ONTOLOGY = "https://w3id.org/newskg/ontology#"
RESOURCE = "https://w3id.org/newskg/id/"

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
PROV = "http://www.w3.org/ns/prov#"
DCTERMS = "http://purl.org/dc/terms/"
GEO = "http://www.w3.org/2003/01/geo/wgs84_pos#"
SKOS = "http://www.w3.org/2004/02/skos/core#"

PREFIXES = {
    "kg": ONTOLOGY,
    "kgr": RESOURCE,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "prov": PROV,
    "dcterms": DCTERMS,
    "geo": GEO,
    "skos": SKOS,
}


def sparql_prefixes() -> str:
    """PREFIX lines for every namespace above."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())


def kg(local: str) -> str:
    return ONTOLOGY + local


def resource(path: str) -> str:
    return RESOURCE + path
