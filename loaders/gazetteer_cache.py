"""The parsed gazetteer kept on disk, so a short command (``kg query``) does not parse YAML.

The cache file is named by a hash of every gazetteer file's bytes, the code that builds
the gazetteer and the Python version: edit a file (or upgrade kg) and the next run
parses again. It lives in the user's cache folder (``$KG_CACHE_DIR``, else
``$XDG_CACHE_HOME/kg``, else ``~/.cache/kg``), is written to a temporary file and
renamed into place (so processes running at once never read half a file), and any
problem (a folder that cannot be written, a damaged file) falls back to parsing, silently.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from pathlib import Path
from typing import Callable

BUILDERS = ("gazetteer.py", "gazetteer_cache.py")   # the code whose output is cached


def cache_dir() -> Path:
    if os.environ.get("KG_CACHE_DIR"):
        return Path(os.environ["KG_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "kg"


def _read_bytes(path) -> bytes:
    return path.read_bytes() if hasattr(path, "read_bytes") else Path(str(path)).read_bytes()


def cache_key(paths: list) -> str:
    """A hash of the files' bytes (in order), the building code and the Python version."""
    digest = hashlib.sha256(sys.version.encode())
    here = Path(__file__).parent
    for name in BUILDERS:
        digest.update(_read_bytes(here / name))
    for path in paths:
        data = _read_bytes(path)
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()[:32]


def cached(paths: list, parse: Callable[[list], object]):
    """``parse(paths)``, read from the disk cache when the same files were parsed before."""
    try:
        target = cache_dir() / f"gazetteer-{cache_key(paths)}.pickle"
    except OSError:
        return parse(paths)   # an unreadable file: parsing reports it properly
    try:
        with open(target, "rb") as handle:
            return pickle.load(handle)
    except Exception:  # noqa: BLE001 - missing, damaged or from elsewhere: parse again
        pass
    value = parse(paths)
    _write(target, value)
    return value


def _write(target: Path, value) -> None:
    """Write atomically (temporary file + rename); give up silently when the folder is not writable."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".gazetteer-", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as out:
                pickle.dump(value, out, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, target)
        except BaseException:
            os.unlink(temporary)
            raise
    except Exception:  # noqa: BLE001 - a cache is optional
        return
