"""Read-only, contained SPARQL: refuse updates and anything that reaches out, bind values as terms."""
from __future__ import annotations

import re

import pyoxigraph as ox

from kg.errors import QueryError
from kg.schema.namespaces import RESOURCE, XSD

_STRINGS = re.compile(r'"""(?:.|\n)*?"""|\'\'\'(?:.|\n)*?\'\'\'|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'')
_IRIS = re.compile(r"<[^<>\"{}|^`\\\s]*>")
_COMMENTS = re.compile(r"#[^\n]*")
_LOCAL_ESCAPE = re.compile(r"\\.")   # ex:a\# or ex:a\' in a prefixed name: not a comment or a string
# One left-to-right scan, as a SPARQL lexer reads it: whichever of an escape, a string, an
# IRI or a comment starts first wins (so '#' inside a string is not a comment, and a '"""'
# inside a comment does not open a string that would hide the code after it).
_TOKENS = re.compile("|".join(f"(?:{p.pattern})" for p in (_LOCAL_ESCAPE, _STRINGS, _IRIS, _COMMENTS)))
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
FORBIDDEN = ("SERVICE", "LOAD", "FROM", "INSERT", "DELETE", "CLEAR", "DROP", "CREATE",
             "ADD", "MOVE", "COPY", "WITH", "USING")


def _blank_token(match) -> str:
    token = match.group(0)
    if token.startswith("\\"):
        return "__"
    return "" if token.startswith("#") else '""' if token[0] in "\"'" else "<>"


def _code_only(text: str) -> str:
    """The query with strings, IRIs and comments blanked out (keywords only remain)."""
    return _TOKENS.sub(_blank_token, text)


def _unescape(text: str) -> str:
    """SPARQL's \\uXXXX / \\UXXXXXXXX escapes decoded (some servers, e.g. Jena, decode
    them before parsing, anywhere in the query)."""
    return _ESCAPE.sub(lambda m: chr(min(int(m.group(1) or m.group(2), 16), 0x10FFFF)), text)


def check_read_only(text: str) -> None:
    """Raise QueryError unless the query is a plain read (SELECT/ASK/CONSTRUCT/DESCRIBE).

    The query is checked as written and with its \\u escapes decoded, so a keyword
    spelled ``\\u0053ERVICE`` is refused whichever way the engine reads escapes.
    """
    _check_code(_code_only(text))
    if _ESCAPE.search(text):
        _check_code(_code_only(_unescape(text)))


def _check_code(code: str) -> None:
    for keyword in FORBIDDEN:
        if re.search(rf"(?<![\w?$:]){keyword}(?![\w:])", code, re.IGNORECASE):
            raise QueryError(f"{keyword} is not allowed: kg runs read-only queries on its own data only")
    if not re.search(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", code, re.IGNORECASE):
        raise QueryError("only SELECT, ASK, CONSTRUCT and DESCRIBE queries are allowed")


def to_term(value):
    """A Python value as an RDF term (IRIs of kg resources become NamedNodes)."""
    if isinstance(value, (ox.NamedNode, ox.Literal, ox.BlankNode)):
        return value
    if isinstance(value, bool):
        return ox.Literal(str(value).lower(), datatype=ox.NamedNode(XSD + "boolean"))
    if isinstance(value, int):
        return ox.Literal(str(value), datatype=ox.NamedNode(XSD + "integer"))
    if isinstance(value, float):
        return ox.Literal(repr(value), datatype=ox.NamedNode(XSD + "double"))
    text = str(value)
    if text.startswith(RESOURCE) or text.startswith("https://w3id.org/newskg/"):
        return ox.NamedNode(text)
    return ox.Literal(text)


_NUMERIC = {XSD + t for t in ("integer", "int", "long", "short", "nonNegativeInteger")}


def to_python(term):
    """An RDF term as a plain Python value (IRIs as strings, numbers as numbers)."""
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value if term.datatype else ""
        if datatype in _NUMERIC:
            return int(term.value)
        if datatype in (XSD + "decimal", XSD + "double", XSD + "float"):
            return float(term.value)
        if datatype == XSD + "boolean":
            return term.value == "true"
        return term.value
    return term.value


def bind_values(text: str, params: dict | None) -> str:
    """The query with a VALUES row for the parameters at the top of its WHERE block, and
    again at the top of each ``GRAPH ?g { ... }`` block.

    Values become RDF terms first (pyoxigraph validates IRIs and escapes literals), so a
    parameter can never change the query's structure. Works on any SPARQL 1.1 endpoint.
    Repeating the row inside a GRAPH block changes no answer (joining one constant row is
    idempotent) but lets the engine start there from the bound values: 20x faster per
    article graph on a 2,000-article store.
    """
    if not params:
        return text
    code = _code_only_keep_length(text)
    match = re.search(r"\bWHERE\s*\{", code, re.IGNORECASE) or re.search(r"\{", code)
    if match is None:
        raise QueryError("cannot bind parameters: the query has no WHERE block")
    values = f" VALUES {values_rows(params)} "
    cuts = [match.end()] + [m.end() for m in re.finditer(r"\bGRAPH\s+[?$]\w+\s*\{", code, re.IGNORECASE)
                            if m.end() > match.end()]
    out, last = [], 0
    for cut in cuts:
        out += [text[last:cut], values]
        last = cut
    return "".join(out) + text[last:]


def bind_constants(text: str, params: dict | None) -> str:
    """The query with each parameter variable replaced by its value, for kg's own canned
    queries (the parameters never appear in their SELECT or as a BIND target).

    Same answers as ``bind_values``, but the engine plans every nested group (UNION
    branches, OPTIONALs) knowing the value: Oxigraph does not carry an outer VALUES row
    into them. Values become RDF terms first, so they cannot change the query's structure.
    """
    if not params:
        return text
    terms = {name: str(to_term(value)) for name, value in params.items()}
    code = _code_only_keep_length(text)
    pattern = re.compile(r"[?$](" + "|".join(map(re.escape, terms)) + r")\b")
    out, last = [], 0
    for match in pattern.finditer(code):
        out += [text[last:match.start()], terms[match.group(1)]]
        last = match.end()
    return "".join(out) + text[last:]


def values_rows(params: dict) -> str:
    """``(?a ?b) { (x y) }`` for one row of values; a single parameter given a list of
    values becomes one row per value (``(?x) { (a) (b) }``)."""
    names = " ".join(f"?{k}" for k in params)
    if len(params) == 1 and isinstance(next(iter(params.values())), (list, tuple)):
        rows = [[v] for v in next(iter(params.values()))]
    else:
        rows = [list(params.values())]
    body = " ".join("(" + " ".join(str(to_term(v)) for v in row) + ")" for row in rows)
    return f"({names}) {{ {body} }}"


def _code_only_keep_length(text: str) -> str:
    """Like _code_only, but strings, IRIs and comments blanked with spaces of equal length."""
    return _TOKENS.sub(lambda m: ("_" if m.group(0).startswith("\\") else " ") * len(m.group(0)), text)


# -- row cap -------------------------------------------------------------------
# pyoxigraph has no query timeout, so user queries on the embedded store are
# contained by a row cap instead: the outer LIMIT is lowered to (or set at) the cap,
# which also lets the engine stop early when the query has no ORDER BY/GROUP BY.

def _top_level_groups(code: str) -> list[tuple[int, int]]:
    """(start, end) of every brace group at depth 0, end just past its '}'."""
    groups, depth, start = [], 0, 0
    for i, ch in enumerate(code):
        if ch == "{":
            if depth == 0:
                start = i
            depth += 1
        elif ch == "}" and depth:
            depth -= 1
            if depth == 0:
                groups.append((start, i + 1))
    return groups


def _where_end(code: str) -> int | None:
    """Index just past the query's WHERE block (skipping a trailing VALUES block); None if none."""
    groups = _top_level_groups(code)
    while groups:
        start, end = groups[-1]
        before = code[groups[-2][1] if len(groups) > 1 else 0:start]
        if re.search(r"\bVALUES\b", before, re.IGNORECASE):
            groups.pop()
            continue
        return end
    return None


def cap_rows(text: str, cap: int) -> str:
    """The query with its outer LIMIT at most ``cap`` (added when missing). ASK is left alone."""
    if cap < 1:
        raise QueryError("the row limit must be at least 1")
    code = _code_only_keep_length(text)
    if not re.search(r"\b(SELECT|CONSTRUCT|DESCRIBE)\b", code, re.IGNORECASE):
        return text
    end = _where_end(code)
    if end is None:
        return text
    tail = code[end:]
    found = re.search(r"\bLIMIT\s+(\d+)", tail, re.IGNORECASE)
    if found:
        limit = min(int(found.group(1)), cap)
        return text[:end + found.start(1)] + str(limit) + text[end + found.end(1):]
    values = re.search(r"\bVALUES\b", tail, re.IGNORECASE)
    at = end + values.start() if values else len(text)
    return text[:at] + f"\nLIMIT {cap}\n" + text[at:]


# -- syntax errors in the user's own coordinates ---------------------------------------
_POSITION = re.compile(r"^error at (\d+):(\d+)(?:-\d+:\d+)?:\s*")


def syntax_error(text: str) -> str | None:
    """None when ``text`` parses as SPARQL (kg's prefixes predefined), else one message
    giving the line and column in ``text`` itself, the line and a caret under the column."""
    from kg.schema.namespaces import PREFIXES

    try:
        ox.Store().query(text, prefixes=PREFIXES)           # an empty store: parsing is the work
        return None
    except SyntaxError as error:
        message = str(error)
    found = _POSITION.match(message)
    if not found:
        return f"SPARQL syntax error: {message}"
    lines = text.split("\n") or [""]
    line = min(int(found.group(1)), len(lines))
    column = int(found.group(2)) if int(found.group(1)) <= len(lines) else len(lines[-1]) + 1
    where = f"line {line}, column {column}" if len(lines) > 1 else f"column {column}"
    source = lines[line - 1].replace("\t", " ")
    reason = " ".join(message[found.end():].split())
    if "Prefix not found" in reason:
        name = re.search(r"([A-Za-z][\w.-]*)?:[\w-]*$", source[:column - 1].rstrip())
        reason = f"unknown prefix {name.group(1) + ':' if name and name.group(1) else ':'} " \
                 f"(predefined: {', '.join(p + ':' for p in sorted(PREFIXES))}; or declare it with PREFIX)"
    elif len(reason) > 160:
        reason = reason[:157] + "..."
    return (f"SPARQL syntax error at {where}: {reason}\n"
            f"  {source}\n  {' ' * (column - 1)}^")
