"""kg: a knowledge graph of actors, agreements and locations built from news.

Data flows one way: article -> clean text -> mentions -> resolved entities ->
facts with evidence -> graph -> store / export -> query.

The stable Python API (kg/api.py): ``kg.extract_records(text, ...)``,
``kg.extract_quads(text, ...)``, ``kg.record_schema()``.
"""
__version__ = "0.1.0"

_API = ("extract_records", "extract_quads", "extract_article", "record_schema")


def __getattr__(name):
    """The API functions, imported on first use (``import kg`` stays cheap)."""
    if name in _API:
        from kg import api

        return getattr(api, name)
    raise AttributeError(f"module 'kg' has no attribute {name!r}")
