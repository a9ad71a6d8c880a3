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


class QuerySyntaxError(QueryError):
    """A query that does not parse; its message shows the line with a caret (three lines)."""

    multiline = True


class ResolutionError(KGError):
    """A name given by the user does not resolve to a known entity."""


_DISK_FULL = ("No space left", "Disk quota", "File too large", "ENOSPC", "EFBIG")


def os_error_line(error: BaseException, what: str) -> str:
    """One line for an operating-system error while working on ``what`` (a file or a store):
    the cause and what to do."""
    import errno

    code = getattr(error, "errno", None)
    text = str(getattr(error, "strerror", None) or error).split("\n")[0][:200]
    if code in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG) or any(s in str(error) for s in _DISK_FULL):
        return f"{what}: the disk is full ({text}); free some space and run the command again"
    if code in (errno.EACCES, errno.EPERM, errno.EROFS) or "Permission denied" in str(error) \
            or "Read-only file system" in str(error):
        return f"{what}: permission denied ({text}); check who owns it, or pick another path"
    return f"{what}: {text}"
