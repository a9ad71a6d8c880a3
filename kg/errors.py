"""Domain errors. The library raises these; only the CLI turns them into messages."""


class KGError(Exception):
    """Base class of every error kg raises on purpose."""


class LoadError(KGError):
    """An input file could not be read as articles (the message names the file)."""


class SchemaError(KGError):
    """Data files (vocabulary, gazetteer, rules) are malformed."""


class StoreError(KGError):
    """A store could not be opened, written or read."""


class QueryError(KGError):
    """A query is unknown, malformed, unsafe, or got the wrong parameters."""


class ResolutionError(KGError):
    """A name given by the user does not resolve to a known entity."""
